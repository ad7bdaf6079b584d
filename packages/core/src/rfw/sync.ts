import type { Database, Knex } from '@utm5/db';
import type { RfwSyncFlag } from '@utm5/protocol';
import type { BillingEvent } from '../events/billing-events';
import { ServiceType } from '../tariffication/model';
import type { ContextReader } from './context';
import { hasEvent, syncEvents, type FwEventKey } from './fw-events';
import type { CommandQueue, QueueRow } from './queue';
import type { RuleRepo } from './rule-repo';

export interface SyncDeps {
  readonly db: Database;
  readonly rules: RuleRepo;
  readonly context: ContextReader;
  readonly queue: CommandQueue;
}

type Row = Record<string, unknown>;

/** The events of the current state a sync flag replays, as the billing events that would have made it. */
async function stateEvents(trx: Knex.Transaction, flag: RfwSyncFlag): Promise<BillingEvent[]> {
  const accounts = () => trx('accounts').where({ is_deleted: false }).orderBy('id');
  const links = (type: number) =>
    trx('service_links as l')
      .join('services as s', 's.id', 'l.service_id')
      .where({ 'l.is_deleted': false, 's.service_type': type })
      .orderBy('l.id')
      .select('l.id', 'l.account_id');
  switch (flag) {
    case 'enable':
    case 'disable': {
      const rows: Row[] = await accounts()
        .where({ int_status: flag === 'enable' })
        .select('id');
      return rows.map((r) => ({ kind: 'internet', on: flag === 'enable', accountId: Number(r['id']) }));
    }
    case 'users': {
      const rows: Row[] = await trx('users').where({ is_deleted: false }).orderBy('id').select('id');
      return rows.map((r) => ({ kind: 'user', op: 'add', userId: Number(r['id']) }));
    }
    case 'iptraffic':
    case 'dialup': {
      const type = flag === 'iptraffic' ? ServiceType.IPTRAFFIC : ServiceType.DIALUP;
      const rows: Row[] = await links(type);
      return rows.map((r) => ({
        kind: 'link',
        op: 'add',
        serviceType: type,
        accountId: Number(r['account_id']),
        slinkId: Number(r['id']),
      }));
    }
    case 'blocks': {
      const rows: Row[] = await accounts().select('id', 'block_type');
      return rows.map((r) => ({ kind: 'block', accountId: Number(r['id']), blockType: Number(r['block_type']) }));
    }
    case 'shaping': {
      const rows: Row[] = await trx('slink_shaping as h')
        .join('service_links as l', 'l.id', 'h.slink_id')
        .where({ 'l.is_deleted': false })
        .orderBy(['h.slink_id', 'h.direction'])
        .select('h.slink_id', 'h.direction', 'h.bandwidth', 'l.account_id');
      const limit = new Map(
        rows.map((r) => [`${String(r['slink_id'])}/${String(r['direction'])}`, Number(r['bandwidth'])]),
      );
      return rows.map((r) => {
        const dir = String(r['direction']) === 'out' ? 'out' : 'in';
        const other = limit.get(`${String(r['slink_id'])}/${dir === 'in' ? 'out' : 'in'}`);
        return {
          kind: 'bandwidth',
          dir,
          op: 'set',
          accountId: Number(r['account_id']),
          slinkId: Number(r['slink_id']),
          kbit: Number(r['bandwidth']),
          otherKbit: other ?? 0,
        };
      });
    }
  }
}

/**
 * Synchronization of rules (the manual): for one firewall, queues the commands its rules give for the current state
 * of the flags' events, after whatever is already queued for it (so the firewall ends in the current state).
 */
export async function syncFirewall(
  d: SyncDeps,
  firewallId: number,
  flags: readonly RfwSyncFlag[],
  now: number,
): Promise<number> {
  return d.db.tx(async (trx) => {
    const all = await d.rules.all(trx);
    let n = 0;
    for (const flag of flags) {
      const keys = syncEvents(flag).filter((k: FwEventKey) => all.some((r) => hasEvent(r.events, k)));
      if (keys.length === 0) continue;
      const rules = all.filter(
        (r) => (r.routerId === 0 || r.routerId === firewallId) && keys.some((k) => hasEvent(r.events, k)),
      );
      if (rules.length === 0) continue;
      const rows: QueueRow[] = [];
      for (const ev of await stateEvents(trx, flag)) {
        const evKeys = keys.filter(
          (k) => !k.startsWith('bw_') || k === `bw_${ev.kind === 'bandwidth' ? ev.dir : ''}_set`,
        );
        const ctx = await d.context.read(trx, ev);
        rows.push(...(await d.queue.render(trx, rules, evKeys, ctx, now, firewallId)));
      }
      n += await d.queue.queue(trx, rows, now);
    }
    return n;
  });
}
