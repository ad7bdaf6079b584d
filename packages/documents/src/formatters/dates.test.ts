import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateLong, dateShort, dateTime, duration } from './dates';
import { replaceAll, translate } from './replacements';
import { moneyText } from './money';

const T = 1_764_806_400 + 3 * 3600 + 4 * 60 + 5; // 2025-12-04 03:04:05 UTC

test('date_short, date_long and date_time in the billing zone', () => {
  assert.equal(dateShort(T, 'ru', 'UTC'), '04.12.2025');
  assert.equal(dateShort(T, 'en', 'UTC'), '04/12/2025');
  assert.equal(dateLong(T, 'ru', 'UTC'), '«04» декабря 2025');
  assert.equal(dateLong(T, 'en', 'UTC'), '“04” December 2025');
  assert.equal(dateTime(T, 'UTC'), '04.12 03:04');
  // 03:04 UTC is still the 3rd in New York and past 06:00 in Moscow.
  assert.equal(dateShort(T, 'ru', 'America/New_York'), '03.12.2025');
  assert.equal(dateTime(T, 'Europe/Moscow'), '04.12 06:04');
  assert.equal(dateShort(String(T), 'ru', 'UTC'), '04.12.2025');
  assert.equal(dateShort(undefined, 'ru', 'UTC'), '');
  assert.equal(dateLong('not a date', 'ru', 'UTC'), '');
});

test('duration is HH:MM:SS, hours past a day', () => {
  assert.equal(duration(0), '00:00:00');
  assert.equal(duration(125), '00:02:05');
  assert.equal(duration(3_600 * 30 + 1), '30:00:01');
  assert.equal(duration(-61), '-00:01:01');
  assert.equal(duration(null), '');
});

test('translate swaps a whole value, replace every part', () => {
  const list = new Map([
    ['min', 'мин.'],
    ['kb', 'КБ'],
    ['kb/s', 'КБ/с'],
  ]);
  assert.equal(translate('min', list), 'мин.');
  assert.equal(translate('minute', list), 'minute');
  assert.equal(translate(undefined, list), '');
  assert.equal(replaceAll('10 kb/s, 5 kb, 1 min', list), '10 КБ/с, 5 КБ, 1 мин.');
  assert.equal(replaceAll('a.b', new Map([['.', '(dot)']])), 'a(dot)b');
  assert.equal(replaceAll('x', new Map()), 'x');
});

test('money prints two decimals, empty when hidden', () => {
  assert.equal(moneyText(1234.5), '1234.50');
  assert.equal(moneyText(-0.004), '0.00');
  assert.equal(moneyText(-150.25), '-150.25');
  assert.equal(moneyText(0.125), '0.13');
  assert.equal(moneyText(''), '');
});
