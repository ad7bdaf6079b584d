// Over ~400 lines: traffic classes, IP groups, collectors and IP traffic parameters, and the topic items collectors
// get from them.
import type { Database, Knex } from '@utm5/db';
import { parsePrefix, TrafficClassifier, type SubclassDef } from '@utm5/netflow';
import type { CollectorItem, IpGroupItem, LocalPolicy, TclassItem } from '@utm5/protocol';
import { badInput as bad } from '../billing/billing-error';
import { GroupType, type Border, type TrafficPlan } from './pricing';
import { loadTimeRange } from '../tariffication/time-range-rows';
import { ServiceType, toSLink, type SLink } from '../tariffication/model';

/** The System traffic collector's id: the buffer built into utm5_core (nfbuffer_port) counts as it; its row cannot be deleted. */
export const SYSTEM_COLLECTOR = 1;

/** Which optional subclass attributes are matched: UTM5's use_* flags as bits of tclass_subclasses.use_flags. */
export const TCLASS_USE = {
  SPORT: 0x1,
  INPUT: 0x2,
  SRC_AS: 0x4,
  DPORT: 0x8,
  OUTPUT: 0x10,
  DST_AS: 0x20,
  PROTO: 0x40,
  TOS: 0x80,
  NEXTHOP: 0x100,
  TCP_FLAGS: 0x200,
} as const;

/** A subclass as UTM5 lays it out (rpcf_add_tclass2). */
export interface SubclassRow {
  readonly saddr: string;
  readonly saddrMask: number;
  readonly sport: number;
  readonly input: number;
  readonly srcAs: number;
  readonly daddr: string;
  readonly daddrMask: number;
  readonly dport: number;
  readonly output: number;
  readonly dstAs: number;
  readonly proto: number;
  readonly tos: number;
  readonly nexthop: string;
  readonly tcpFlags: number;
  /** The NetFlow provider's address ('0.0.0.0' = any). */
  readonly ipFrom: string;
  readonly nfproviderId: number;
  readonly useFlags: number;
  readonly skip: boolean;
}

export interface TclassDef {
  readonly id: number;
  readonly name: string;
  readonly graphColor?: number;
  readonly isDisplay?: boolean;
  readonly isFill?: boolean;
  readonly timeRangeId?: number;
  readonly dontSave?: boolean;
  readonly localPolicy?: LocalPolicy;
  readonly subclasses: readonly SubclassRow[];
}

export interface IpTrafficParams {
  readonly resetPrepaid: boolean;
  readonly aggregationInterval: number;
  readonly isDynamic: boolean;
  readonly sessionsLimit: number;
  /** Per border: class, bytes from the period start, micro-units per megabyte. */
  readonly borders: readonly { tclass: number; size: number; cost: number }[];
  readonly prepaid: readonly { tclass: number; size: number; max: number }[];
  readonly groups: readonly { tclass: number; group: number; type: GroupType }[];
}

export interface IpGroupDef {
  readonly ip: string;
  readonly mask: number;
  readonly mac?: string;
  readonly login?: string;
  readonly password?: string;
  readonly allowedCid?: string;
  readonly poolName?: string;
  readonly skipRadius?: boolean;
  readonly skipRfw?: boolean;
  readonly routerId?: number;
  readonly switchId?: number;
  readonly portId?: number;
  readonly vlanId?: number;
  readonly poolId?: number;
}

/** An IP group as stored; unset properties take their defaults. */
export function ipGroupRow(slinkId: number, g: IpGroupDef): Record<string, unknown> {
  return {
    slink_id: slinkId,
    ip: g.ip,
    mask: g.mask,
    mac: g.mac ?? '',
    login: g.login ?? '',
    password: g.password ?? '',
    allowed_cid: g.allowedCid ?? '',
    pool_name: g.poolName ?? '',
    is_skip_radius: g.skipRadius ?? false,
    is_skip_rfw: g.skipRfw ?? false,
    router_id: g.routerId ?? 0,
    switch_id: g.switchId ?? 0,
    port_id: g.portId ?? 0,
    vlan_id: g.vlanId ?? 0,
    pool_id: g.poolId ?? 0,
  };
}

const ZERO = (ip: string) => ip === '0.0.0.0' || ip === '::' || ip === '';

