import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rangeAt, type TimeRange } from './time-ranges';
import { walkRanges } from './range-walk';

const T0 = 1_049_155_200; // 2003-04-01 00:00 UTC, a Tuesday
const H = 3600;
const entry = (d1: number, h1: number, d2: number, h2: number, m2 = 59, s2 = 59) => ({
  wdayStart: d1,
  hourStart: h1,
  minStart: 0,
  secStart: 0,
  wdayStop: d2,
  hourStop: h2,
  minStop: m2,
  secStop: s2,
});
const work: TimeRange = { id: 1, name: 'work', priority: 1, entries: [entry(2, 9, 2, 17)], days: [] };
const all: TimeRange = { id: 2, name: 'all', priority: 0, entries: [entry(0, 0, 6, 23)], days: [] };
const holiday: TimeRange = { id: 3, name: 'holiday', priority: 5, entries: [], days: [{ mday: 1, month: 4 }] };

function stretches(items: { range: TimeRange; v: string }[], from: number, to: number, tz: string) {
  const out: { start: number; len: number; v: string | undefined }[] = [];
  walkRanges(items, from, to, tz, (start, len, item) => {
    const last = out[out.length - 1];
    if (last && last.v === item?.v) last.len += len;
    else out.push({ start, len, v: item?.v });
    return true;
  });
  return out;
}

test('stretches end where the range in force changes, stops inclusive to the second', () => {
  const items = [
    { range: work, v: 'work' },
    { range: all, v: 'all' },
  ];
  assert.deepEqual(stretches(items, T0 + 9 * H - 30, T0 + 18 * H + 10, 'UTC'), [
    { start: T0 + 9 * H - 30, len: 30, v: 'all' },
    { start: T0 + 9 * H, len: 9 * H, v: 'work' },
    { start: T0 + 18 * H, len: 10, v: 'all' },
  ]);
});

test('no range in force is reported as undefined, and visit can stop the walk', () => {
  const items = [{ range: work, v: 'work' }];
  assert.deepEqual(stretches(items, T0 + 8 * H, T0 + 10 * H, 'UTC'), [
    { start: T0 + 8 * H, len: H, v: undefined },
    { start: T0 + 9 * H, len: H, v: 'work' },
  ]);
  let seen = 0;
  walkRanges(items, T0, T0 + 24 * H, 'UTC', () => {
    seen++;
    return false;
  });
  assert.equal(seen, 1);
});

test('calendar days (evaluated moment by moment) agree with rangeAt second by second', () => {
  const items = [
    { range: holiday, v: 'holiday' },
    { range: work, v: 'work' },
  ];
  const from = T0 - 4 * H - 200; // around midnight in Moscow (UTC+4 then)
  const to = T0 - 4 * H + 200;
  walkRanges(items, from, to, 'Europe/Moscow', (start, len, item) => {
    for (let t = start; t < start + len; t++) {
      assert.equal(rangeAt([holiday, work], t, 'Europe/Moscow')?.id, item?.range.id);
    }
    return true;
  });
});
