import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '@utm5/common';
import type { TrafficItem } from '@utm5/protocol';
import { DAY, M, T0, ADMIN } from '../testing/billing-fixture';
import { tarifFixture } from '../testing/tariffication-fixture';
import { PeriodType } from '../tariffication/period-calendar';
import { ChargeMethod, ServiceStatus, ServiceType } from '../tariffication/model';
import { TrafficBilling } from './billing';
import { TrafficCatalog, type IpTrafficParams } from './catalog';
import { GroupType } from './pricing';

const MB = 1024 * 1024;
type F = Awaited<ReturnType<typeof tarifFixture>>;

async function setup(params: Record<string, string> = {}) {
  const f = await tarifFixture({
    min_traffic_charge: '5',
    traffic_aggregation_timeout: '900',
    bytes_in_kbyte: '1024',
    ...params,
  });
  const catalog = new TrafficCatalog(f.db, () => undefined);
  const tb = new TrafficBilling(
    f.db,
    f.b,
    f.t.charger,
    catalog,
    f.clock,
    nullLogger,
    (n) => ({ min_traffic_charge: '5', traffic_aggregation_timeout: '900', bytes_in_kbyte: '1024', ...params })[n],
  );
  f.t.linkHooks.push(tb);
  const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
  for (const id of [1, 2, 3]) {
    await catalog.addTclass({ id, name: `class ${id}`, subclasses: [] });
  }
  return { f, catalog, tb, period };
}

async function ipService(s: Awaited<ReturnType<typeof setup>>, fee: number, p: Partial<IpTrafficParams>) {
  const id = await s.f.t.catalog.addService({
    name: `inet ${fee}`,
    type: ServiceType.IPTRAFFIC,
    status: ServiceStatus.COMMON,
    cost: M(fee),
    method: ChargeMethod.AT_END,
    multipleLinking: true,
  });
  await s.f.db.tx((trx) =>
    s.catalog.setIpTrafficParams(trx, id, {
      resetPrepaid: false,
      aggregationInterval: 0,
      isDynamic: false,
      sessionsLimit: 0,
      borders: [],
      prepaid: [],
      groups: [],
      ...p,
    }),
  );
  return id;
}

async function link(s: Awaited<ReturnType<typeof setup>>, serviceId: number, ip: string) {
  const u = await s.f.user();
  const slink = await s.f.t.addPeriodicLink(
    ADMIN,
    { accountId: u.accountId, serviceId, periodId: s.period },
    (trx, id) => s.catalog.setIpGroups(trx, id, [{ ip, mask: 32 }]),
  );
  return { accountId: u.accountId, slink };
}

async function send(f: F, tb: TrafficBilling, l: { accountId: number; slink: number }, tclass: number, bytes: number) {
  const item: TrafficItem = {
    s: l.slink,
    a: l.accountId,
    c: tclass,
    ip: '10.0.0.1',
    t: f.clock.now(),
    b: Math.round(bytes),
    p: 1,
  };
  return f.db.tx((trx) => tb.ingest(trx, [item], 1, f.clock.now()));
}

test("the manual's traffic test case: 5 users, 3 months, 15 balances", async () => {
  const s = await setup();
  const { f } = s;
  try {
    const users = [
      { prepaid: 50, cost: 0.2, fee: 3, daily: [0.5, 1, 1.5] },
      { prepaid: 50, cost: 0.2, fee: 3, daily: [2, 2.5, 3] },
      { prepaid: 50, cost: 0.2, fee: 3, daily: [4, 5, 6] },
      { prepaid: 500, cost: 0.15, fee: 100, daily: [10, 20, 30] },
      { prepaid: 500, cost: 0.15, fee: 100, daily: [40, 50, 60] },
    ];
    const links = [];
    for (const [i, u] of users.entries()) {
      const svc = await ipService(s, u.fee, {
        resetPrepaid: true,
        borders: [{ tclass: 1, size: 0, cost: M(u.cost) }],
        prepaid: [{ tclass: 1, size: u.prepaid * MB, max: 0 }],
      });
      links.push(await link(s, svc, `10.0.0.${i + 1}`));
    }
    const expected = [
      [-3, -5, -17, -100, -205],
      [-6, -13.5, -41, -218, -462.5],
      [-9, -24.5, -70, -378, -757.5],
    ];
    for (const [m, days] of [30, 31, 30].entries()) {
      for (let d = 0; d < days; d++) {
        await f.clock.advance(DAY / 2);
        for (const [i, u] of users.entries()) await send(f, s.tb, links[i]!, 1, u.daily[m]! * MB);
        await f.clock.advance(DAY / 2);
      }
      const balances = [];
      for (const l of links) balances.push(await f.balance(l.accountId));
      assert.deepEqual(balances, expected[m], `month ${m + 1}`);
    }
  } finally {
    await f.done();
  }
});