/** The classifier's form of a stored subclass. */
export function toSubclassDef(s: SubclassRow, providerIp: (id: number) => string | undefined): SubclassDef {
  const on = (bit: number) => (s.useFlags & bit) !== 0;
  const provider = s.nfproviderId > 0 ? providerIp(s.nfproviderId) : ZERO(s.ipFrom) ? undefined : s.ipFrom;
  return {
    src: {
      net: `${s.saddr}/${s.saddrMask}`,
      ...(on(TCLASS_USE.SPORT) ? { port: s.sport } : {}),
      ...(on(TCLASS_USE.INPUT) ? { ifIndex: s.input } : {}),
      ...(on(TCLASS_USE.SRC_AS) ? { as: s.srcAs } : {}),
    },
    dst: {
      net: `${s.daddr}/${s.daddrMask}`,
      ...(on(TCLASS_USE.DPORT) ? { port: s.dport } : {}),
      ...(on(TCLASS_USE.OUTPUT) ? { ifIndex: s.output } : {}),
      ...(on(TCLASS_USE.DST_AS) ? { as: s.dstAs } : {}),
    },
    ...(on(TCLASS_USE.PROTO) ? { protocol: s.proto } : {}),
    ...(on(TCLASS_USE.TOS) ? { tos: s.tos } : {}),
    ...(on(TCLASS_USE.NEXTHOP) ? { nextHop: s.nexthop } : {}),
    ...(on(TCLASS_USE.TCP_FLAGS) ? { tcpFlags: s.tcpFlags } : {}),
    ...(provider ? { provider } : {}),
    skip: s.skip,
  };
}

function subclassRow(r: Record<string, unknown>): SubclassRow {
  return {
    saddr: String(r['saddr']),
    saddrMask: Number(r['saddr_mask']),
    sport: Number(r['sport']),
    input: Number(r['input']),
    srcAs: Number(r['src_as']),
    daddr: String(r['daddr']),
    daddrMask: Number(r['daddr_mask']),
    dport: Number(r['dport']),
    output: Number(r['output']),
    dstAs: Number(r['dst_as']),
    proto: Number(r['proto']),
    tos: Number(r['tos']),
    nexthop: String(r['nexthop']),
    tcpFlags: Number(r['tcp_flags']),
    ipFrom: String(r['ip_from']),
    nfproviderId: Number(r['nfprovider_id']),
    useFlags: Number(r['use_flags']),
    skip: Boolean(r['skip']),
  };
}

/**
 * Reference data of IP traffic: traffic classes, the IP traffic part of services, IP groups of links, NetFlow
 * providers and traffic collectors. Every change calls `changed(topic)` so the core republishes it to collectors.
 */
export class TrafficCatalog {
  constructor(
    private readonly db: Database,
    private readonly changed: (topic: 'tclasses' | 'ip_groups' | 'traffic_collectors') => void,
  ) {}

  // ---- traffic classes ----

  async tclasses(): Promise<
    (TclassDef & {
      graphColor: number;
      isDisplay: boolean;
      isFill: boolean;
      timeRangeId: number;
      dontSave: boolean;
      localPolicy: LocalPolicy;
    })[]
  > {
    const rows: Record<string, unknown>[] = await this.db.knex('tclasses').where({ is_deleted: false }).orderBy('id');
    const subs: Record<string, unknown>[] = await this.db.knex('tclass_subclasses').orderBy('id');
    return rows.map((r) => ({
      id: Number(r['id']),
      name: String(r['name']),
      graphColor: Number(r['graph_color']),
      isDisplay: Boolean(r['is_display']),
      isFill: Boolean(r['is_fill']),
      timeRangeId: Number(r['time_range_id']),
      dontSave: Boolean(r['dont_save']),
      localPolicy: Number(r['local_policy']) as LocalPolicy,
      subclasses: subs.filter((s) => Number(s['tclass_id']) === Number(r['id'])).map(subclassRow),
    }));
  }

  async tclass(id: number): Promise<Awaited<ReturnType<TrafficCatalog['tclasses']>>[number] | undefined> {
    return (await this.tclasses()).find((c) => c.id === id);
  }

