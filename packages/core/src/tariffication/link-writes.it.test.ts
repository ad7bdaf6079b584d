import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, verifyDatabase, type Database } from '@utm5/db';
import { onEveryBackend } from '@utm5/db/testing';
import { ChargeMethod, ServiceType } from './model';
import { ServiceLinkRepo } from './service-link-repo';
import { TariffLinkRepo } from './tariff-link-repo';
import { PolicyFlag } from './charge-policy';

const T0 = 1_049_155_200;

async function open(fresh: () => Promise<Database>) {
  const db = await fresh();
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const [pol] = await db
    .knex('charge_policies')
    .insert({ name: 'funds lack', flags: PolicyFlag.BLOCK_ON_FUNDS_LACK, timemarks: '3600,7200' });
  const [flow] = await db
    .knex('services')
    .insert({ name: 'flow', service_type: ServiceType.PERIODIC, status: 0, discount_method: ChargeMethod.FLOW });
  const [start] = await db
    .knex('services')
    .insert({ name: 'start', service_type: ServiceType.PERIODIC, status: 0, discount_method: ChargeMethod.AT_START });
  const [p1] = await db
    .knex('discount_periods')
    .insert({ static_id: 1, start_date: T0, end_date: T0 + 86400, periodic_type: 1, anchor: T0 });
  const [p2] = await db
    .knex('discount_periods')
    .insert({ static_id: 1, start_date: T0 + 86400, end_date: T0 + 2 * 86400, periodic_type: 1, anchor: T0 });
  return { db, policy: Number(pol), flow: Number(flow), start: Number(start), p1: Number(p1), p2: Number(p2) };
}

