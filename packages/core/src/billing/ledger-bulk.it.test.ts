import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryBackend } from '@utm5/db/testing';
import { billingFixture, M, T0 } from '../testing/billing-fixture';
import type { BillingEvent } from '../events/billing-events';
import { Ledger, money, post, postMany, rebuild, type Movement } from './ledger';

onEveryBackend('bulk ledger post', (backend) => {
  test('postMany writes every movement once and moves each balance and credit by exactly their sum', async () => {
    const f = await billingFixture({ db: backend().fresh('ledger_bulk') });
    try {
      const accounts: number[] = [];
      for (let i = 0; i < 30; i++) accounts.push((await f.user({ balance: M(i) })).accountId);
      let x = 7;
      const rnd = (n: number) => (x = (x * 1103515245 + 12345) & 0x7fffffff) % n;
      // Several movements per account, zero amounts among them, in no account order: more than one chunk (200).
      const ms: Movement[] = Array.from({ length: 450 }, (_, i) => ({
        accountId: accounts[rnd(accounts.length)]!,
        ts: T0 + i,
        kind: 'charge',
        amount: rnd(5) === 0 ? 0 : -rnd(10_000_000),
        creditDelta: rnd(7) === 0 ? rnd(1000) : 0,
        slinkId: i,
        comment: `bulk ${i}`,
      }));
      const before = new Map<number, { balance: number; credit: number }>();
      for (const a of accounts) before.set(a, await f.db.tx((trx) => money(trx, a)));
      const rowsBefore = Number((await f.db.knex('account_ledger').count({ n: '*' }))[0]!.n);
      await f.db.tx((trx) => postMany(trx, ms));
      for (const a of accounts) {
        const mine = ms.filter((m) => m.accountId === a);
        const got = await f.db.tx((trx) => money(trx, a));
        assert.deepEqual(
          got,
          {
            balance: before.get(a)!.balance + mine.reduce((s, m) => s + m.amount, 0),
            credit: before.get(a)!.credit + mine.reduce((s, m) => s + (m.creditDelta ?? 0), 0),
          },
          `account ${a}`,
        );
      }
      const rows = await f.db.knex('account_ledger').where('comment', 'like', 'bulk %').select('slink_id', 'amount');
      assert.equal(rows.length, ms.length, 'one ledger row per movement');
      assert.equal(Number((await f.db.knex('account_ledger').count({ n: '*' }))[0]!.n), rowsBefore + ms.length);
      assert.deepEqual(
        rows
          .map((r: { slink_id: number; amount: number }) => [Number(r.slink_id), Number(r.amount)])
          .sort((a, b) => a[0]! - b[0]!),
        ms.map((m) => [m.slinkId, m.amount]),
      );
      // And the cached money still equals the ledger, as post() keeps it.
      await f.db.tx((trx) => post(trx, { accountId: accounts[0]!, ts: T0, kind: 'payment', amount: M(1) }));
      const rebuilt = await rebuild(f.db.knex);
      for (const a of accounts) assert.deepEqual(await f.db.tx((trx) => money(trx, a)), rebuilt.get(a), `account ${a}`);
      await f.db.tx((trx) => postMany(trx, []));
    } finally {
      await f.done();
    }
  });

  test('Ledger.postMany raises a balance event for each account whose batch passed a border, once', async () => {
    const f = await billingFixture({ db: backend().fresh('ledger_bulk_borders') });
    try {
      const a = (await f.user({ balance: M(10) })).accountId;
      const b = (await f.user({ balance: M(10) })).accountId;
      const c = (await f.user({ balance: M(10) })).accountId;
      const seen: BillingEvent[] = [];
      const ledger = new Ledger({ emit: async (_trx, ev) => void seen.push(ev) }, () => [0, M(5)]);
      const charge = (accountId: number, amount: number): Movement => ({ accountId, ts: T0, kind: 'charge', amount });
      // a: 10 -> 7 -> 3 (passes 5 within the batch); b: 10 -> 6 (no border); c: 10 -> -2 (passes 5 and 0).
      await f.db.tx((trx) =>
        ledger.postMany(trx, [charge(a, -M(3)), charge(b, -M(4)), charge(a, -M(4)), charge(c, -M(12))], T0),
      );
      const byAccount = new Map(seen.map((e) => [e.kind === 'balance' ? e.accountId : 0, e]));
      assert.equal(seen.length, 2, JSON.stringify(seen));
      assert.deepEqual(byAccount.get(a), { kind: 'balance', accountId: a, balance: M(3), border: M(5) });
      assert.deepEqual(byAccount.get(c), { kind: 'balance', accountId: c, balance: -M(2), border: 0 });
    } finally {
      await f.done();
    }
  });
});