  private async checkTclass(c: TclassDef): Promise<void> {
    if (!Number.isInteger(c.id) || c.id < 1)
      throw bad(`traffic class id ${c.id} must be a positive integer (0 is "unclassified")`);
    if (!c.name.trim()) throw bad(`traffic class ${c.id} needs a name`);
    if (![0, 1, 2].includes(c.localPolicy ?? 0))
      throw bad(`traffic class ${c.id}: local traffic policy ${c.localPolicy} must be 0 receiver, 1 sender or 2 both`);
    if ((c.timeRangeId ?? 0) > 0 && !(await this.db.knex('time_ranges').where({ id: c.timeRangeId }).first('id'))) {
      throw bad(`traffic class ${c.id}: no time range ${c.timeRangeId}`);
    }
    // Compiled once here so a bad network is refused with its place, not found later by a collector.
    const providers = await this.providerIps();
    new TrafficClassifier([
      { id: c.id, subclasses: c.subclasses.map((s) => toSubclassDef(s, (p) => providers.get(p))) },
    ]);
    c.subclasses.forEach((s, i) => {
      if (s.nfproviderId > 0 && !providers.has(s.nfproviderId))
        throw bad(`traffic class ${c.id}, subclass ${i + 1}: no NetFlow provider ${s.nfproviderId}`);
      if (!parsePrefix(`${s.saddr}/${s.saddrMask}`) || !parsePrefix(`${s.daddr}/${s.daddrMask}`))
        throw bad(`traffic class ${c.id}, subclass ${i + 1}: bad network`);
    });
  }

  private async writeSubclasses(trx: Knex.Transaction, c: TclassDef): Promise<void> {
    await trx('tclass_subclasses').where({ tclass_id: c.id }).delete();
    for (const s of c.subclasses) {
      await trx('tclass_subclasses').insert({
        tclass_id: c.id,
        saddr: s.saddr,
        saddr_mask: s.saddrMask,
        sport: s.sport,
        input: s.input,
        src_as: s.srcAs,
        daddr: s.daddr,
        daddr_mask: s.daddrMask,
        dport: s.dport,
        output: s.output,
        dst_as: s.dstAs,
        proto: s.proto,
        tos: s.tos,
        nexthop: s.nexthop || '0.0.0.0',
        tcp_flags: s.tcpFlags,
        ip_from: s.ipFrom || '0.0.0.0',
        nfprovider_id: s.nfproviderId,
        use_flags: s.useFlags,
        skip: s.skip,
      });
    }
  }

  private tclassColumns(c: TclassDef) {
    return {
      name: c.name,
      graph_color: c.graphColor ?? 0,
      is_display: c.isDisplay ?? true,
      is_fill: c.isFill ?? false,
      time_range_id: c.timeRangeId ?? 0,
      dont_save: c.dontSave ?? false,
      local_policy: c.localPolicy ?? 0,
    };
  }

  async addTclass(c: TclassDef): Promise<void> {
    await this.checkTclass(c);
    await this.db.tx(async (trx) => {
      const cur = await trx('tclasses').where({ id: c.id }).first('is_deleted');
      if (cur && !cur.is_deleted) throw bad(`traffic class ${c.id} already exists`);
      if (cur)
        await trx('tclasses')
          .where({ id: c.id })
          .update({ ...this.tclassColumns(c), is_deleted: false });
      else await trx('tclasses').insert({ id: c.id, ...this.tclassColumns(c) });
      await this.writeSubclasses(trx, c);
    });
    this.changed('tclasses');
  }

  async editTclass(c: TclassDef): Promise<void> {
    await this.checkTclass(c);
    await this.db.tx(async (trx) => {
      const n = await trx('tclasses').where({ id: c.id, is_deleted: false }).update(this.tclassColumns(c));
      if (n === 0) throw bad(`no traffic class ${c.id}`);
      await this.writeSubclasses(trx, c);
    });
    this.changed('tclasses');
  }

  /** Only an unused class can go (the manual): not priced, prepaid or grouped by any service. */
  async removeTclass(id: number): Promise<void> {
    for (const t of ['iptraffic_borders', 'iptraffic_prepaid', 'iptraffic_groups', 'shaping_tclasses']) {
      const use = await this.db.knex(t).where({ tclass_id: id }).first('service_id');
      if (use) throw bad(`traffic class ${id} is used by service ${use.service_id}: remove it from the service first`);
    }
    const n = await this.db.knex('tclasses').where({ id, is_deleted: false }).update({ is_deleted: true });
    if (n === 0) throw bad(`no traffic class ${id}`);
    this.changed('tclasses');
  }

