import type { Database, Knex } from '@utm5/db';
import type { EventSink } from '../events/event-sink';
import type { BandwidthChange, LinkBandwidth } from './bandwidth-changes';
import type { Direction } from './settings';

/** A live IP traffic link of a shaped service, with what the decision needs of its account. */
export interface ShapedLink {
  readonly id: number;
  readonly accountId: number;
  readonly serviceId: number;
  readonly periodId: number;
  readonly blocked: boolean;
}

/** An IP group of a link, in the terms of the firewall events. */
export interface ShapedIpGroup {
  readonly id: number;
  readonly slinkId: number;
  readonly ip: string;
  readonly mask: number;
  readonly mac: string;
  readonly login: string;
  /** A VPN group (used with RADIUS: ip_not_vpn clear). */
  readonly vpn: boolean;
  /** dont_use_fw: the firewall leaves this group alone. */
  readonly skipRfw: boolean;
}

/** The bandwidth in force on a link as last decided, with the service that decided it. */
export interface LinkShaping {
  readonly serviceId: number;
  readonly bandwidth: LinkBandwidth;
}

type Row = Record<string, unknown>;
const CHUNK = 500;

/** Runs a whereIn query over ids in chunks the databases take. */
async function inChunks(ids: readonly number[], q: (part: number[]) => Promise<Row[]>): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await q(ids.slice(i, i + CHUNK))));
  return out;
}

/**
 * What the shaping decision reads (links, their traffic in the current period, account blocks, IP groups) and
 * writes (the bandwidth in force, the events for utm5_rfw), each in bulk.
 */
export class ShapingStore {
  constructor(
    private readonly db: Database,
    private readonly events: EventSink,
  ) {}

  /** Live IP traffic links with a current accounting period of the given services; only the given links when `only` is set. */
  async links(serviceIds: readonly number[], only?: readonly number[]): Promise<ShapedLink[]> {
    if (serviceIds.length === 0 || only?.length === 0) return [];
    const base = () =>
      this.db
        .knex('service_links as l')
        .join('accounts as a', 'a.id', 'l.account_id')
        .where('l.is_deleted', false)
        .andWhere('l.discount_period_id', '>', 0)
        .select('l.id', 'l.account_id', 'l.service_id', 'l.discount_period_id', 'a.block_type');
    const rows = only
      ? await inChunks(only, (part) => base().whereIn('l.id', part).whereIn('l.service_id', serviceIds))
      : await inChunks(serviceIds, (part) => base().whereIn('l.service_id', part));
    return rows.map((r) => ({
      id: Number(r['id']),
      accountId: Number(r['account_id']),
      serviceId: Number(r['service_id']),
      periodId: Number(r['discount_period_id']),
      blocked: Number(r['block_type']) !== 0,
    }));
  }

  /** Bytes per traffic class each link consumed in its current accounting period. */
  async usage(links: readonly ShapedLink[]): Promise<Map<number, Map<number, number>>> {
    const period = new Map(links.map((l) => [l.id, l.periodId]));
    const rows = await inChunks([...period.keys()], (part) =>
      this.db.knex('slink_traffic').whereIn('slink_id', part).select('slink_id', 'period_id', 'tclass_id', 'bytes'),
    );
    const out = new Map<number, Map<number, number>>();
    for (const r of rows) {
      const id = Number(r['slink_id']);
      if (period.get(id) !== Number(r['period_id'])) continue;
      (out.get(id) ?? out.set(id, new Map()).get(id)!).set(Number(r['tclass_id']), Number(r['bytes']));
    }
    return out;
  }

