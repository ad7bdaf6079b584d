import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DATE_FORMAT,
  DateFormat,
  DurationFormat,
  FormatError,
  ZonedClock,
  readZone,
  resolveDate,
  type DateParts,
} from './cdr-format';

const utc = new ZonedClock('UTC');
const today = { year: 2016, month: 7, day: 19 };
const at = (fmt: string, text: string, clock = utc): number | string => {
  const p = new DateFormat(fmt).match(text);
  return typeof p === 'string' ? p : resolveDate(p, clock, today);
};
const unix = (iso: string) => Date.parse(iso) / 1000;

test("the manual's default call date: milliseconds and weekday ignored, the zone honoured", () => {
  assert.equal(at(DEFAULT_DATE_FORMAT, '00:35:05.000 UTC Tue Jul 19 2016'), unix('2016-07-19T00:35:05Z'));
  assert.equal(at(DEFAULT_DATE_FORMAT, '00:35:05.999 UTC Fri Jul 19 2016'), unix('2016-07-19T00:35:05Z'));
  assert.equal(at(DEFAULT_DATE_FORMAT, '03:35:05.000 MSK Tue Jul 19 2016'), unix('2016-07-19T00:35:05Z'));
  assert.equal(at(DEFAULT_DATE_FORMAT, '03:35:05.000 +0300 Tue Jul 19 2016'), unix('2016-07-19T00:35:05Z'));
  assert.equal(at(DEFAULT_DATE_FORMAT, '02:35:05.000 Europe/Berlin Tue Jul 19 2016'), unix('2016-07-19T00:35:05Z'));
  assert.equal(at(DEFAULT_DATE_FORMAT, '00:35:05.000 UTC Tue Jul 9 2016'), unix('2016-07-09T00:35:05Z'));
});

test('every date specifier', () => {
  assert.equal(at('%Y-%N-%D %H:%M:%S', '2016-07-09 08:05:03'), unix('2016-07-09T08:05:03Z'));
  assert.equal(at('%y/%n/%d %h:%m:%s', '16/7/9 8:5:3'), unix('2016-07-09T08:05:03Z'));
  assert.equal(at('%d %b %Y', '9 jul 2016'), unix('2016-07-09T00:00:00Z'));
  assert.equal(at('%d %b %Y', '9 DEC 2016'), unix('2016-12-09T00:00:00Z'));
  assert.equal(at('%U', '1468888505'), 1468888505);
  assert.equal(at('%Y%N%D%H%M%S %z', '20160719003505 GMT'), unix('2016-07-19T00:35:05Z'));
  // Two-digit years read as POSIX does: 69..99 the 1900s.
  assert.equal(at('%y', '99'), unix('1999-07-19T00:00:00Z'));
  assert.equal(at('%y', '05'), unix('2005-07-19T00:00:00Z'));
  // Leap second 60 is accepted (as the manual's 00..60) and lands on the next minute.
  assert.equal(at('%H:%M:%S', '23:59:60'), unix('2016-07-20T00:00:00Z'));
});

test('% followed by another symbol matches any one symbol; blanks match runs of blanks; literals match themselves', () => {
  assert.equal(at('%Y%-%N%-%D', '2016x07/19'), unix('2016-07-19T00:00:00Z'));
  assert.equal(at('%H:%M', '10:20'), unix('2016-07-19T10:20:00Z'));
  assert.match(String(at('%H:%M', '10.20')), /does not match the format '%H:%M'/);
  assert.equal(at('%D %b', '19    Jul'), unix('2016-07-19T00:00:00Z'));
  assert.equal(at('[%D.%N.%Y]', '[19.07.2016]'), unix('2016-07-19T00:00:00Z'));
});

test('a time without a date is today in the zone; the configured zone applies without %z', () => {
  assert.equal(at('%H:%M:%S', '12:00:00'), unix('2016-07-19T12:00:00Z'));
  assert.equal(at('%H:%M:%S', '12:00:00', new ZonedClock('Europe/Moscow')), unix('2016-07-19T09:00:00Z'));
  // Across a DST change the offset of that hour is used.
  const ny = new ZonedClock('America/New_York');
  assert.equal(at('%Y-%N-%D %H', '2016-01-10 12', ny), unix('2016-01-10T17:00:00Z'));
  assert.equal(at('%Y-%N-%D %H', '2016-07-10 12', ny), unix('2016-07-10T16:00:00Z'));
});

test('values out of range and unknown names are reasons naming the value', () => {
  assert.match(String(at('%N', '13')), /'13' is not a month 01\.\.12/);
  assert.match(String(at('%H', '24')), /'24' is not an hour 00\.\.23/);
  assert.match(String(at('%M', '60')), /'60' is not minutes/);
  assert.match(String(at('%D', '00')), /'00' is not a day/);
  assert.match(String(at('%b', 'Foo')), /'Foo' is not a month name/);
  assert.match(String(at('%Y-%N-%D', '2016-02-30')), /2016-02 has no day 30/);
  assert.match(String(at('%H %z', '10 XYZ')), /'XYZ' is not a time zone/);
  assert.match(String(at('%Y', '1969')), /'1969' is not a four-digit year/);
});

test('zones: abbreviations, offsets, IANA names; unknown is null', () => {
  assert.equal(readZone('UTC'), 0);
  assert.equal(readZone('gmt'), 0);
  assert.equal(readZone('-05:30'), -19800);
  assert.equal(readZone('Asia/Tokyo'), 'Asia/Tokyo');
  assert.equal(readZone('Nowhere/Land'), null);
});

test('durations: plain seconds by default; %H %h %M %m %S %s', () => {
  const plain = new DurationFormat(undefined);
  assert.equal(plain.match('125'), 125);
  assert.match(String(plain.match('12s')), /'12s' is not a number of seconds/);
  assert.match(String(plain.match('-1')), /not a number of seconds/);
  assert.equal(new DurationFormat('%H:%M:%S').match('01:02:03'), 3723);
  assert.equal(new DurationFormat('%h:%m:%s').match('1:2:3'), 3723);
  assert.equal(new DurationFormat('%H:%M:%S').match('100:00:01'), 360001);
  assert.equal(new DurationFormat('%m:%S').match('90:05'), 5405);
  assert.equal(new DurationFormat('%s').match('7'), 7);
  assert.match(String(new DurationFormat('%M:%S').match('1:2')), /does not match the format '%M:%S'/);
});

test('formats that cannot be compiled are FormatErrors', () => {
  assert.throws(() => new DurationFormat('%Y'), FormatError);
  assert.throws(() => new DateFormat('plain'), FormatError);
});

test('the blanks a format has (the space-delimited fields a date spans)', () => {
  assert.equal(new DateFormat(DEFAULT_DATE_FORMAT).blanks, 5);
  assert.equal(new DateFormat('%Y-%N-%D').blanks, 0);
});

test('resolveDate: %U wins over the wall-clock fields', () => {
  const p: DateParts = { unix: 5, year: 2000 };
  assert.equal(resolveDate(p, utc, today), 5);
});