  /** The 'tclasses' topic: classes with their time ranges resolved, in the classifier's form. */
  async tclassItems(tz: string): Promise<TclassItem[]> {
    const providers = await this.providerIps();
    const ranges = new Map<number, TclassItem['timeRange']>();
    for (const c of await this.tclasses()) {
      if (c.timeRangeId > 0 && !ranges.has(c.timeRangeId)) {
        const r = await loadTimeRange(this.db.knex, c.timeRangeId);
        ranges.set(c.timeRangeId, { tz, entries: r.entries, days: r.days });
      }
    }
    return (await this.tclasses()).map((c) => ({
      id: c.id,
      name: c.name,
      dontSave: c.dontSave,
      localPolicy: c.localPolicy,
      timeRange: c.timeRangeId > 0 ? (ranges.get(c.timeRangeId) ?? null) : null,
      subclasses: c.subclasses.map((s) => toSubclassDef(s, (p) => providers.get(p))),
    }));
  }

  // ---- IP traffic part of services ----

  async ipTrafficParams(serviceId: number, k: Knex | Knex.Transaction = this.db.knex): Promise<IpTrafficParams> {
    const s = await k('iptraffic_services').where({ service_id: serviceId }).first();
    const borders: Record<string, unknown>[] = await k('iptraffic_borders')
      .where({ service_id: serviceId })
      .orderBy(['tclass_id', 'size']);
    const prepaid: Record<string, unknown>[] = await k('iptraffic_prepaid')
      .where({ service_id: serviceId })
      .orderBy('tclass_id');
    const groups: Record<string, unknown>[] = await k('iptraffic_groups')
      .where({ service_id: serviceId })
      .orderBy('tclass_id');
    return {
      resetPrepaid: Boolean(s?.reset_prepaid),
      aggregationInterval: Number(s?.aggregation_interval ?? 0),
      isDynamic: Boolean(s?.is_dynamic),
      sessionsLimit: Number(s?.sessions_limit ?? 0),
      borders: borders.map((b) => ({
        tclass: Number(b['tclass_id']),
        size: Number(b['size']),
        cost: Number(b['cost']),
      })),
      prepaid: prepaid.map((p) => ({
        tclass: Number(p['tclass_id']),
        size: Number(p['size']),
        max: Number(p['size_max']),
      })),
      groups: groups.map((g) => ({
        tclass: Number(g['tclass_id']),
        group: Number(g['group_id']),
        type: Number(g['group_type']) as GroupType,
      })),
    };
  }

  /** Stores the IP traffic part of a service (after the service row itself exists), replacing what was there. */
  async setIpTrafficParams(trx: Knex.Transaction, serviceId: number, p: IpTrafficParams): Promise<void> {
    if (p.prepaid.length > 0 && p.groups.length > 0)
      throw bad(`service ${serviceId}: prepaid traffic and traffic groups exclude each other (the manual)`);
    if (p.aggregationInterval < 0)
      throw bad(`service ${serviceId}: traffic aggregation interval ${p.aggregationInterval} must be >= 0`);
    const known = new Set(
      (await trx('tclasses').where({ is_deleted: false }).select('id')).map((r: { id: number }) => Number(r.id)),
    );
    known.add(0);
    for (const x of [...p.borders, ...p.prepaid, ...p.groups])
      if (!known.has(x.tclass)) throw bad(`service ${serviceId}: no traffic class ${x.tclass}`);
    for (const b of p.borders)
      if (b.size < 0 || b.cost < 0)
        throw bad(
          `service ${serviceId}: border of class ${b.tclass} at ${b.size} bytes costs ${b.cost}: both must be >= 0`,
        );
    for (const q of p.prepaid)
      if (q.size < 0 || q.max < 0) throw bad(`service ${serviceId}: prepaid of class ${q.tclass} must be >= 0`);
    for (const g of p.groups)
      if (g.type !== GroupType.SUM && g.type !== GroupType.MAX)
        throw bad(`service ${serviceId}: group type ${g.type} must be 1 sum or 2 max`);
    await trx('iptraffic_services').where({ service_id: serviceId }).delete();
    await trx('iptraffic_services').insert({
      service_id: serviceId,
      reset_prepaid: p.resetPrepaid,
      aggregation_interval: p.aggregationInterval,
      is_dynamic: p.isDynamic,
      sessions_limit: p.sessionsLimit,
    });
    for (const t of ['iptraffic_borders', 'iptraffic_prepaid', 'iptraffic_groups'])
      await trx(t).where({ service_id: serviceId }).delete();
    const seen = new Set<string>();
    for (const b of p.borders) {
      const key = `${b.tclass}/${b.size}`;
      if (seen.has(key)) throw bad(`service ${serviceId}: two borders of class ${b.tclass} at ${b.size} bytes`);
      seen.add(key);
      await trx('iptraffic_borders').insert({ service_id: serviceId, tclass_id: b.tclass, size: b.size, cost: b.cost });
    }
    for (const q of p.prepaid)
      await trx('iptraffic_prepaid').insert({
        service_id: serviceId,
        tclass_id: q.tclass,
        size: q.size,
        size_max: q.max,
      });
    for (const g of p.groups)
      await trx('iptraffic_groups').insert({
        service_id: serviceId,
        tclass_id: g.tclass,
        group_id: g.group,
        group_type: g.type,
      });
  }