  async ipGroups(slinkIds: readonly number[]): Promise<Map<number, ShapedIpGroup[]>> {
    const rows = await inChunks(slinkIds, (part) =>
      this.db.knex('ip_groups').whereIn('slink_id', part).where({ is_deleted: false }).orderBy('id'),
    );
    const out = new Map<number, ShapedIpGroup[]>();
    for (const r of rows) {
      const g: ShapedIpGroup = {
        id: Number(r['id']),
        slinkId: Number(r['slink_id']),
        ip: String(r['ip']),
        mask: Number(r['mask']),
        mac: String(r['mac']),
        login: String(r['login']),
        vpn: !r['is_skip_radius'],
        skipRfw: Boolean(r['is_skip_rfw']),
      };
      (out.get(g.slinkId) ?? out.set(g.slinkId, []).get(g.slinkId)!).push(g);
    }
    return out;
  }

  /** The bandwidth in force as last decided: every link's, or the given links'. */
  async inForce(only?: readonly number[]): Promise<Map<number, LinkShaping>> {
    const rows = only
      ? await inChunks(only, (part) => this.db.knex('slink_shaping').whereIn('slink_id', part))
      : await this.db.knex('slink_shaping');
    const out = new Map<number, LinkShaping>();
    for (const r of rows as Row[]) {
      const id = Number(r['slink_id']);
      const cur = out.get(id) ?? { serviceId: Number(r['service_id']), bandwidth: {} };
      out.set(id, {
        ...cur,
        bandwidth: { ...cur.bandwidth, [String(r['direction']) as Direction]: Number(r['bandwidth']) },
      });
    }
    return out;
  }

  /**
   * Writes the changes in one transaction: the bandwidth in force, one shaping_events row per IP group the firewall
   * shapes (groups of the selected kinds, without dont_use_fw), and one 'bandwidth' billing event per change (with the
   * other direction's limit now in force, from `after`).
   */
  async record(
    changes: readonly BandwidthChange[],
    owner: (slinkId: number) => { accountId: number; serviceId: number },
    groups: (slinkId: number) => readonly ShapedIpGroup[],
    after: ReadonlyMap<number, LinkBandwidth>,
    now: number,
  ): Promise<void> {
    if (changes.length === 0) return;
    await this.db.tx(async (trx: Knex.Transaction) => {
      const events: Row[] = [];
      for (const c of changes) {
        const key = { slink_id: c.slinkId, direction: c.direction };
        const o = owner(c.slinkId);
        if (c.event === 'delete') await trx('slink_shaping').where(key).delete();
        else if (c.event === 'set')
          await trx('slink_shaping').insert({ ...key, bandwidth: c.kbit, service_id: o.serviceId, since: now });
        else await trx('slink_shaping').where(key).update({ bandwidth: c.kbit, service_id: o.serviceId, since: now });
        await this.events.emit(
          trx,
          {
            kind: 'bandwidth',
            dir: c.direction,
            op: c.event,
            accountId: o.accountId,
            slinkId: c.slinkId,
            kbit: c.event === 'delete' ? 0 : c.kbit,
            otherKbit: after.get(c.slinkId)?.[c.direction === 'in' ? 'out' : 'in'] ?? 0,
          },
          now,
        );
        for (const g of groups(c.slinkId)) {
          if (g.skipRfw) continue;
          events.push({
            ts: now,
            event: c.event,
            direction: c.direction,
            bandwidth: c.kbit,
            slink_id: c.slinkId,
            account_id: o.accountId,
            service_id: o.serviceId,
            ip_group_id: g.id,
            ip: g.ip,
            mask: g.mask,
            mac: g.mac,
            login: g.login,
          });
        }
      }
      for (let i = 0; i < events.length; i += 200) await trx('shaping_events').insert(events.slice(i, i + 200));
    });
  }

  /** Account and service of links, deleted ones too (a removed link's Delete events still name its owner). */
  async owners(slinkIds: readonly number[]): Promise<Map<number, { accountId: number; serviceId: number }>> {
    const rows = await inChunks(slinkIds, (part) =>
      this.db.knex('service_links').whereIn('id', part).select('id', 'account_id', 'service_id'),
    );
    return new Map(
      rows.map((r) => [Number(r['id']), { accountId: Number(r['account_id']), serviceId: Number(r['service_id']) }]),
    );
  }
}
