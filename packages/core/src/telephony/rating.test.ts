import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromZoned, rangeAt, type RangeEntry, type TimeRange } from '@utm5/common';
import { classOf, creditSeconds, rateCall, roundDuration } from './rating';
import type { TelBorder, TelClassTariff, TelDirection, TelRangePrice, TelTariff, TelUsage } from './model';

const TZ = 'Europe/Moscow';
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number) => fromZoned(y, mo, d, h, mi, s, TZ);
const U = 1_000_000; // micro-units per conventional unit

const entry = (wday: number, h1: number, m1: number, s1: number, h2: number, m2: number, s2: number): RangeEntry => ({
  wdayStart: wday,
  hourStart: h1,
  minStart: m1,
  secStart: s1,
  wdayStop: wday,
  hourStop: h2,
  minStop: m2,
  secStop: s2,
});
const days = (ws: number[], h1: number, h2: number, m2 = 59, s2 = 59) => ws.map((w) => entry(w, h1, 0, 0, h2, m2, s2));
const WORK = [1, 2, 3, 4, 5];
// The manual's telephony test case: working days 00:00-09:00 and 09:00-23:59:59, weekend (weekdays 0 = Sunday).
const workNight: TimeRange = { id: 1, name: 'night', priority: 1, entries: days(WORK, 0, 8), days: [] };
const workDay: TimeRange = { id: 2, name: 'day', priority: 1, entries: days(WORK, 9, 23), days: [] };
const weekend: TimeRange = { id: 3, name: 'weekend', priority: 1, entries: days([6, 0], 0, 23), days: [] };

