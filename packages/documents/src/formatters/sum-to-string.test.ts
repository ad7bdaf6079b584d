import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enNumber, ruNumber, sumToString } from './sum-to-string';

test('sum_to_string in Russian: declension of roubles, thousands and kopecks', () => {
  const cases: [number, string][] = [
    [0, 'Ноль рублей 00 копеек'],
    [1, 'Один рубль 00 копеек'],
    [2, 'Два рубля 00 копеек'],
    [5, 'Пять рублей 00 копеек'],
    [11, 'Одиннадцать рублей 00 копеек'],
    [21.01, 'Двадцать один рубль 01 копейка'],
    [22.02, 'Двадцать два рубля 02 копейки'],
    [112.5, 'Сто двенадцать рублей 50 копеек'],
    [1000, 'Одна тысяча рублей 00 копеек'],
    [2000, 'Две тысячи рублей 00 копеек'],
    [1234.56, 'Одна тысяча двести тридцать четыре рубля 56 копеек'],
    [5_000_000, 'Пять миллионов рублей 00 копеек'],
    [1_002_003.99, 'Один миллион две тысячи три рубля 99 копеек'],
    [21_001_001.11, 'Двадцать один миллион одна тысяча один рубль 11 копеек'],
    [21_000_001, 'Двадцать один миллион один рубль 00 копеек'],
    [-15.2, 'Минус пятнадцать рублей 20 копеек'],
  ];
  for (const [amount, words] of cases) assert.equal(sumToString(amount, 'ru', 'RUB'), words, String(amount));
});

test('sum_to_string in English with roubles, dollars and euros', () => {
  assert.equal(sumToString(1234.56, 'en', 'RUB'), 'One thousand two hundred thirty-four roubles 56 kopecks');
  assert.equal(sumToString(1.01, 'en', 'USD'), 'One dollar 01 cent');
  assert.equal(sumToString(100, 'en', 'EUR'), 'One hundred euros 00 cents');
  assert.equal(sumToString(2_000_015.5, 'en', 'USD'), 'Two million fifteen dollars 50 cents');
  assert.equal(sumToString(-0.99, 'en', 'USD'), 'Minus zero dollars 99 cents');
});

test('sum_to_string: the currency agrees in gender and number, old codes and unknown codes', () => {
  assert.equal(sumToString(1, 'ru', 'UAH'), 'Одна гривна 00 копеек');
  assert.equal(sumToString(2, 'ru', 'UAH'), 'Две гривны 00 копеек');
  assert.equal(sumToString(3, 'ru', 'USD'), 'Три доллара 00 центов');
  assert.equal(sumToString(10, 'ru', 'RUR'), 'Десять рублей 00 копеек');
  assert.equal(sumToString(10, 'ru', '810'), 'Десять рублей 00 копеек');
  assert.equal(sumToString(7.5, 'en', 'XYZ'), 'Seven XYZ 50');
});

test('sum_to_string rounds to the minor unit half away from zero, exactly', () => {
  assert.equal(sumToString(0.005, 'ru', 'RUB'), 'Ноль рублей 01 копейка');
  assert.equal(sumToString(0.1 + 0.2, 'ru', 'RUB'), 'Ноль рублей 30 копеек');
  assert.equal(sumToString(999.995, 'en', 'USD'), 'One thousand dollars 00 cents');
});

test('numbers in words across scales', () => {
  assert.equal(ruNumber(0n), 'ноль');
  assert.equal(ruNumber(1n, 'f'), 'одна');
  assert.equal(ruNumber(2n, 'n'), 'два');
  assert.equal(ruNumber(1_000_000_000n), 'один миллиард');
  assert.equal(ruNumber(14_014n), 'четырнадцать тысяч четырнадцать');
  assert.equal(enNumber(1_000_000_000_000n), 'one trillion');
  assert.equal(enNumber(90_019n), 'ninety thousand nineteen');
  assert.equal(enNumber(101n), 'one hundred one');
});