  /** The pricing form of a service's IP traffic part. */
  static plan(p: IpTrafficParams, bytesInKb: number): TrafficPlan {
    const borders = new Map<number, Border[]>();
    for (const b of p.borders)
      (borders.get(b.tclass) ?? borders.set(b.tclass, []).get(b.tclass)!).push({ size: b.size, cost: b.cost });
    for (const list of borders.values()) list.sort((a, b) => a.size - b.size);
    return {
      borders,
      groups: new Map(p.groups.map((g) => [g.tclass, { group: g.group, type: g.type }])),
      mb: bytesInKb * bytesInKb,
    };
  }

  // ---- IP groups ----

  async setIpGroups(trx: Knex.Transaction, slinkId: number, groups: readonly IpGroupDef[]): Promise<void> {
    for (const [i, g] of groups.entries()) {
      const p = parsePrefix(`${g.ip}/${g.mask}`);
      if (!p) throw bad(`IP group ${i + 1} of link ${slinkId}: '${g.ip}/${g.mask}' is not an address with a mask`);
      if ((g.routerId ?? 0) > 0 && !(await trx('netflow_providers').where({ id: g.routerId }).first('id')))
        throw bad(`IP group ${i + 1} of link ${slinkId}: no NetFlow provider ${g.routerId}`);
      // The same address under the same provider cannot belong to two live links: traffic would have two owners.
      const clash = await trx('ip_groups')
        .join('service_links', 'service_links.id', 'ip_groups.slink_id')
        .where({
          'ip_groups.ip': g.ip,
          'ip_groups.mask': g.mask,
          'ip_groups.router_id': g.routerId ?? 0,
          'ip_groups.is_deleted': false,
          'service_links.is_deleted': false,
        })
        .whereNot('ip_groups.slink_id', slinkId)
        .first('ip_groups.slink_id as slink');
      if (clash) throw bad(`IP group ${g.ip}/${g.mask} already belongs to service link ${clash.slink}`);
    }
    await trx('ip_groups').where({ slink_id: slinkId }).update({ is_deleted: true });
    for (const g of groups) await trx('ip_groups').insert(ipGroupRow(slinkId, g));
  }

  async ipGroups(slinkId: number): Promise<Record<string, unknown>[]> {
    return this.db.knex('ip_groups').where({ slink_id: slinkId, is_deleted: false }).orderBy('id');
  }

  /**
   * The IP groups in force with these logins, on live IP traffic links (rpcf_put_unif_iptr names a link by them): a
   * login may come once per link it is on.
   */
  async ipGroupsByLogin(
    logins: readonly string[],
  ): Promise<{ login: string; slinkId: number; accountId: number; ip: string }[]> {
    const out: { login: string; slinkId: number; accountId: number; ip: string }[] = [];
    for (let i = 0; i < logins.length; i += 500) {
      const rows: Record<string, unknown>[] = await this.db
        .knex('ip_groups as g')
        .join('service_links as l', 'l.id', 'g.slink_id')
        .join('services as s', 's.id', 'l.service_id')
        .whereIn('g.login', logins.slice(i, i + 500))
        .where({ 'g.is_deleted': false, 'l.is_deleted': false, 's.service_type': ServiceType.IPTRAFFIC })
        .select('g.login', 'g.slink_id', 'l.account_id', 'g.ip');
      for (const r of rows)
        out.push({
          login: String(r['login']),
          slinkId: Number(r['slink_id']),
          accountId: Number(r['account_id']),
          ip: String(r['ip']),
        });
    }
    return out;
  }

