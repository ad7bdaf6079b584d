import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayPartAt, naiveCost, naiveRounded, type NaiveTariff } from './tel-naive-rater';

const TZ = 'Europe/Moscow';
const T: NaiveTariff = {
  freeTime: 5,
  firstPeriodLength: 60,
  firstPeriodStep: 10,
  secondPeriodStep: 1,
  unitSize: 60,
  prices: [{ night: 0.2, day: 0.4, weekend: 0.3 }],
};
/** Moscow local time of July 2005 (UTC+4). */
const at = (local: string) => Date.parse(`${local}+04:00`) / 1000;

test('rounding: free time, the starting period by its step, then by the next step', () => {
  assert.deepEqual(
    [5, 6, 59, 60, 61, 730].map((d) => naiveRounded(T, d)),
    [0, 10, 60, 60, 61, 730],
  );
  assert.equal(naiveRounded({ ...T, freeTime: 0 }, 1), 10);
});

test('day parts: working-day night until 08:59:59, day from 09:00, Saturday and Sunday weekend, in Moscow time', () => {
  assert.equal(dayPartAt(at('2005-07-04T08:59:59'), TZ), 'night');
  assert.equal(dayPartAt(at('2005-07-04T09:00:00'), TZ), 'day');
  assert.equal(dayPartAt(at('2005-07-08T23:59:59'), TZ), 'day');
  assert.equal(dayPartAt(at('2005-07-09T00:00:00'), TZ), 'weekend');
  assert.equal(dayPartAt(at('2005-07-10T23:59:59'), TZ), 'weekend');
  assert.equal(dayPartAt(at('2005-07-11T00:00:00'), TZ), 'night');
});

test("costs: the manual's 730 s Saint Petersburg call, a free one, and one across 09:00 priced second by second", () => {
  assert.ok(Math.abs(naiveCost(T, 0, at('2005-07-01T11:20:00'), 730, TZ).cost - (730 / 60) * 0.4) < 1e-9);
  assert.deepEqual(naiveCost(T, 0, at('2005-07-01T11:20:00'), 5, TZ), { rounded: 0, cost: 0 });
  const across = naiveCost(T, 0, at('2005-07-04T08:59:30'), 95, TZ);
  assert.ok(Math.abs(across.cost - ((30 / 60) * 0.2 + (65 / 60) * 0.4)) < 1e-9, String(across.cost));
  assert.throws(() => naiveCost(T, 3, 0, 60, TZ), /no prices for zone index 3/);
});