onEveryBackend('tariffication link repositories', (backend) => {
  test('service links: insert only the given columns, update, end, and the queries the engine runs by period and account', async () => {
    const { db, policy, flow, start, p1, p2 } = await open(() => openDatabase(backend().fresh('slinks')));
    try {
      const r = new ServiceLinkRepo(db);
      const base = {
        accountId: 7,
        userId: 70,
        tariffLinkId: 0,
        startDate: T0,
        expireDate: 2_000_000_000,
        createdAt: T0,
      };
      const [a, b, once] = await db.tx(async (trx) => [
        await r.insert(trx, { ...base, serviceId: flow, periodId: p1, policyId: policy, comment: 'flow link' }),
        await r.insert(trx, { ...base, serviceId: start, periodId: p1 }),
        await r.insert(trx, { ...base, serviceId: start, periodId: 0, discountDate: T0 + 100 }),
      ]);
      const row = await db.knex('service_links').where({ id: b }).first();
      assert.equal(Number(row.policy_id), 0, 'an omitted column keeps its default');
      assert.equal(Number(row.cost_coef_e6), 1_000_000);
      await db.tx(async (trx) => {
        await r.addPeriodRecord(trx, a!, p1, 0);
        await r.addPeriodRecord(trx, b!, p1, 3);
      });
      assert.deepEqual(await r.pendingOnce(), [{ id: once, discountDate: T0 + 100 }]);
      assert.equal(await r.liveLinkTo(db.knex, 7, start), b);
      assert.equal(await r.liveLinkTo(db.knex, 8, start), undefined);
      assert.deepEqual(await r.accountsInPeriod(p1), [7]);
      assert.deepEqual((await r.ofAccountInPeriod(db.knex, 7, p1)).map((l) => l.id).sort(), [a, b].sort());
      assert.deepEqual(
        (await r.policiesInPeriod(p1)).map((x) => [String(x.timemarks), Number(x.flags)]),
        [['3600,7200', PolicyFlag.BLOCK_ON_FUNDS_LACK]],
      );
      const withPolicy = await r.periodRecordsWithPolicy(p1);
      assert.equal(withPolicy.length, 1);
      assert.equal(withPolicy[0]!.accountId, 7);
      assert.equal(withPolicy[0]!.lp.slinkId, a);
      assert.deepEqual(await r.flowLinksInPeriod(p1), [{ accountId: 7, slinkId: a }]);
      assert.equal((await r.periodRecord(db.knex, b!, p1))?.ordinal, 3);
      assert.equal(await r.periodRecord(db.knex, b!, p2), undefined);
      assert.deepEqual((await r.unsettled(db.knex, 7)).map((lp) => lp.slinkId).sort(), [a, b].sort());

      await db.knex('slink_periods').where({ slink_id: b }).update({ skipped: true });
      assert.deepEqual(
        (await r.skippedInOpenPeriods(db.knex, 7)).map((lp) => lp.slinkId),
        [b],
      );
      await db.tx((trx) => r.unskip(trx, b!, p1));
      assert.deepEqual(await r.skippedInOpenPeriods(db.knex, 7), []);

      await db.tx(async (trx) => {
        await r.update(trx, b!, { periodId: p2, costCoefE6: 500_000, policyId: policy });
        await r.markOnceCharged(trx, once!);
        await r.end(trx, a!, T0 + 5);
        await r.freezePolicies(trx, 99, 7);
      });
      const moved = await db.knex('service_links').where({ id: b }).first();
      assert.equal(Number(moved.discount_period_id), p2);
      assert.equal(Number(moved.cost_coef_e6), 500_000);
      assert.equal(Number(moved.start_date), T0, 'an update leaves the columns it is not given');
      assert.deepEqual(await r.pendingOnce(), []);
      const ended = await db.knex('service_links').where({ id: a }).first();
      assert.ok(Boolean(ended.is_deleted));
      assert.equal(Number(ended.removed_at), T0 + 5);
      const frozen = await db.knex('block_policies').where({ block_id: 99 }).select('slink_id');
      assert.deepEqual(
        frozen.map((f: { slink_id: number }) => Number(f.slink_id)),
        [b],
        'the live periodic links only',
      );
      await db.tx((trx) => r.freezePolicies(trx, 99, 7)); // a second freeze of the same block is ignored
      assert.equal((await db.knex('block_policies').where({ block_id: 99 })).length, 1);
      assert.deepEqual((await r.ofTariffLink(db.knex, 0)).map((l) => l.id).sort(), [b, once].sort());
    } finally {
      await db.close();
    }
  });

  test('tariff links and their history', async () => {
    const { db, p1, p2 } = await open(() => openDatabase(backend().fresh('tlinks')));
    try {
      const r = new TariffLinkRepo(db);
      const id = await db.tx(async (trx) => {
        const x = await r.insert(trx, { accountId: 7, userId: 70, current: 1, next: 1, periodId: p1, linkDate: T0 });
        await r.historyOpen(trx, 7, 1, T0);
        return x;
      });
      assert.equal((await r.ofAccount(db.knex, id, 7))?.current, 1);
      assert.equal(await r.ofAccount(db.knex, id, 8), undefined);
      assert.deepEqual(await r.accountsInPeriod(p1), [7]);
      assert.equal(await r.setNext(id, 2), 1);
      assert.equal(await r.setNext(id + 100, 2), 0);
      await db.tx(async (trx) => {
        await r.setCurrent(trx, id, 2);
        await r.historyClose(trx, 7, 1, T0 + 10);
        await r.historyOpen(trx, 7, 2, T0 + 10);
        await r.movePeriod(trx, 7, p1, p2);
      });
      const [t] = await r.ofAccountInPeriod(db.knex, 7, p2);
      assert.equal(t?.current, 2);
      assert.equal(t?.next, 2);
      const hist = await db.knex('tariff_history').where({ account_id: 7 }).orderBy('id');
      assert.deepEqual(
        hist.map((h: Record<string, unknown>) => [Number(h['tariff_id']), Number(h['unlink_date'])]),
        [
          [1, T0 + 10],
          [2, 0],
        ],
      );
      await db.tx((trx) => r.markUnlinked(trx, id, T0 + 20));
      assert.equal(await r.ofAccount(db.knex, id, 7), undefined);
      assert.deepEqual(await r.accountsInPeriod(p2), []);
    } finally {
      await db.close();
    }
  });
});
