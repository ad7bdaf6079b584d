import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeRange } from './time-ranges';
import { affordableSeconds, timeCost, type TimePrice } from './time-cost';

const T0 = 1_049_155_200; // 2003-04-01 00:00 UTC, a Tuesday
const H = 3600;
const every = (h1: number, m1: number, s1: number, h2: number, m2: number, s2: number) =>
  Array.from({ length: 7 }, (_, d) => ({
    wdayStart: d,
    hourStart: h1,
    minStart: m1,
    secStart: s1,
    wdayStop: d,
    hourStop: h2,
    minStop: m2,
    secStop: s2,
  }));
const day: TimeRange = { id: 1, name: 'day', priority: 1, entries: every(8, 0, 0, 19, 59, 59), days: [] };
const night: TimeRange = {
  id: 2,
  name: 'night',
  priority: 0,
  entries: [...every(20, 0, 0, 23, 59, 59), ...every(0, 0, 0, 7, 59, 59)],
  days: [],
};
// The manual's dial-up case: day 1 c.u./hour, night 2 c.u./hour.
const prices: TimePrice[] = [
  { range: day, pricePerHour: 1e6 },
  { range: night, pricePerHour: 2e6 },
];

test('connection time is priced per second, split at the range boundaries', () => {
  assert.equal(timeCost(prices, T0 + 9 * H, T0 + 12 * H, 'UTC'), 3e6);
  assert.equal(timeCost(prices, T0 + 21 * H, T0 + 22 * H, 'UTC'), 2e6);
  // 19:30 -> 20:30: half an hour at 1, half at 2
  assert.equal(timeCost(prices, T0 + 19.5 * H, T0 + 20.5 * H, 'UTC'), 1.5e6);
  // 7:59:30 -> 8:00:30: 30 s at 2, 30 s at 1
  assert.equal(
    Math.round(timeCost(prices, T0 + 8 * H - 30, T0 + 8 * H + 30, 'UTC')),
    Math.round((30 * 2e6 + 30 * 1e6) / 3600),
  );
  assert.equal(timeCost(prices, T0, T0, 'UTC'), 0);
  assert.equal(timeCost([], T0, T0 + H, 'UTC'), 0);
});

test('the balance decides the session time it pays for, capped', () => {
  assert.equal(affordableSeconds(prices, T0 + 9 * H, 1e6, 86400, 'UTC'), 3600);
  assert.equal(affordableSeconds(prices, T0 + 19.5 * H, 1.5e6, 86400, 'UTC'), 3600);
  assert.equal(affordableSeconds(prices, T0 + 9 * H, 100e6, 7200, 'UTC'), 7200);
  assert.equal(affordableSeconds(prices, T0 + 9 * H, 0, 7200, 'UTC'), 0);
});

test('the week-table walk prices exactly as the moment-by-moment one (calendar days force the slow path)', () => {
  const withDay: TimePrice[] = [
    ...prices,
    { range: { id: 3, name: 'holiday', priority: 5, entries: [], days: [{ mday: 9, month: 5 }] }, pricePerHour: 0 },
  ];
  for (const tz of ['UTC', 'Europe/Berlin', 'Asia/Kathmandu']) {
    for (let i = 0; i < 40; i++) {
      const from = T0 + i * 7919 + (i % 7) * 86400;
      const to = from + 600 + i * 3541;
      const fast = timeCost(prices, from, to, tz);
      // The same prices plus a range that never applies in these weeks: the slow path, same answer.
      const slow = timeCost(
        [...prices, { range: { ...withDay[2]!.range, days: [{ mday: 31, month: 2 }] }, pricePerHour: 9e6 }],
        from,
        to,
        tz,
      );
      assert.equal(Math.round(fast), Math.round(slow), `${tz} ${from}..${to}`);
    }
  }
});