const cls = (
  id: number,
  [night, day, wend]: [number, number, number],
  more: Partial<TelClassTariff> = {},
): TelClassTariff => ({
  tariffClass: id,
  prices: [
    { range: workNight, price: night * U },
    { range: workDay, price: day * U },
    { range: weekend, price: wend * U },
  ],
  borders: [],
  prepaid: 0,
  fixedCost: 0,
  ...more,
});
// Tariff #1's zones (conventional units per 60 s).
const moscow = cls(1, [0.1, 0.2, 0.1]);
const spb = cls(2, [0.2, 0.4, 0.3]);
const tariff = (classes: TelClassTariff[], more: Partial<TelTariff> = {}): TelTariff => ({
  serviceId: 1,
  freeTime: 5,
  firstPeriodLength: 60,
  firstPeriodStep: 10,
  secondPeriodStep: 1,
  unitSize: 60,
  discountFreeTime: false,
  minimumCharge: 0,
  maxSessions: 0,
  classes: new Map(classes.map((c) => [c.tariffClass, c])),
  emergencyZones: new Set(),
  ...more,
});
const tariff1 = tariff([moscow, spb]);
const NONE: TelUsage = { used: 0, prepaidUsed: 0 };
const close = (a: number, b: number, msg?: string) =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${msg ?? ''} ${a} != ${b}`);
const shape = (r: ReturnType<typeof rateCall>) =>
  r.parts.map((p) => [p.duration, p.basePrice / U, p.mult, p.prepaid] as const);

test("the manual's test case: a 730 s call to Saint Petersburg on Friday 2005-07-01 11:20 costs 730*0.4/60", () => {
  const r = rateCall(tariff1, spb, at(2005, 7, 1, 11, 20, 0), 730, NONE, TZ);
  assert.equal(r.rounded, 730);
  close(r.cost, (730 * 0.4 * U) / 60);
  assert.equal(r.cost.toFixed(0), '4866667');
  assert.deepEqual(shape(r), [[730, 0.4, 1, false]]);
  assert.deepEqual(r.usage, { used: 730, prepaidUsed: 0 });
  assert.equal(r.covered, true);
});

test('rounding: free time, the starting period in its steps, the next period in its steps, steps 0 read as 1', () => {
  assert.equal(roundDuration(tariff1, 0), 0);
  assert.equal(roundDuration(tariff1, 5), 0); // d == free time
  assert.equal(roundDuration(tariff1, 6), 10); // d == free time + 1: the first starting step
  assert.equal(roundDuration(tariff1, 51), 60);
  assert.equal(roundDuration(tariff1, 60), 60); // d == L
  assert.equal(roundDuration(tariff1, 61), 61); // d == L + 1
  const coarse = tariff([], { freeTime: 0, firstPeriodLength: 30, firstPeriodStep: 30, secondPeriodStep: 6 });
  assert.equal(roundDuration(coarse, 1), 30);
  assert.equal(roundDuration(coarse, 31), 36);
  assert.equal(roundDuration(coarse, 36), 36);
  assert.equal(roundDuration(coarse, 37), 42);
  const zero = tariff([], { freeTime: 0, firstPeriodLength: 60, firstPeriodStep: 0, secondPeriodStep: 0 });
  assert.equal(roundDuration(zero, 7), 7);
  assert.equal(roundDuration(zero, 77), 77);
  const noFirst = tariff([], { freeTime: 0, firstPeriodLength: 0, firstPeriodStep: 10, secondPeriodStep: 60 });
  assert.equal(roundDuration(noFirst, 1), 60);
});

test('a call within the free time is free: no parts, no fixed cost, usage unchanged', () => {
  const t = tariff([cls(2, [0.2, 0.4, 0.3], { fixedCost: 5 * U, prepaid: 100 })]);
  const c = t.classes.get(2)!;
  const r = rateCall(t, c, at(2005, 7, 1, 11, 20, 0), 5, { used: 7, prepaidUsed: 3 }, TZ);
  assert.deepEqual(r, {
    rounded: 0,
    parts: [],
    cost: 0,
    fixedCost: 0,
    usage: { used: 7, prepaidUsed: 3 },
    covered: true,
  });
  const r6 = rateCall(t, c, at(2005, 7, 1, 11, 20, 0), 6, NONE, TZ);
  assert.equal(r6.rounded, 10);
  assert.equal(r6.cost, 5 * U); // 10 s prepaid, the fixed cost still due
});

test('a call crossing 09:00 on a working day is split at the range boundary', () => {
  const r = rateCall(tariff1, spb, at(2005, 7, 1, 8, 59, 30), 60, NONE, TZ);
  assert.equal(r.rounded, 60);
  assert.deepEqual(shape(r), [
    [30, 0.2, 1, false],
    [30, 0.4, 1, false],
  ]);
  assert.equal(r.parts[1]!.start, at(2005, 7, 1, 9, 0, 0));
  close(r.cost, 0.3 * U);
});

test('the day changes at midnight, and the weekend starts at Saturday 00:00', () => {
  // Thursday 23:59:50 -> Friday: day price, then night price.
  const r = rateCall(tariff1, spb, at(2005, 6, 30, 23, 59, 50), 20, NONE, TZ);
  assert.deepEqual(shape(r), [
    [10, 0.4, 1, false],
    [10, 0.2, 1, false],
  ]);
  // Friday 23:59:40 -> Saturday: day price, then weekend price.
  const w = rateCall(tariff1, spb, at(2005, 7, 1, 23, 59, 40), 100, NONE, TZ);
  assert.equal(w.rounded, 100);
  assert.deepEqual(shape(w), [
    [20, 0.4, 1, false],
    [80, 0.3, 1, false],
  ]);
  close(w.cost, ((20 * 0.4 + 80 * 0.3) * U) / 60);
});

test('a border crossed in the middle of a call changes the multiplier there', () => {
  const borders: TelBorder[] = [
    { border: 100, mult: 0.5 },
    { border: 1000, mult: 0.25 },
  ];
  const c = cls(2, [0.2, 0.4, 0.3], { borders });
  const r = rateCall(tariff([c]), c, at(2005, 7, 1, 11, 20, 0), 30, { used: 90, prepaidUsed: 0 }, TZ);
  assert.deepEqual(shape(r), [
    [10, 0.4, 1, false],
    [20, 0.4, 0.5, false],
  ]);
  close(r.cost, ((10 * 0.4 + 20 * 0.4 * 0.5) * U) / 60);
  assert.deepEqual(r.usage, { used: 120, prepaidUsed: 0 });
  const far = rateCall(tariff([c]), c, at(2005, 7, 1, 11, 20, 0), 30, { used: 5000, prepaidUsed: 0 }, TZ);
  assert.deepEqual(shape(far), [[30, 0.4, 0.25, false]]);
});

test('prepaid time is used first; it counts towards the borders only with discount_free_time', () => {
  const c = cls(2, [0.2, 0.4, 0.3], { prepaid: 50, borders: [{ border: 30, mult: 0.5 }] });
  const start = at(2005, 7, 1, 11, 20, 0);
  const usage = { used: 0, prepaidUsed: 30 }; // 20 prepaid seconds left: exhausted mid-call
  const plain = rateCall(tariff([c]), c, start, 60, usage, TZ);
  assert.deepEqual(shape(plain), [
    [20, 0, 1, true],
    [30, 0.4, 1, false],
    [10, 0.4, 0.5, false],
  ]);
  assert.deepEqual(plain.usage, { used: 40, prepaidUsed: 50 });
  close(plain.cost, ((30 * 0.4 + 10 * 0.2) * U) / 60);
  const discounted = rateCall(tariff([c], { discountFreeTime: true }), c, start, 60, usage, TZ);
  assert.deepEqual(shape(discounted), [
    [20, 0, 1, true],
    [10, 0.4, 1, false],
    [30, 0.4, 0.5, false],
  ]);
  assert.deepEqual(discounted.usage, { used: 60, prepaidUsed: 50 });
  // All prepaid: cost 0, one part.
  const all = rateCall(tariff([c]), c, start, 15, NONE, TZ);
  assert.deepEqual(shape(all), [[20, 0, 1, true]]);
  assert.equal(all.cost, 0);
});

test('the fixed cost is charged once per charged call', () => {
  const c = cls(2, [0.2, 0.4, 0.3], { fixedCost: 0.5 * U });
  const r = rateCall(tariff([c]), c, at(2005, 7, 1, 8, 59, 30), 60, NONE, TZ);
  assert.equal(r.fixedCost, 0.5 * U);
  close(r.cost, 0.8 * U);
});

test('time no range covers is charged 0 and reported as not covered', () => {
  const dayOnly: TelClassTariff = { ...spb, prices: [{ range: workDay, price: 0.4 * U }] };
  const r = rateCall(tariff([dayOnly]), dayOnly, at(2005, 7, 1, 8, 59, 30), 60, NONE, TZ);
  assert.equal(r.covered, false);
  assert.deepEqual(shape(r), [
    [30, 0, 1, false],
    [30, 0.4, 1, false],
  ]);
  assert.deepEqual(r.usage, { used: 60, prepaidUsed: 0 });
  assert.equal(rateCall(tariff([dayOnly]), dayOnly, at(2005, 7, 1, 9, 0, 0), 60, NONE, TZ).covered, true);
});

test('no class: rounded as usual, charged 0, usage unchanged', () => {
  const r = rateCall(tariff1, undefined, at(2005, 7, 1, 11, 20, 0), 61, { used: 3, prepaidUsed: 1 }, TZ);
  assert.equal(r.rounded, 61);
  assert.equal(r.cost, 0);
  assert.equal(r.parts.length, 1);
  assert.deepEqual(r.usage, { used: 3, prepaidUsed: 1 });
});

test("classOf: the direction's own class first, else its zone's", () => {
  const d = (id: number, zoneId: number) => ({ id, zoneId }) as TelDirection;
  const own = cls(-7, [1, 1, 1]);
  const t = tariff([moscow, own]);
  assert.equal(classOf(t, d(7, 1)), own);
  assert.equal(classOf(t, d(8, 1)), moscow);
  assert.equal(classOf(t, d(8, 2)), undefined);
  assert.equal(classOf(t, d(8, 0)), undefined);
  assert.equal(classOf(t, undefined), undefined);
});

test('creditSeconds: the longest paid call, the rounding and the fixed cost included', () => {
  const start = at(2005, 7, 1, 11, 20, 0); // 0.4 per 60 s: 6667 micro-units a second
  const perSecond = (0.4 * U) / 60;
  assert.equal(creditSeconds(tariff1, spb, start, NONE, 0, 3600, TZ), 0);
  // 10 s (the first rounded step) cost 66667: 9 s of money is not enough for a 6 s call.
  assert.equal(creditSeconds(tariff1, spb, start, NONE, 9 * perSecond, 3600, TZ), 0);
  assert.equal(creditSeconds(tariff1, spb, start, NONE, 10 * perSecond + 1, 3600, TZ), 10);
  assert.equal(creditSeconds(tariff1, spb, start, NONE, 59.5 * perSecond, 3600, TZ), 50);
  assert.equal(creditSeconds(tariff1, spb, start, NONE, 730 * perSecond + 1, 3600, TZ), 730);
  assert.equal(creditSeconds(tariff1, spb, start, NONE, 10 * U, 3600, TZ), 1500);
  assert.equal(creditSeconds(tariff1, spb, start, NONE, 1000 * U, 3600, TZ), 3600);
  const fixed = cls(2, [0.2, 0.4, 0.3], { fixedCost: U });
  assert.equal(creditSeconds(tariff([fixed]), fixed, start, NONE, 0.99 * U, 3600, TZ), 0);
  assert.equal(creditSeconds(tariff([fixed]), fixed, start, NONE, 2 * U, 3600, TZ), 150);
  // Prepaid seconds cost nothing: 100 prepaid + 150 paid.
  const prepaid = cls(2, [0.2, 0.4, 0.3], { prepaid: 100 });
  assert.equal(creditSeconds(tariff([prepaid]), prepaid, start, NONE, U, 3600, TZ), 250);
  // Covered only until 23:59:59 Friday when there is no weekend price.
  const noWeekend: TelClassTariff = { ...spb, prices: spb.prices.slice(0, 2) };
  const late = at(2005, 7, 1, 23, 50, 0);
  assert.equal(creditSeconds(tariff([noWeekend]), noWeekend, late, NONE, 1000 * U, 3600, TZ), 600);
  assert.equal(creditSeconds(tariff([noWeekend]), noWeekend, at(2005, 7, 2, 1, 0, 0), NONE, U, 3600, TZ), 0);
});

// --- property tests against naive second-by-second readings of the rules ---------------------------------------

let seed = 4242;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
const lunch: TimeRange = { id: 4, name: 'lunch', priority: 2, entries: days([0, 1, 2, 3, 4, 5, 6], 12, 12), days: [] };
const holiday: TimeRange = { id: 5, name: 'holiday', priority: 3, entries: [], days: [{ mday: 1, month: 7 }] };
const POOL = [workNight, workDay, weekend, lunch, holiday];

function naiveRounded(t: TelTariff, d: number): number {
  if (d <= t.freeTime || d <= 0) return 0;
  let r = 0;
  if (d <= t.firstPeriodLength) while (r < d) r += Math.max(1, t.firstPeriodStep);
  else for (r = t.firstPeriodLength; r < d;) r += Math.max(1, t.secondPeriodStep);
  return r;
}

function naiveRate(t: TelTariff, c: TelClassTariff, start: number, d: number, usage: TelUsage) {
  const rounded = naiveRounded(t, d);
  if (rounded === 0) return { rounded, cost: 0, usage, covered: true };
  let cost = c.fixedCost;
  let prepaidLeft = Math.max(0, c.prepaid - usage.prepaidUsed);
  let { used, prepaidUsed } = usage;
  let covered = true;
  const ranges = c.prices.map((p) => p.range);
  for (let i = 0; i < rounded; i++) {
    const r = rangeAt(ranges, start + i, TZ);
    if (!r) covered = false;
    if (prepaidLeft > 0) {
      prepaidLeft--;
      prepaidUsed++;
      if (t.discountFreeTime) used++;
      continue;
    }
    const price = c.prices.find((p) => p.range === r)?.price ?? 0;
    const mult = c.borders.filter((b) => b.border <= used).pop()?.mult ?? 1;
    cost += (price * mult) / Math.max(1, t.unitSize);
    used++;
  }
  return { rounded, cost, usage: { used, prepaidUsed }, covered };
}

const STARTS = [
  at(2005, 7, 1, 8, 55, 0),
  at(2005, 6, 30, 23, 55, 0),
  at(2005, 7, 1, 23, 55, 0),
  at(2005, 7, 4, 11, 55, 0),
  at(2005, 10, 30, 2, 30, 0), // the end of summer time in Moscow
  at(2005, 7, 3, 23, 50, 0),
];

function randomCase() {
  const t = tariff([], {
    freeTime: rnd(12),
    firstPeriodLength: rnd(130),
    firstPeriodStep: rnd(25),
    secondPeriodStep: rnd(25),
    unitSize: rnd(121),
    discountFreeTime: rnd(2) === 1,
  });
  const prices: TelRangePrice[] = POOL.filter(() => rnd(3) > 0).map((range) => ({ range, price: rnd(5) * 100_000 }));
  const borders: TelBorder[] = [];
  for (let b = rnd(400), n = rnd(3); n > 0; n--, b += 1 + rnd(400)) borders.push({ border: b, mult: rnd(20) / 10 });
  const c: TelClassTariff = {
    tariffClass: 1,
    prices,
    borders,
    prepaid: rnd(3) === 0 ? rnd(300) : 0,
    fixedCost: rnd(3) * 1000,
  };
  const usage = { used: rnd(600), prepaidUsed: rnd(200) };
  const start = pick(STARTS) + rnd(900);
  return { t, c, usage, start };
}

test('property: rateCall equals a second-by-second rating on random tariffs, calls and usage', () => {
  for (let i = 0; i < 300; i++) {
    const { t, c, usage, start } = randomCase();
    const d = rnd(4) === 0 ? rnd(20) : rnd(1500);
    const r = rateCall(t, c, start, d, usage, TZ);
    const n = naiveRate(t, c, start, d, usage);
    const msg = `case ${i}: d=${d} ${JSON.stringify({ t: { ...t, classes: undefined }, usage, start })}`;
    assert.equal(r.rounded, n.rounded, msg);
    close(r.cost, n.cost, msg);
    assert.deepEqual(r.usage, n.usage, msg);
    assert.equal(r.covered, n.covered, msg);
    assert.equal(
      r.parts.reduce((s, p) => s + p.duration, 0),
      r.rounded,
      msg,
    );
    let next = start;
    for (const p of r.parts) {
      assert.equal(p.start, next, msg);
      next += p.duration;
    }
  }
});

test('property: creditSeconds is the longest covered call the balance pays for, as rateCall rates it', () => {
  for (let i = 0; i < 120; i++) {
    const { t, c, usage, start } = randomCase();
    const cap = rnd(400);
    const balance = rnd(4) === 0 ? rnd(2000) : rnd(2_000_000);
    const ok = (d: number) => {
      const r = rateCall(t, c, start, d, usage, TZ);
      return r.covered && r.cost <= balance;
    };
    const first = t.freeTime + 1;
    let expected = 0;
    if (ok(first)) {
      expected = cap < first ? cap : first;
      for (let d = first; d <= cap; d++) if (ok(d)) expected = d;
    }
    assert.equal(creditSeconds(t, c, start, usage, balance, cap, TZ), expected, `case ${i}: cap=${cap} b=${balance}`);
  }
});