  /** A live (not deleted) service link of an IP traffic service, or undefined. */
  async ipTrafficLink(slinkId: number): Promise<SLink | undefined> {
    const r = await this.db
      .knex('service_links as l')
      .join('services as s', 's.id', 'l.service_id')
      .where({ 'l.id': slinkId, 'l.is_deleted': false, 's.service_type': ServiceType.IPTRAFFIC })
      .first('l.*');
    return r ? toSLink(r) : undefined;
  }

  /** The 'ip_groups' topic: every address of every live IP traffic link. */
  async ipGroupItems(): Promise<IpGroupItem[]> {
    const providers = await this.providerIps();
    const rows: Record<string, unknown>[] = await this.db
      .knex('ip_groups')
      .join('service_links', 'service_links.id', 'ip_groups.slink_id')
      .where({ 'ip_groups.is_deleted': false, 'service_links.is_deleted': false })
      .select(
        'ip_groups.id',
        'ip_groups.slink_id',
        'service_links.account_id',
        'ip_groups.ip',
        'ip_groups.mask',
        'ip_groups.router_id',
      );
    return rows.map((r) => ({
      id: Number(r['id']),
      slinkId: Number(r['slink_id']),
      accountId: Number(r['account_id']),
      ip: String(r['ip']),
      mask: Number(r['mask']),
      providerIp: Number(r['router_id']) > 0 ? (providers.get(Number(r['router_id'])) ?? '') : '',
    }));
  }

  // ---- NetFlow providers and traffic collectors ----

  async providerIps(): Promise<Map<number, string>> {
    const rows: { id: number; ip: string }[] = await this.db.knex('netflow_providers').select('id', 'ip');
    return new Map(rows.map((r) => [Number(r.id), String(r.ip)]));
  }

  async providers(): Promise<{ id: number; collectorId: number; name: string; ip: string; comment: string }[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('netflow_providers').orderBy('id');
    return rows.map((r) => ({
      id: Number(r['id']),
      collectorId: Number(r['collector_id']),
      name: String(r['name']),
      ip: String(r['ip']),
      comment: String(r['comment']),
    }));
  }

  async addProvider(p: { collectorId: number; name: string; ip: string; comment?: string }): Promise<number> {
    if (!p.name.trim()) throw bad('a NetFlow provider needs a name');
    if (!parsePrefix(p.ip) || p.ip.includes('/'))
      throw bad(`NetFlow provider '${p.name}': '${p.ip}' is not an IP address`);
    if (!(await this.db.knex('traffic_collectors').where({ id: p.collectorId }).first('id')))
      throw bad(`NetFlow provider '${p.name}': no traffic collector ${p.collectorId}`);
    if (await this.db.knex('netflow_providers').where({ name: p.name }).first('id'))
      throw bad(`a NetFlow provider named '${p.name}' exists`);
    const [id] = await this.db
      .knex('netflow_providers')
      .insert({ collector_id: p.collectorId, name: p.name, ip: p.ip, comment: p.comment ?? '' });
    this.changed('traffic_collectors');
    return Number(id);
  }

  async removeProvider(id: number): Promise<void> {
    const use = await this.db.knex('ip_groups').where({ router_id: id, is_deleted: false }).first('slink_id');
    if (use) throw bad(`NetFlow provider ${id} is used by an IP group of service link ${use.slink_id}`);
    if ((await this.db.knex('netflow_providers').where({ id }).delete()) === 0) throw bad(`no NetFlow provider ${id}`);
    this.changed('traffic_collectors');
  }

  async collectors(): Promise<Record<string, unknown>[]> {
    return this.db.knex('traffic_collectors').orderBy('id');
  }

