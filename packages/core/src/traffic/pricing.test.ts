import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupType, addTraffic, costBetween, nextPrepaid, priceAt, type ClassUsage, type TrafficPlan } from './pricing';

const MB = 1024 * 1024;
const plan = (borders: [number, [number, number][]][], groups: [number, number, GroupType][] = []): TrafficPlan => ({
  borders: new Map(borders.map(([c, bs]) => [c, bs.map(([size, cost]) => ({ size: size * MB, cost: cost * 1e6 }))])),
  groups: new Map(groups.map(([c, g, type]) => [c, { group: g, type }])),
  mb: MB,
});
const usage = (...u: [number, number, number][]) =>
  new Map<number, ClassUsage>(u.map(([c, mb, pre]) => [c, { bytes: mb * MB, prepaid: pre * MB }]));

test('the hidden border 0 is free; each border prices up to the next', () => {
  const b = plan([
    [
      1,
      [
        [100, 2],
        [300, 1],
      ],
    ],
  ]).borders.get(1)!;
  assert.equal(priceAt(b, 0), 0);
  assert.equal(priceAt(b, 100 * MB), 2e6);
  assert.equal(priceAt(b, 500 * MB), 1e6);
  // 50..400 MB: 50 free, 200 at 2, 100 at 1
  assert.equal(costBetween(b, 50 * MB, 400 * MB, MB), 500e6);
});

test('prepaid traffic is spent first, then the borders apply at the class volume', () => {
  const p = plan([[1, [[0, 0.2]]]]);
  const u = usage([1, 0, 50]);
  assert.equal(addTraffic(p, u, 1, 30 * MB), 0);
  assert.equal(addTraffic(p, u, 1, 30 * MB), 10 * 0.2e6); // 20 free, 10 paid
  assert.equal(u.get(1)!.bytes, 60 * MB);
  // a class without borders is free
  assert.equal(addTraffic(p, u, 2, 1000 * MB), 0);
});

test('a sum group prices each class at the group total', () => {
  const p = plan(
    [
      [1, [[100, 1]]],
      [2, [[100, 3]]],
    ],
    [
      [1, 7, GroupType.SUM],
      [2, 7, GroupType.SUM],
    ],
  );
  const u = usage([1, 80, 0], [2, 0, 0]);
  // class 2 starts at the group's 80 MB: 20 MB free, then 10 MB at 3
  assert.equal(addTraffic(p, u, 2, 30 * MB), 30e6);
  // class 1 from 110 MB: all at 1
  assert.equal(addTraffic(p, u, 1, 5 * MB), 5e6);
});

test('a max group prices at the leading class volume', () => {
  const p = plan(
    [
      [1, [[100, 1]]],
      [2, [[100, 2]]],
    ],
    [
      [1, 3, GroupType.MAX],
      [2, 3, GroupType.MAX],
    ],
  );
  const u = usage([1, 150, 0], [2, 20, 0]);
  // class 2 is below the leader: its 10 MB cost the leader's price (2 per MB of class 2's borders)
  assert.equal(addTraffic(p, u, 2, 10 * MB), 20e6);
  // class 1 below its own borders alone would be free; the leader is class 1 itself at 150: 10 MB at 1
  assert.equal(addTraffic(p, u, 1, 10 * MB), 10e6);
  // under the first border everybody is free
  const q = usage([1, 10, 0], [2, 5, 0]);
  assert.equal(addTraffic(p, q, 2, 5 * MB), 0);
  // class 2 overtakes the leader (10 -> 130): 0..10 below the lead at price(10)=0, then 10..130 integrated: 30 MB at 2
  assert.equal(addTraffic(p, q, 2, 120 * MB), 60e6);
});

test('prepaid carry-over, reset and the accumulate-no-more-than cap', () => {
  const prev = { bytes: 15 * MB, prepaid: 50 * MB };
  assert.equal(nextPrepaid(50 * MB, 0, false, prev), 85 * MB);
  assert.equal(nextPrepaid(50 * MB, 0, true, prev), 50 * MB);
  assert.equal(nextPrepaid(50 * MB, 20 * MB, false, prev), 70 * MB);
  assert.equal(nextPrepaid(50 * MB, 0, false, { bytes: 60 * MB, prepaid: 50 * MB }), 50 * MB);
  assert.equal(nextPrepaid(50 * MB, 0, false, undefined), 50 * MB);
});
