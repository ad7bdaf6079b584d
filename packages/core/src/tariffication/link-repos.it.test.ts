import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { openDatabase, verifyDatabase } from '@utm5/db';
import { onEveryBackend, type Backend } from '@utm5/db/testing';
import { Billing } from '../billing/billing';
import { emptyProfile } from '../billing/users/user-profile';
import { ACCOUNT, ADMIN, DAY, M, T0 } from '../testing/billing-fixture';
import { Tariffication } from './engine';
import { ServiceStatus, ServiceType } from './model';
import { PeriodType } from './period-calendar';

async function setup(backend: Backend, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-links-'));
  const db = await openDatabase(backend.fresh(name));
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const clock = new TestClock(T0);
  const params: Record<string, string> = { system_currency: '810', card_user_prefix: 'card_' };
  const b = new Billing({
    db,
    secrets: SecretBox.fromKeyFile(join(dir, 'key')),
    clock,
    log: nullLogger,
    param: (n) => params[n],
  });
  await b.start();
  const t = new Tariffication({
    db,
    billing: b,
    clock,
    timezone: () => 'UTC',
    log: nullLogger,
    param: (n) => params[n],
  });
  await t.start();
  let n = 0;
  return {
    db,
    b,
    t,
    clock,
    user: () =>
      b.users.add(ADMIN, {
        login: `u${++n}`,
        password: 'pw',
        profile: emptyProfile(810),
        params: [],
        groups: [],
        account: { ...ACCOUNT, balance: M(1000) },
      }),
    async done() {
      await t.stop();
      await b.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

onEveryBackend('service and tariff link repositories', (backend) => {
  test('service links: in force, removed, of an account with service and plan, usage checks, period fees', async () => {
    const f = await setup(backend(), 'slinks');
    try {
      const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
      const policy = await f.t.catalog.savePolicy(0, { name: 'p', flags: 0, timemarks: [] });
      const scheme = await f.t.catalog.saveScheme(0, 's', '', [{ delay: 1, duration: 1, coeffE6: 500_000 }]);
      const plan = await f.t.catalog.addTariff({ name: 'Basic', comments: '', zeroBalance: false }, ADMIN.id);
      const tpl = await f.t.catalog.addService({
        name: 'tpl',
        type: ServiceType.PERIODIC,
        status: ServiceStatus.TEMPLATE,
        cost: M(10),
      });
      const inPlan = await f.t.catalog.addService({
        name: 'plan fee',
        type: ServiceType.PERIODIC,
        status: ServiceStatus.TARIFF,
        parentId: tpl,
        tariffId: plan,
        cost: M(30),
        linkByDefault: true,
      });
      const fee = await f.t.catalog.addService({
        name: 'fee',
        type: ServiceType.PERIODIC,
        status: ServiceStatus.COMMON,
        cost: M(100),
        schemeId: scheme,
        multipleLinking: true,
      });
      const { accountId } = await f.user();
      const other = (await f.user()).accountId;
      const l1 = await f.t.addPeriodicLink(ADMIN, {
        accountId,
        serviceId: fee,
        periodId: period,
        policyId: policy,
        costCoefE6: 2_000_000,
      });
      await f.t.linkTariff(ADMIN, { accountId, current: plan, next: plan, periodId: period });
      const l2 = l1 + 1;
      const l3 = await f.t.addPeriodicLink(ADMIN, { accountId: other, serviceId: fee, periodId: period });
      const links = f.t.catalog.links;

      const got = await links.get(l1);
      assert.deepEqual(
        [got?.id, got?.accountId, got?.serviceId, got?.periodId, got?.policyId, got?.costCoefE6],
        [l1, accountId, fee, period, policy, 2_000_000],
      );
      assert.deepEqual(await links.ofAccount(accountId), [
        {
          id: l1,
          serviceId: fee,
          periodId: period,
          costCoefE6: 2_000_000,
          serviceType: ServiceType.PERIODIC,
          serviceName: 'fee',
          serviceCost: M(100),
          tariffName: '',
        },
        {
          id: l2,
          serviceId: inPlan,
          periodId: period,
          costCoefE6: 1_000_000,
          serviceType: ServiceType.PERIODIC,
          serviceName: 'plan fee',
          serviceCost: M(30),
          tariffName: 'Basic',
        },
      ]);
      assert.equal(await links.countOfService(fee), 2);
      assert.equal(await links.anyOfService(fee), true);
      assert.equal(await links.anyWithPolicy(policy), true);
      assert.equal(await links.serviceOfSchemeInUse(scheme), fee);
      assert.deepEqual(await links.periodFees(l1, period), { charged: M(200), repaid: 0 });
      assert.equal(await links.periodFees(l1, period + 1000), undefined);

      await f.clock.advance(DAY);
      await f.t.deleteLink(ADMIN, l1);
      await f.t.deleteLink(ADMIN, l3);
      assert.equal(await links.get(l1), undefined);
      assert.equal((await links.find(l1))?.isDeleted, true);
      assert.equal(await links.find(999_999), undefined);
      assert.deepEqual(
        (await links.ofAccount(accountId)).map((l) => l.id),
        [l2],
      );
      assert.equal(await links.countOfService(fee), 0);
      assert.equal(await links.anyOfService(fee), false);
      assert.equal(await links.anyWithPolicy(policy), false);
      assert.equal(await links.serviceOfSchemeInUse(scheme), undefined);
    } finally {
      await f.done();
    }
  });

  test('tariff links: of a user and of one account, by id, plan in use, history with the plan name', async () => {
    const f = await setup(backend(), 'tlinks');
    try {
      const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
      const basic = await f.t.catalog.addTariff({ name: 'Basic', comments: '', zeroBalance: false }, ADMIN.id);
      const lite = await f.t.catalog.addTariff({ name: 'Lite', comments: '', zeroBalance: false }, ADMIN.id);
      const spare = await f.t.catalog.addTariff({ name: 'Spare', comments: '', zeroBalance: false }, ADMIN.id);
      const u = await f.user();
      const second = await f.db.tx((trx) => f.b.accounts.create(trx, u.userId, ACCOUNT, ADMIN));
      const t1 = await f.t.linkTariff(ADMIN, { accountId: u.accountId, current: basic, next: lite, periodId: period });
      await f.clock.advance(DAY);
      const t2 = await f.t.linkTariff(ADMIN, { accountId: second, current: lite, next: lite, periodId: period });
      const tl = f.t.catalog.tariffLinks;

      assert.deepEqual(
        (await tl.ofUser(u.userId)).map((t) => [t.id, t.accountId, t.current, t.next, t.periodId]),
        [
          [t1, u.accountId, basic, lite, period],
          [t2, second, lite, lite, period],
        ],
      );
      assert.deepEqual(
        (await tl.ofUser(u.userId, second)).map((t) => t.id),
        [t2],
      );
      assert.equal((await tl.get(t1))?.accountId, u.accountId);
      assert.equal(await tl.planInUse(basic), true);
      assert.equal(await tl.planInUse(lite), true);
      assert.equal(await tl.planInUse(spare), false);

      await f.clock.advance(DAY);
      await f.t.unlinkTariff(ADMIN, u.accountId, t1);
      assert.equal(await tl.get(t1), undefined);
      assert.deepEqual(
        (await tl.ofUser(u.userId)).map((t) => t.id),
        [t2],
      );
      assert.equal(await tl.planInUse(basic), false);
      await f.t.catalog.removeTariff(basic);
      assert.deepEqual(await tl.history(u.accountId), [
        { tariffId: basic, linkDate: T0, unlinkDate: T0 + 2 * DAY, tariffName: 'Basic' },
      ]);
      assert.deepEqual(await tl.history(second), [
        { tariffId: lite, linkDate: T0 + DAY, unlinkDate: 0, tariffName: 'Lite' },
      ]);
    } finally {
      await f.done();
    }
  });
});
