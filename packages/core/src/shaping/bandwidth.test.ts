import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeRange } from '@utm5/common';
import { bandwidthAt, countedBytes, limitInForce, shapedGroups } from './bandwidth';
import { bandwidthChanges } from './bandwidth-changes';
import { ACC_STATE, SHAPING_FLAG, type DirectionShaping, type ShapingLimit } from './settings';

const MB = 1024 * 1024;
// 2024-01-01 was a Monday (weekday 1).
const MON_10H = Date.UTC(2024, 0, 1, 10, 0, 0) / 1000;
const MON_22H = Date.UTC(2024, 0, 1, 22, 0, 0) / 1000;
const day = (wday: number, from: number, to: number) => ({
  wdayStart: wday,
  hourStart: from,
  minStart: 0,
  secStart: 0,
  wdayStop: wday,
  hourStop: to,
  minStop: 59,
  secStop: 59,
});
/** 1: daytime (08:00-19:59 Monday), 2: night (20:00-23:59 Monday), priority 5. */
const RANGES = new Map<number, TimeRange>([
  [1, { id: 1, name: 'day', priority: 1, entries: [day(1, 8, 19)], days: [] }],
  [2, { id: 2, name: 'night', priority: 5, entries: [day(1, 20, 23)], days: [] }],
]);
const lim = (
  border: number,
  timeRangeId: number,
  kbit: number,
  accState: ShapingLimit['accState'] = ACC_STATE.ANY,
): ShapingLimit => ({ border, timeRangeId, kbit, accState });
const usage = (bytes: Record<number, number>, blocked = false) => ({
  bytes: new Map(Object.entries(bytes).map(([c, b]) => [Number(c), b])),
  blocked,
});
const at = (d: DirectionShaping, u: ReturnType<typeof usage>, now = MON_10H) => bandwidthAt(d, u, now, RANGES, 'UTC');

test('borders: the applicable limit with the highest border the counted traffic reached; below every border, none', () => {
  const d: DirectionShaping = {
    tclasses: [10],
    limits: [lim(100 * MB, 0, 512), lim(10 * MB, 0, 2048), lim(50 * MB, 0, 1024)],
  };
  assert.equal(at(d, usage({ 10: 0 })), undefined, 'no limit before the first border');
  assert.equal(at(d, usage({})), undefined, 'no traffic at all');
  assert.equal(at(d, usage({ 10: 10 * MB - 1 })), undefined, 'one byte short of the border');
  assert.equal(at(d, usage({ 10: 10 * MB })), 2048, 'the border itself counts as reached');
  assert.equal(at(d, usage({ 10: 60 * MB })), 1024);
  assert.equal(at(d, usage({ 10: 500 * MB })), 512);
});

test('classes counted: only the selected classes add up towards the borders; none selected counts nothing', () => {
  const d: DirectionShaping = { tclasses: [10, 20], limits: [lim(0, 0, 4096), lim(10 * MB, 0, 256)] };
  assert.equal(
    countedBytes(
      [10, 20, 20],
      new Map([
        [10, 6],
        [20, 5],
        [30, 100],
      ]),
    ),
    11,
    'each class once, others ignored',
  );
  assert.equal(
    at(d, usage({ 10: 6 * MB, 20: 3 * MB, 30: 900 * MB })),
    4096,
    '9 MB of the counted classes: under the border',
  );
  assert.equal(at(d, usage({ 10: 6 * MB, 20: 4 * MB })), 256, 'together they reach it');
  assert.equal(at({ ...d, tclasses: [] }, usage({ 10: 900 * MB })), 4096, 'no class counted: only border 0 applies');
});

