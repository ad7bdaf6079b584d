import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY, M, T0, ADMIN } from '../testing/billing-fixture';
import { tarifFixture } from '../testing/tariffication-fixture';
import { BlockType, NO_END } from '../billing/blocking/block-types';
import { PolicyFlag, blockFlag } from './charge-policy';
import { PeriodType } from './period-calendar';
import { ChargeMethod, ServiceStatus, ServiceType } from './model';

// T0 is 2003-04-01 00:00 UTC: April has 30 days, May 31. Amounts are asserted to the micro-unit.
const APR = 30 * DAY;
const MAY1 = T0 + APR;
const JUN1 = MAY1 + 31 * DAY;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

type F = Awaited<ReturnType<typeof tarifFixture>>;

async function periodic(f: F, cost: number, more: Partial<Parameters<F['t']['catalog']['addService']>[0]> = {}) {
  return f.t.catalog.addService({
    name: `fee ${cost}`,
    type: ServiceType.PERIODIC,
    status: ServiceStatus.COMMON,
    cost: M(cost),
    ...more,
  });
}

async function funded(f: F, amount = 1000) {
  const u = await f.user();
  await f.pay(u.accountId, amount);
  return u.accountId;
}

test('monthly fee 100 linked on day 10 of a 30-day month: full fee without recalculation, 70 with it', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const recalc = await f.t.catalog.savePolicy(0, {
      name: 'recalc',
      flags: PolicyFlag.RECALC_FEE_ON_CREATE,
      timemarks: [],
    });
    const svc = await periodic(f, 100, { multipleLinking: true });
    const plain = await funded(f);
    const prorated = await funded(f);
    await f.clock.advance(9 * DAY);
    const day10 = f.clock.now();
    const l1 = await f.t.addPeriodicLink(ADMIN, { accountId: plain, serviceId: svc, periodId: period });
    const l2 = await f.t.addPeriodicLink(ADMIN, {
      accountId: prorated,
      serviceId: svc,
      periodId: period,
      policyId: recalc,
    });
    await f.clock.set(MAY1);
    const next = (await f.t.catalog.period(period))!.nextId;
    assert.ok(next > 0, 'the April period was closed and May created');
    assert.deepEqual(await f.rows(plain), [
      { ts: day10, kind: 'charge', amount: -100, slink: l1, service: svc, type: ServiceType.PERIODIC, period, tax: 0 },
      {
        ts: MAY1,
        kind: 'charge',
        amount: -100,
        slink: l1,
        service: svc,
        type: ServiceType.PERIODIC,
        period: next,
        tax: 0,
      },
    ]);
    assert.deepEqual(await f.rows(prorated), [
      { ts: day10, kind: 'charge', amount: -70, slink: l2, service: svc, type: ServiceType.PERIODIC, period, tax: 0 },
      {
        ts: MAY1,
        kind: 'charge',
        amount: -100,
        slink: l2,
        service: svc,
        type: ServiceType.PERIODIC,
        period: next,
        tax: 0,
      },
    ]);
    assert.equal(await f.balance(plain), 800);
    assert.equal(await f.balance(prorated), 830);
  } finally {
    await f.done();
  }
});

test('VAT and sale tax of the account come on top of the fee; an unlimited account is charged zero', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const svc = await periodic(f, 100);
    const taxed = (await f.user({ vatRateE6: M(18), saleTaxRateE6: M(2) })).accountId;
    const unlimited = (await f.user({ unlimited: true })).accountId;
    await f.t.addPeriodicLink(ADMIN, { accountId: taxed, serviceId: svc, periodId: period });
    await f.t.addPeriodicLink(ADMIN, { accountId: unlimited, serviceId: svc, periodId: period });
    assert.deepEqual(
      (await f.rows(taxed)).map((r) => [r.amount, r.tax]),
      [[-120, 20]],
    );
    assert.deepEqual(
      (await f.rows(unlimited)).map((r) => [r.amount, r.tax]),
      [[0, 0]],
    );
  } finally {
    await f.done();
  }
});

