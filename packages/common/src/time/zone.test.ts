import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromZoned, startOfDay, zonedParts, zonedPartsFast, zoneOffset } from './zone';

test('zoned parts and back, in UTC and in zones with and without DST', () => {
  const t = Date.UTC(2003, 3, 1, 0, 0, 0) / 1000; // 2003-04-01 00:00 UTC
  assert.deepEqual(zonedParts(t, 'UTC'), { year: 2003, month: 4, day: 1, hour: 0, minute: 0, second: 0, weekday: 2 });
  assert.equal(zoneOffset(t, 'Europe/Moscow'), 4 * 3600); // MSD in 2003
  assert.equal(fromZoned(2003, 4, 1, 0, 0, 0, 'Europe/Moscow'), t - 4 * 3600);
  assert.equal(fromZoned(2024, 1, 31, 0, 0, 0, 'UTC'), Date.UTC(2024, 0, 31) / 1000);
  assert.equal(fromZoned(2024, 2, 30, 0, 0, 0, 'UTC'), Date.UTC(2024, 2, 1) / 1000, 'day overflow rolls into March');
  assert.equal(startOfDay(t + 5000, 'UTC'), t);
});

test('DST gap and overlap resolve predictably', () => {
  // Europe/Berlin 2024-03-31 02:30 does not exist; 2024-10-27 02:30 happens twice.
  const gap = fromZoned(2024, 3, 31, 2, 30, 0, 'Europe/Berlin');
  assert.equal(zonedParts(gap, 'Europe/Berlin').hour, 3);
  const overlap = fromZoned(2024, 10, 27, 2, 30, 0, 'Europe/Berlin');
  assert.equal(overlap, Date.UTC(2024, 9, 27, 0, 30) / 1000, 'the earlier (summer time) instant');
});

test('zonedPartsFast equals zonedParts, across DST changes and odd offsets', () => {
  for (const tz of [
    'UTC',
    'Europe/Berlin',
    'Asia/Kolkata',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
  ]) {
    // 2021: every 37 minutes and 13 seconds through the year, plus both Berlin DST changes to the second.
    const start = Date.UTC(2021, 0, 1) / 1000;
    const points = [
      Date.UTC(2021, 2, 28, 1, 0, 0) / 1000 - 1,
      Date.UTC(2021, 2, 28, 1, 0, 0) / 1000,
      Date.UTC(2021, 9, 31, 1, 0, 0) / 1000 - 1,
      Date.UTC(2021, 9, 31, 1, 0, 0) / 1000,
    ];
    for (let t = start; t < start + 365 * 86400; t += 2233) points.push(t);
    for (const t of points) assert.deepEqual(zonedPartsFast(t, tz), zonedParts(t, tz), `${tz} at ${t}`);
  }
});