test('time ranges: a limit applies only while its range is in force; range 0 at any time; a missing range never', () => {
  const d: DirectionShaping = { tclasses: [1], limits: [lim(0, 1, 1024), lim(0, 2, 8192)] };
  assert.equal(at(d, usage({}), MON_10H), 1024, 'daytime');
  assert.equal(at(d, usage({}), MON_22H), 8192, 'night');
  assert.equal(at(d, usage({}), MON_10H + 86400), undefined, 'Tuesday: neither range');
  assert.equal(at({ tclasses: [1], limits: [lim(0, 0, 300)] }, usage({}), MON_10H + 86400), 300, 'range 0: always');
  assert.equal(
    at({ tclasses: [1], limits: [lim(0, 99, 300)] }, usage({})),
    undefined,
    'a deleted range is not in force',
  );
  // Day limits by traffic, a night limit from border 0: at night after 60 MB the day limits are out of force.
  const mixed: DirectionShaping = { tclasses: [1], limits: [lim(0, 1, 2048), lim(50 * MB, 1, 512), lim(0, 2, 8192)] };
  assert.equal(at(mixed, usage({ 1: 60 * MB }), MON_10H), 512);
  assert.equal(at(mixed, usage({ 1: 60 * MB }), MON_22H), 8192);
});

test('account state: a limit for blocked or not blocked accounts applies only to those', () => {
  const d: DirectionShaping = {
    tclasses: [1],
    limits: [lim(0, 0, 64, ACC_STATE.BLOCKED), lim(0, 0, 4096, ACC_STATE.ACTIVE)],
  };
  assert.equal(at(d, usage({}, true)), 64);
  assert.equal(at(d, usage({}, false)), 4096);
  assert.equal(at({ tclasses: [1], limits: [lim(0, 0, 64, ACC_STATE.BLOCKED)] }, usage({}, false)), undefined);
});

test('equal borders: explicit account state, then the range of higher priority, then the lower bandwidth; order of entry does not matter', () => {
  const inForce = new Map([
    [1, 1],
    [2, 5],
  ]);
  const pick = (limits: ShapingLimit[], blocked = false) =>
    limitInForce({ tclasses: [], limits }, usage({}, blocked), inForce)?.kbit;
  const a = lim(0, 0, 100);
  const b = lim(0, 0, 200, ACC_STATE.ACTIVE);
  const c = lim(0, 1, 300);
  const e = lim(0, 2, 400);
  assert.equal(pick([a, b]), 200);
  assert.equal(pick([b, a]), 200);
  assert.equal(pick([a, c, e]), 400, 'priority 5 over 1 over "at any time"');
  assert.equal(pick([e, c, a]), 400);
  assert.equal(pick([a, c]), 300, 'an explicit range over "at any time"');
  assert.equal(pick([lim(0, 0, 900), lim(0, 0, 700)]), 700, 'then the lower bandwidth');
});

test('IP group kinds: VPN, non-VPN or both', () => {
  const groups = [
    { id: 1, vpn: true },
    { id: 2, vpn: false },
  ];
  assert.deepEqual(
    shapedGroups(SHAPING_FLAG.VPN, groups).map((g) => g.id),
    [1],
  );
  assert.deepEqual(
    shapedGroups(SHAPING_FLAG.NON_VPN, groups).map((g) => g.id),
    [2],
  );
  assert.deepEqual(
    shapedGroups(SHAPING_FLAG.VPN | SHAPING_FLAG.NON_VPN, groups).map((g) => g.id),
    [1, 2],
  );
  assert.deepEqual(shapedGroups(0, groups), []);
});

test('changes: entering a limit is set, another one edit, leaving it delete (with the bandwidth that was in force)', () => {
  const before = new Map([
    [1, { in: 1024 }],
    [2, { in: 512, out: 512 }],
    [3, { out: 64 }],
  ]);
  const after = new Map([
    [1, { in: 1024, out: 256 }],
    [2, { in: 256 }],
    [4, { in: 128 }],
  ]);
  assert.deepEqual(bandwidthChanges(before, after, [1, 2, 3, 4, 5]), [
    { slinkId: 1, direction: 'out', event: 'set', kbit: 256 },
    { slinkId: 2, direction: 'in', event: 'edit', kbit: 256 },
    { slinkId: 2, direction: 'out', event: 'delete', kbit: 512 },
    { slinkId: 3, direction: 'out', event: 'delete', kbit: 64 },
    { slinkId: 4, direction: 'in', event: 'set', kbit: 128 },
  ]);
});