test('flow method, 4 charges a week: 17 parts of April, whole minimal payments, the rest at period end', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY, chargesPerWeek: 4 });
    const svc = await periodic(f, 100, { method: ChargeMethod.FLOW });
    const acc = await funded(f);
    await f.clock.advance(9 * DAY); // linked on day 10: 21 of 30 days billed, 70 in all
    const slink = await f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: svc, periodId: period });
    await f.clock.set(MAY1 - 1);
    const parts = Math.round((APR * 4) / (7 * DAY));
    assert.equal(parts, 17);
    // Part i ends at T0 + i*L/17; by then (i - 9*17/30) parts were billed: whole minimal payments of 100/17 each.
    const minimal = (k: number) => Math.round((100e6 * k) / 17) / 1e6;
    const expected = [];
    for (let i = 1; i < parts; i++) {
      const whole = Math.floor(i - (9 * 17) / 30);
      if (whole < 1) continue;
      expected.push({ ts: T0 + Math.ceil((APR * i) / parts), amount: -r6(minimal(whole) - minimal(whole - 1)) });
    }
    assert.equal(expected.length, 10);
    assert.deepEqual(
      (await f.rows(acc)).map((r) => ({ ts: r.ts, amount: r.amount })),
      expected,
    );
    await f.clock.set(MAY1);
    const rows = await f.rows(acc);
    const last = rows.find((r) => r.ts === MAY1 && r.period === period)!;
    assert.equal(last.amount, -r6(70 - minimal(10)));
    assert.equal(r6(rows.filter((r) => r.period === period).reduce((s, r) => s + r.amount, 0)), -70);
    assert.ok(rows.every((r) => r.slink === slink && r.kind === 'charge'));
  } finally {
    await f.done();
  }
});

test('a month-long administrative block from day 15 with "recalc periodic fee" is repaid when the block expires', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const policy = await f.t.catalog.savePolicy(0, {
      name: 'admin block recalc',
      flags: blockFlag(BlockType.ADMIN, PolicyFlag.RECALC_FEE_IN_BLOCK) | PolicyFlag.REPAY_ON_BLOCK_EXPIRE,
      timemarks: [],
    });
    const svc = await periodic(f, 100, { policyId: policy });
    const acc = await funded(f);
    const slink = await f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: svc, periodId: period });
    const from = T0 + 14 * DAY; // April 15
    const to = MAY1 + 14 * DAY; // May 15
    await f.b.locks.with(acc, () =>
      f.db.tx((trx) => f.b.blocks.block(trx, acc, BlockType.ADMIN, from, to, f.clock.now(), ADMIN, 'month off')),
    );
    await f.clock.set(to - 1);
    const may = (await f.t.catalog.period(period))!.nextId;
    // Nothing is given back before the block ends: no repay at period end in this policy.
    assert.deepEqual(
      (await f.rows(acc)).map((r) => [r.ts, r.kind, r.amount, r.period]),
      [
        [T0, 'charge', -100, period],
        [MAY1, 'charge', -100, may],
      ],
    );
    assert.equal((await f.account(acc)).blockType, BlockType.ADMIN);
    await f.clock.set(to);
    // April: 16 of 30 days blocked -> 53.333333 back; May: 14 of 31 days -> 45.161290 back.
    assert.deepEqual(
      (await f.rows(acc)).slice(2).map((r) => [r.ts, r.kind, r.amount, r.period, r.slink]),
      [
        [to, 'repay', 53.333333, period, slink],
        [to, 'repay', 45.16129, may, slink],
      ],
    );
    assert.equal(await f.balance(acc), r6(1000 - 200 + 53.333333 + 45.16129));
    assert.equal((await f.account(acc)).blockType, BlockType.NONE);
  } finally {
    await f.done();
  }
});

test('coefficient scheme: 0.5 in period 1 and 0.75 in period 7 since the link was made', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const scheme = await f.t.catalog.saveScheme(0, 'loyalty', '', [
      { delay: 1, duration: 1, coeffE6: 500_000 },
      { delay: 7, duration: 1, coeffE6: 750_000 },
    ]);
    const svc = await periodic(f, 100, { schemeId: scheme });
    const acc = await funded(f, 2000);
    await f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: svc, periodId: period });
    await f.clock.set(Date.UTC(2003, 11, 1) / 1000); // December 1: periods 0 (April) .. 8 (December)
    const rows = await f.rows(acc);
    assert.deepEqual(
      rows.map((r) => r.amount),
      [-100, -50, -100, -100, -100, -100, -100, -75, -100],
    );
    assert.deepEqual(
      rows.map((r) => new Date(r.ts * 1000).toISOString().slice(0, 10)),
      [
        '2003-04-01',
        '2003-05-01',
        '2003-06-01',
        '2003-07-01',
        '2003-08-01',
        '2003-09-01',
        '2003-10-01',
        '2003-11-01',
        '2003-12-01',
      ],
    );
  } finally {
    await f.done();
  }
});

