import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketer, bucketStart } from './time-buckets';

// Expected instants from Python's zoneinfo (tzdata): Berlin went back from CEST to CET at 2003-10-26 01:00 UTC.
const OCT26_UTC = 1067126400; // 2003-10-26 00:00 UTC = 02:00 CEST
const OCT26_BERLIN = 1067119200; // 2003-10-26 00:00 CEST
const OCT27_BERLIN = 1067209200; // 2003-10-27 00:00 CET: Oct 26 had 25 hours
const OCT1_BERLIN = 1064959200;

test('the hour repeated when clocks go back is two hours; the day around it is one 25-hour day', () => {
  assert.equal(bucketStart(OCT26_UTC + 1800, 'hour', 'Europe/Berlin'), OCT26_UTC, '02:30 CEST');
  assert.equal(
    bucketStart(OCT26_UTC + 5400, 'hour', 'Europe/Berlin'),
    OCT26_UTC + 3600,
    '02:30 CET, the same wall hour again',
  );
  assert.equal(bucketStart(OCT26_UTC + 1800, 'day', 'Europe/Berlin'), OCT26_BERLIN);
  assert.equal(bucketStart(OCT27_BERLIN - 1, 'day', 'Europe/Berlin'), OCT26_BERLIN);
  assert.equal(bucketStart(OCT27_BERLIN, 'day', 'Europe/Berlin'), OCT27_BERLIN);
  assert.equal(bucketStart(OCT26_UTC, 'month', 'Europe/Berlin'), OCT1_BERLIN);
});

test('zones half an hour off UTC get their own hours', () => {
  const t = 1049155200; // 2003-04-01 00:00 UTC = 05:30 IST
  assert.equal(bucketStart(t + 600, 'hour', 'Asia/Kolkata'), t - 1800);
  assert.equal(bucketStart(t + 2400, 'hour', 'Asia/Kolkata'), t + 1800);
  assert.equal(bucketStart(t, 'day', 'Asia/Kolkata'), t - 19800);
});

test('bucketer gives bucketStart of each slot', () => {
  const b = bucketer('day', 'UTC');
  assert.deepEqual([b(900), b(86400 + 900), b(900)], [0, 86400, 0]);
});
