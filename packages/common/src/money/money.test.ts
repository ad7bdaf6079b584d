import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoney, moneyFromDouble, moneyToDouble, mulDiv, parseMoney, MoneyRangeError } from './money';

test('doubles convert exactly at the edge', () => {
  assert.equal(moneyFromDouble(0.1), 100_000);
  assert.equal(moneyFromDouble(-3.3), -3_300_000);
  assert.equal(moneyFromDouble(100), 100_000_000);
  assert.equal(moneyFromDouble(0.0000005), 1); // half away from zero
  assert.equal(moneyToDouble(-17_500_000), -17.5);
  assert.throws(() => moneyFromDouble(Number.NaN), MoneyRangeError);
  assert.throws(() => moneyFromDouble(1e13), MoneyRangeError);
});

test('decimal strings parse exactly', () => {
  assert.equal(parseMoney('12.5'), 12_500_000);
  assert.equal(parseMoney('-0.001'), -1000);
  assert.equal(parseMoney('7'), 7_000_000);
  assert.equal(parseMoney('0.0000015'), 2);
  assert.throws(() => parseMoney('1e3'), /not a decimal amount/);
});

test('display rounds to 3 places, half away from zero', () => {
  assert.equal(formatMoney(-13_500_000), '-13.500');
  assert.equal(formatMoney(1_234_500), '1.235');
  assert.equal(formatMoney(-1_234_500), '-1.235');
  assert.equal(formatMoney(-400), '0.000');
  assert.equal(formatMoney(5_000_000, 0), '5');
});

test('mulDiv pro-rates exactly', () => {
  assert.equal(mulDiv(100_000_000, 21, 30), 70_000_000);
  assert.equal(mulDiv(100_000_000, 1, 3), 33_333_333);
  assert.equal(mulDiv(200_000_000, 1, 3), 66_666_667);
  assert.equal(mulDiv(-200_000_000, 1, 3), -66_666_667);
  assert.throws(() => mulDiv(1, 1, 0), MoneyRangeError);
});