test('a monthly period from January 31 ends with February (28 or 29 days), then on March 31 and May 1', async () => {
  const f = await tarifFixture();
  try {
    for (const year of [2004, 2005]) {
      const start = Date.UTC(year, 0, 31) / 1000;
      if (f.clock.now() < start) await f.clock.set(start);
      const first = await f.t.addPeriod({ start, type: PeriodType.MONTHLY });
      const acc = await funded(f);
      await f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: await periodic(f, 10), periodId: first });
      await f.clock.set(Date.UTC(year, 4, 1) / 1000);
      const chain = [];
      for (let id = first; id > 0;) {
        const p = (await f.t.catalog.period(id))!;
        chain.push([
          new Date(p.start * 1000).toISOString().slice(0, 10),
          new Date(p.end * 1000).toISOString().slice(0, 10),
        ]);
        id = p.nextId;
      }
      assert.deepEqual(chain, [
        [`${year}-01-31`, `${year}-03-01`], // the last second is the end of February 28/29
        [`${year}-03-01`, `${year}-03-31`],
        [`${year}-03-31`, `${year}-05-01`],
        [`${year}-05-01`, `${year}-05-31`],
      ]);
      assert.equal(
        (await f.t.catalog.period(first))!.end - Date.UTC(year, 1, 1) / 1000,
        (year === 2004 ? 29 : 28) * DAY,
      );
    }
  } finally {
    await f.done();
  }
});

test('system block on funds lack at a charge-policy timemark, lifted by a payment that covers the fee', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const policy = await f.t.catalog.savePolicy(0, {
      name: 'funds check on day 16',
      flags: PolicyFlag.BLOCK_ON_FUNDS_LACK,
      timemarks: [15 * DAY],
    });
    const svc = await periodic(f, 100, { method: ChargeMethod.AT_END, policyId: policy });
    const acc = await funded(f, 60);
    await f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: svc, periodId: period });
    await f.clock.set(T0 + 15 * DAY - 1);
    assert.equal((await f.account(acc)).blockType, BlockType.NONE);
    await f.clock.set(T0 + 15 * DAY);
    const a = await f.account(acc);
    assert.equal(a.blockType, BlockType.SYSTEM);
    const blk = await f.db.knex('blocks_info').where({ account_id: acc, is_active: true }).first();
    assert.equal(Number(blk.start_date), T0 + 15 * DAY);
    assert.equal(blk.reason, 'funds_lack');
    assert.equal(Number(blk.expire_date), NO_END);
    await f.pay(acc, 50);
    assert.equal((await f.account(acc)).blockType, BlockType.NONE, 'a payment covering the fee lifts the block');
  } finally {
    await f.done();
  }
});

test('tariff switch at period end: a compatible service keeps its link, an unmatched one is dropped; zero balance resets', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const tplA = await f.t.catalog.addService({
      name: 'Internet',
      type: ServiceType.PERIODIC,
      status: ServiceStatus.TEMPLATE,
      cost: 0,
      linkByDefault: true,
    });
    const tplB = await f.t.catalog.addService({
      name: 'TV',
      type: ServiceType.PERIODIC,
      status: ServiceStatus.TEMPLATE,
      cost: 0,
      linkByDefault: true,
    });
    const basic = await f.t.catalog.addTariff({ name: 'Basic', comments: '', zeroBalance: false }, ADMIN.id);
    const lite = await f.t.catalog.addTariff({ name: 'Lite', comments: '', zeroBalance: true }, ADMIN.id);
    const add = (tariffId: number, parentId: number, cost: number) =>
      f.t.catalog.addService({
        name: `s${tariffId}.${parentId}`,
        type: ServiceType.PERIODIC,
        status: ServiceStatus.TARIFF,
        tariffId,
        parentId,
        cost: M(cost),
        linkByDefault: true,
      });
    const basicNet = await add(basic, tplA, 100);
    const basicTv = await add(basic, tplB, 30);
    const liteNet = await add(lite, tplA, 80);
    await assert.rejects(add(lite, tplA, 1), /already has a service/);
    const acc = await funded(f, 500);
    const tlink = await f.t.linkTariff(ADMIN, { accountId: acc, current: basic, next: lite, periodId: period });
    const links = await f.db.knex('service_links').where({ account_id: acc }).orderBy('id');
    assert.deepEqual(
      links.map((l: { service_id: number }) => Number(l.service_id)),
      [basicNet, basicTv],
    );
    const [netLink, tvLink] = links.map((l: { id: number }) => Number(l.id));
    await f.t.editPeriodicLink(ADMIN, netLink, {
      startDate: T0,
      expireDate: NO_END,
      policyId: 0,
      costCoefE6: 900_000,
      houseId: 7,
      comment: 'flat 12',
    });
    await f.clock.set(MAY1);
    const after = await f.db.knex('service_links').where({ account_id: acc }).orderBy('id');
    const net = after.find((l: { id: number }) => Number(l.id) === netLink);
    assert.equal(Number(net.service_id), liteNet, 'the compatible link moved to the Lite service of the same template');
    assert.deepEqual(
      [net.comment, Number(net.house_id), Number(net.cost_coef_e6), Boolean(net.is_deleted)],
      ['flat 12', 7, 900_000, false],
    );
    assert.equal(
      Boolean(after.find((l: { id: number }) => Number(l.id) === tvLink).is_deleted),
      true,
      'TV has no counterpart in Lite',
    );
    const tl = await f.db.knex('tariff_links').where({ id: tlink }).first();
    assert.equal(Number(tl.tariff_current), lite);
    const may = (await f.t.catalog.period(period))!.nextId;
    // April on Basic: 100 + 30; Basic has no zero balance. May on Lite: 80 x 0.9 = 72.
    assert.deepEqual(
      (await f.rows(acc)).map((r) => [r.ts, r.kind, r.amount, r.service, r.period]),
      [
        [T0, 'charge', -100, basicNet, period],
        [T0, 'charge', -30, basicTv, period],
        [MAY1, 'charge', -72, liteNet, may],
      ],
    );
    assert.equal(await f.balance(acc), 298);
    // Lite resets the balance at the end of May before June's fee.
    await f.clock.set(JUN1);
    const june = (await f.t.catalog.period(may))!.nextId;
    assert.deepEqual(
      (await f.rows(acc)).slice(3).map((r) => [r.ts, r.kind, r.amount, r.period]),
      [
        [JUN1, 'zero_balance', -298, may],
        [JUN1, 'charge', -72, june],
      ],
    );
    assert.equal(await f.balance(acc), -72);
  } finally {
    await f.done();
  }
});

