import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAltNumber, isAltNumberFormat } from './alt-number';
import { AltNumberFormatError } from './errors';

test("the manual's alternative number: ABC#{alt_number(5)}-DE and 1 give ABC#00001-DE", () => {
  assert.equal(formatAltNumber('ABC#{alt_number(5)}-DE', 1), 'ABC#00001-DE');
  assert.equal(formatAltNumber('{alt_number(3)}', 12345), '12345');
  assert.equal(formatAltNumber('INV-{alt_number(1)}', 0), 'INV-0');
});

test('a number format without one {alt_number(N)} is refused with a typed error', () => {
  for (const bad of [
    'ABC',
    '{alt_number(0)}',
    '{alt_number(21)}',
    '{alt_number(2)}{alt_number(2)}',
    '{alt_number()}',
  ]) {
    assert.throws(() => formatAltNumber(bad, 1), AltNumberFormatError, bad);
    assert.equal(isAltNumberFormat(bad), false);
  }
  assert.equal(isAltNumberFormat('N{alt_number(6)}'), true);
});