test('prepaid is carried over, capped by accumulate-no-more-than, and the traffic is charged at the threshold', async () => {
  const s = await setup();
  const { f } = s;
  try {
    const svc = await ipService(s, 0, {
      borders: [{ tclass: 1, size: 0, cost: M(1) }],
      prepaid: [{ tclass: 1, size: 100 * MB, max: 30 * MB }],
    });
    const l = await link(s, svc, '10.0.0.9');
    await send(f, s.tb, l, 1, 40 * MB); // 60 MB prepaid left, 30 carried
    await f.clock.set(T0 + 30 * DAY);
    const may = await f.db.knex('slink_traffic').where({ slink_id: l.slink, tclass_id: 1 }).orderBy('period_id');
    assert.deepEqual(
      may.map((r: Record<string, unknown>) => Number(r['prepaid']) / MB),
      [100, 130],
    );
    await send(f, s.tb, l, 1, 130 * MB);
    assert.equal(await f.balance(l.accountId), 0);
    await send(f, s.tb, l, 1, 3 * MB); // 3 below the minimal charge of 5: accrued, not charged
    assert.equal(await f.balance(l.accountId), 0);
    await send(f, s.tb, l, 1, 2 * MB); // 5 reached
    assert.equal(await f.balance(l.accountId), -5);
    await send(f, s.tb, l, 1, 1 * MB);
    assert.equal(await f.balance(l.accountId), -5);
    await f.clock.advance(901);
    assert.equal(await s.tb.chargeDue(false), 1); // the aggregation timeout passed
    assert.equal(await f.balance(l.accountId), -6);
    const rows = await f.rows(l.accountId);
    assert.deepEqual(
      rows.map((r) => r.amount),
      [-5, -1],
    );
    assert.ok(rows.every((r) => r.type === ServiceType.IPTRAFFIC && r.slink === l.slink));
    // the next period: with nothing carried (130 used of 130), only the base 100
    await f.clock.set(T0 + 61 * DAY);
    const jun = await f.db.knex('slink_traffic').where({ slink_id: l.slink, tclass_id: 1 }).orderBy('period_id');
    assert.equal(Number(jun.at(-1)['prepaid']) / MB, 100);
  } finally {
    await f.done();
  }
});

test('groups: a sum group prices one class at the total, a max group at the leader', async () => {
  const s = await setup();
  const { f } = s;
  try {
    const sum = await ipService(s, 0, {
      borders: [
        { tclass: 1, size: 100 * MB, cost: M(1) },
        { tclass: 2, size: 100 * MB, cost: M(2) },
      ],
      groups: [
        { tclass: 1, group: 1, type: GroupType.SUM },
        { tclass: 2, group: 1, type: GroupType.SUM },
      ],
    });
    const l = await link(s, sum, '10.0.1.1');
    await send(f, s.tb, l, 1, 90 * MB);
    await send(f, s.tb, l, 2, 20 * MB); // 10 free, 10 at 2
    await s.tb.chargeDue(true);
    assert.equal(await f.balance(l.accountId), -20);
    const max = await ipService(s, 0, {
      borders: [
        { tclass: 1, size: 100 * MB, cost: M(1) },
        { tclass: 2, size: 100 * MB, cost: M(2) },
      ],
      groups: [
        { tclass: 1, group: 1, type: GroupType.MAX },
        { tclass: 2, group: 1, type: GroupType.MAX },
      ],
    });
    const m = await link(s, max, '10.0.1.2');
    await send(f, s.tb, m, 1, 150 * MB); // 50 at 1
    await send(f, s.tb, m, 2, 10 * MB); // priced at the leader's 150: 10 at 2
    await s.tb.chargeDue(true);
    assert.equal(await f.balance(m.accountId), -70);
    await assert.rejects(
      ipService(s, 0, {
        prepaid: [{ tclass: 1, size: MB, max: 0 }],
        groups: [{ tclass: 1, group: 1, type: GroupType.SUM }],
      }),
      /exclude each other/,
    );
  } finally {
    await f.done();
  }
});

test('traffic of a removed link is dropped; a removed link is charged what it accrued', async () => {
  const s = await setup();
  const { f } = s;
  try {
    const svc = await ipService(s, 0, { borders: [{ tclass: 3, size: 0, cost: M(1) }] });
    const l = await link(s, svc, '10.0.2.1');
    await send(f, s.tb, l, 3, 2 * MB);
    assert.equal(await f.balance(l.accountId), 0);
    await f.t.deleteLink(ADMIN, l.slink);
    assert.equal(await f.balance(l.accountId), -2);
    const r = await send(f, s.tb, l, 3, 2 * MB);
    assert.deepEqual(r, { accepted: 0, dropped: 1 });
    const bad = await f.db.tx((trx) =>
      s.tb.ingest(trx, [{ s: 'x' }, null, { s: l.slink, c: 1, ip: 'a', t: 0, b: -1, p: 0 }], 1, f.clock.now()),
    );
    assert.deepEqual(bad, { accepted: 0, dropped: 3 });
    assert.equal(await f.balance(l.accountId), -2);
  } finally {
    await f.done();
  }
});