test('a one-time service of cost -50 credits the account once, untaxed, and can drop the user from a group', async () => {
  const f = await tarifFixture();
  try {
    await f.b.groups.add(5, 'newcomers');
    const u = await f.user({ vatRateE6: M(18) }, [5]);
    const svc = await f.t.catalog.addService({
      name: 'welcome bonus',
      type: ServiceType.ONCE,
      status: ServiceStatus.COMMON,
      cost: M(-50),
      dropFromGroup: 5,
    });
    const slink = await f.t.addOnceLink(ADMIN, { accountId: u.accountId, serviceId: svc });
    assert.deepEqual(await f.rows(u.accountId), [
      { ts: T0, kind: 'charge', amount: 50, slink, service: svc, type: ServiceType.ONCE, period: 0, tax: 0 },
    ]);
    assert.equal(await f.balance(u.accountId), 50);
    assert.equal((await f.db.knex('user_group_members').where({ user_id: u.userId, group_id: 5 })).length, 0);
    // A dated one charges at its date, once.
    const later = await f.t.addOnceLink(ADMIN, { accountId: u.accountId, serviceId: svc, discountDate: T0 + DAY });
    await f.clock.advance(2 * DAY);
    assert.deepEqual(
      (await f.rows(u.accountId)).map((r) => [r.ts, r.slink, r.amount]),
      [
        [T0, slink, 50],
        [T0 + DAY, later, 50],
      ],
    );
  } finally {
    await f.done();
  }
});

test('a service in use cannot be deleted; templates and tariff services follow their rules', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const svc = await periodic(f, 10);
    const acc = await funded(f);
    const l = await f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: svc, periodId: period });
    await assert.rejects(f.t.catalog.removeService(svc), /has service links/);
    await assert.rejects(
      f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: svc, periodId: period }),
      /multiple linking/,
    );
    await f.t.deleteLink(ADMIN, l);
    await f.t.catalog.removeService(svc);
    await assert.rejects(
      f.t.addPeriod({ start: T0, type: PeriodType.CUSTOM, customDuration: 60 }),
      /at least 3600 seconds/,
    );
  } finally {
    await f.done();
  }
});

test('periods whose end passed unseen are closed by closeOverdue, once, even when two closes meet', async () => {
  const f = await tarifFixture();
  try {
    const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
    const acc = await funded(f);
    await f.t.addPeriodicLink(ADMIN, { accountId: acc, serviceId: await periodic(f, 100), periodId: period });
    f.b.events.stop(); // as if the core was down across the period end
    await f.clock.set(JUN1 + DAY);
    assert.equal((await f.t.catalog.period(period))!.isClosed, false);
    const [a, b] = await Promise.all([f.t.closePeriod(period), f.t.closePeriod(period)]);
    assert.equal(a.next, b.next, 'one close ran');
    assert.equal(await f.t.closeOverdue(), 1, 'May (already over) closes too');
    assert.equal(await f.t.closeOverdue(), 0);
    const periods = await f.t.catalog.periods(true);
    assert.deepEqual(
      periods.map((p) => [iso(p.start), p.isClosed]),
      [
        ['2003-04-01', true],
        ['2003-05-01', true],
        ['2003-06-01', false],
      ],
    );
    assert.deepEqual(
      (await f.rows(acc)).map((r) => r.amount),
      [-100, -100, -100],
    );
  } finally {
    await f.done();
  }
});

function iso(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 10);
}
