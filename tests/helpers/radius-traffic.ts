import type { CoreInstance } from './core-instance';
import { withCore } from './core-db';

/** Registers the NAS 127.0.0.1 with `secret` on a stopped test core, so utm5_radius accepts its Accounting-Requests. */
export function addLoopbackNas(inst: CoreInstance, secret: string): Promise<number> {
  return withCore(inst, (core) => core.radius.catalog.addNas({ name: 'test-nas', ip: '127.0.0.1', secret }));
}

export interface AccountTraffic {
  /** The account's charges in units, oldest first (one per committed traffic charge). */
  readonly charges: number[];
  readonly balance: number;
  /** Bytes the account has in traffic_stats, and the collector ids they are recorded under. */
  readonly bytes: number;
  readonly collectors: number[];
}

/** What a stopped test core committed for each account: charges, balance and traffic statistics. */
export function accountTraffic(inst: CoreInstance, accounts: readonly number[]): Promise<AccountTraffic[]> {
  return withCore(inst, async (core) => {
    const k = core.db.knex;
    const out: AccountTraffic[] = [];
    for (const a of accounts) {
      const charges: Record<string, unknown>[] = await k('account_ledger')
        .where({ account_id: a, kind: 'charge' })
        .orderBy('id');
      const stats: Record<string, unknown>[] = await k('traffic_stats').where({ account_id: a });
      out.push({
        charges: charges.map((r) => -Number(r['amount']) / 1e6),
        balance: (await core.billing.accounts.get(a))!.balance / 1e6,
        bytes: stats.reduce((n, r) => n + Number(r['bytes']), 0),
        collectors: [...new Set(stats.map((r) => Number(r['collector_id'])))],
      });
    }
    return out;
  });
}
