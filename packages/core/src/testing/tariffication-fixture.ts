import { nullLogger } from '@utm5/common';
import type { DbSettings } from '@utm5/db';
import { Tariffication } from '../tariffication/engine';
import { billingFixture } from './billing-fixture';

/** billingFixture plus a started Tariffication in UTC, for tariffication scenario tests (on `db`: another backend). */
export async function tarifFixture(params: Record<string, string> = {}, db?: DbSettings) {
  // The engine is built after billing, which asks it for card tariffs only once cards are used.
  const late: { engine?: Tariffication } = {};
  const f = await billingFixture({ cardTariffs: () => late.engine?.cardTariffs, ...(db ? { db } : {}) });
  const t = new Tariffication({
    db: f.db,
    billing: f.b,
    clock: f.clock,
    timezone: () => 'UTC',
    log: nullLogger,
    param: (n) => params[n],
  });
  late.engine = t;
  await t.start();
  return {
    ...f,
    t,
    /** Ledger rows of an account other than payments, oldest first, amounts in units. */
    async rows(accountId: number, kinds: readonly string[] = ['charge', 'repay', 'zero_balance']) {
      const r: Record<string, unknown>[] = await f.db
        .knex('account_ledger')
        .where({ account_id: accountId })
        .whereIn('kind', kinds)
        .orderBy('id');
      return r.map((x) => ({
        ts: Number(x['ts']),
        kind: String(x['kind']),
        amount: Number(x['amount']) / 1e6,
        slink: Number(x['slink_id']),
        service: Number(x['service_id']),
        type: Number(x['service_type']),
        period: Number(x['period_id']),
        tax: Number(x['tax']) / 1e6,
      }));
    },
    async balance(accountId: number) {
      return (await f.account(accountId)).balance / 1e6;
    },
    async done() {
      await t.stop();
      await f.done();
    },
  };
}