  async addCollector(c: { name: string; comment?: string }): Promise<number> {
    return this.putCollector(0, { name: c.name, comment: c.comment ?? '' });
  }

  /** Creates (id 0) or renames and re-comments a traffic collector; answers its id. */
  async putCollector(id: number, c: { name: string; comment: string }): Promise<number> {
    if (!/^[\w.-]{1,128}$/.test(c.name))
      throw bad(
        `traffic collector name '${c.name}' must be 1-128 letters, digits, '_', '.', '-' (it is tc_name in the collector's configuration)`,
      );
    const out = await this.db.tx(async (trx) => {
      const clash = await trx('traffic_collectors').where({ name: c.name }).whereNot({ id }).first('id');
      if (clash) throw bad(`a traffic collector named '${c.name}' exists (id ${clash.id})`);
      if (id === 0) {
        const [newId] = await trx('traffic_collectors').insert({ name: c.name, comment: c.comment });
        return Number(newId);
      }
      if ((await trx('traffic_collectors').where({ id }).update({ name: c.name, comment: c.comment })) === 0)
        throw bad(`no traffic collector ${id}`);
      return id;
    });
    this.changed('traffic_collectors');
    return out;
  }

  /** Removes a traffic collector that no NetFlow provider sends to; the System collector (1) stays. */
  async removeCollector(id: number): Promise<void> {
    if (id === SYSTEM_COLLECTOR)
      throw bad(`traffic collector ${id} is the System collector (the core's own NetFlow buffer uses it)`);
    await this.db.tx(async (trx) => {
      const p = await trx('netflow_providers').where({ collector_id: id }).first('id', 'name');
      if (p) throw bad(`traffic collector ${id} has NetFlow provider ${p.id} (${p.name}): move or remove it first`);
      if ((await trx('traffic_collectors').where({ id }).delete()) === 0) throw bad(`no traffic collector ${id}`);
    });
    this.changed('traffic_collectors');
  }

  /** The collector properties of the manual's Traffic collectors page. */
  async editCollector(
    id: number,
    c: Partial<Omit<CollectorItem, 'id' | 'name' | 'providers'>> & { comment?: string },
  ): Promise<void> {
    const cols: Record<string, unknown> = {};
    if (c.comment !== undefined) cols['comment'] = c.comment;
    if (c.rawPath !== undefined) cols['raw_path'] = c.rawPath;
    if (c.rawScript !== undefined) cols['raw_script'] = c.rawScript;
    if (c.rawMaxSize !== undefined) cols['raw_max_size'] = c.rawMaxSize;
    if (c.rawMaxCount !== undefined) cols['raw_max_count'] = c.rawMaxCount;
    if (c.sendLimit !== undefined) cols['send_limit'] = c.sendLimit;
    if (c.bufferSize !== undefined) cols['buffer_size'] = c.bufferSize;
    if (c.commitInterval !== undefined) cols['commit_interval'] = c.commitInterval;
    if (c.multiplierE6 !== undefined) cols['multiplier_e6'] = c.multiplierE6;
    for (const [k, v] of Object.entries(cols))
      if (typeof v === 'number' && !(v >= 0)) throw bad(`traffic collector ${id}: ${k} must be >= 0`);
    if (typeof cols['commit_interval'] === 'number' && cols['commit_interval'] < 1)
      throw bad(`traffic collector ${id}: commit interval must be at least 1 second`);
    if ((await this.db.knex('traffic_collectors').where({ id }).update(cols)) === 0)
      throw bad(`no traffic collector ${id}`);
    this.changed('traffic_collectors');
  }

  async collectorItems(): Promise<CollectorItem[]> {
    const provs = await this.providers();
    return (await this.collectors()).map((r) => ({
      id: Number(r['id']),
      name: String(r['name']),
      rawPath: String(r['raw_path']),
      rawScript: String(r['raw_script']),
      rawMaxSize: Number(r['raw_max_size']),
      rawMaxCount: Number(r['raw_max_count']),
      sendLimit: Number(r['send_limit']),
      bufferSize: Number(r['buffer_size']),
      commitInterval: Number(r['commit_interval']),
      multiplierE6: Number(r['multiplier_e6']),
      providers: provs.filter((p) => p.collectorId === Number(r['id'])).map((p) => p.ip),
    }));
  }
}
