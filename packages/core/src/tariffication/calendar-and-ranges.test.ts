import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeriodType, periodEnd } from './period-calendar';
import { inRange, rangeAt, type TimeRange } from '@utm5/common';
import { coefficientE6 } from './coefficients';
import { dueFor, unionLength } from './due';
import { PolicyFlag, blockBits, blockFlag, parseTimemarks } from './charge-policy';
import { BlockType } from '../billing/blocking/block-types';

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h) / 1000;
const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 16);

test('period ends: daily and weekly follow the calendar of the billing time zone across DST', () => {
  // Europe/Moscow had DST in 2010: March 28 was 23 hours long there.
  const start = Date.UTC(2010, 2, 27, 21) / 1000; // 2010-03-28 00:00 MSK
  assert.equal(periodEnd(PeriodType.DAILY, start, 0, start, 0, 'Europe/Moscow') - start, 23 * 3600);
  assert.equal(periodEnd(PeriodType.WEEKLY, start, 0, start, 0, 'UTC') - start, 7 * 86400);
  assert.equal(periodEnd(PeriodType.CUSTOM, start, 0, start, 7200, 'UTC') - start, 7200);
});

test('monthly, quarterly and annual periods keep their anchor day, overflowing to the 1st of the next month', () => {
  const jan31 = utc(2003, 1, 31);
  const ends = [0, 1, 2, 3].map((k) => iso(periodEnd(PeriodType.MONTHLY, jan31, k, 0, 0, 'UTC')));
  assert.deepEqual(ends, ['2003-03-01T00:00', '2003-03-31T00:00', '2003-05-01T00:00', '2003-05-31T00:00']);
  assert.equal(iso(periodEnd(PeriodType.QUARTERLY, utc(2003, 11, 30), 0, 0, 0, 'UTC')), '2004-03-01T00:00');
  assert.equal(iso(periodEnd(PeriodType.ANNUAL, utc(2004, 2, 29), 0, 0, 0, 'UTC')), '2005-03-01T00:00');
  assert.equal(iso(periodEnd(PeriodType.ANNUAL, utc(2004, 2, 29), 3, 0, 0, 'UTC')), '2008-02-29T00:00');
});

const range = (id: number, priority: number, e: Partial<TimeRange> = {}): TimeRange => ({
  id,
  name: `r${id}`,
  priority,
  entries: [],
  days: [],
  ...e,
});
const span = (wdayStart: number, hourStart: number, wdayStop: number, hourStop: number) => ({
  wdayStart,
  hourStart,
  minStart: 0,
  secStart: 0,
  wdayStop,
  hourStop,
  minStop: 59,
  secStop: 59,
});

test('time ranges: week intervals (wrapping past Saturday), whole days, priority, billing time zone', () => {
  const weekend = range(1, 1, { entries: [span(6, 0, 0, 23)] }); // Saturday 00:00 .. Sunday 23:59:59
  const holiday = range(2, 5, { days: [{ mday: 1, month: 5 }] });
  const sat = utc(2003, 4, 5, 12);
  assert.equal(inRange(weekend, sat, 'UTC'), true);
  assert.equal(inRange(weekend, utc(2003, 4, 6, 23), 'UTC'), true, 'Sunday 23:00');
  assert.equal(inRange(weekend, utc(2003, 4, 7, 0), 'UTC'), false, 'Monday 00:00');
  // 2003-05-01 was a Thursday: only the whole-day holiday matches, and it wins on a Saturday too by priority.
  assert.equal(rangeAt([weekend, holiday], utc(2003, 5, 1, 23), 'UTC')?.id, 2);
  assert.equal(rangeAt([weekend, holiday], sat, 'UTC')?.id, 1);
  // Sunday 22:00 UTC is Monday 01:00 in Moscow: outside the weekend there.
  assert.equal(inRange(weekend, utc(2003, 4, 6, 22), 'Europe/Moscow'), false);
});

test('coefficients by ordinal period, blocked time and l/L recalculation', () => {
  const items = [
    { delay: 1, duration: 1, coeffE6: 500_000 },
    { delay: 7, duration: 1, coeffE6: 750_000 },
  ];
  assert.deepEqual(
    [0, 1, 2, 6, 7, 8].map((k) => coefficientE6(items, k)),
    [1e6, 500_000, 1e6, 1e6, 750_000, 1e6],
  );
  assert.equal(
    unionLength(
      [
        { from: 0, to: 10 },
        { from: 5, to: 20 },
        { from: 30, to: 40 },
      ],
      { from: 2, to: 35 },
    ),
    23,
  );
  const base = {
    periodStart: 0,
    periodEnd: 300,
    linkStart: 90,
    linkEnd: 2e9,
    fullCost: 100_000_000,
    ordinal: 0,
    policyFlags: 0,
    method: 1,
    blocks: [],
    until: 300,
  };
  assert.equal(dueFor(base), 100_000_000, 'the full fee without recalculation');
  assert.equal(dueFor({ ...base, policyFlags: PolicyFlag.RECALC_FEE_ON_CREATE }), 70_000_000, 'l2/L');
  const blocks = [
    {
      from: 140,
      to: 300,
      blockType: BlockType.ADMIN,
      policyFlags: blockFlag(BlockType.ADMIN, PolicyFlag.RECALC_FEE_IN_BLOCK),
    },
  ];
  assert.equal(dueFor({ ...base, ordinal: 1, linkStart: 0, blocks }), 46_666_667);
  assert.equal(
    blockBits(blockFlag(BlockType.USER, PolicyFlag.NO_CHARGE_IN_BLOCK), BlockType.USER),
    PolicyFlag.NO_CHARGE_IN_BLOCK,
  );
  assert.equal(blockBits(blockFlag(BlockType.USER, PolicyFlag.NO_CHARGE_IN_BLOCK), BlockType.ADMIN), 0);
  assert.deepEqual(parseTimemarks('86400, x, 3600,-5'), [3600, 86400]);
});
