import { test } from 'node:test';
import assert from 'node:assert/strict';
import { borderPassed, bordersOf, parseBorders } from './balance-borders';

test('notification_borders: amounts in currency units, sorted, a bad word skipped', () => {
  assert.deepEqual(parseBorders('100 0  -50 12.5 x 100'), [-50_000_000, 0, 12_500_000, 100_000_000]);
  assert.deepEqual(parseBorders(''), []);
  assert.deepEqual(parseBorders(undefined), []);
  assert.deepEqual(parseBorders('1'), [1_000_000], 'the default');
});

test('a border is passed going down below it or up to it; several at once: the nearest to the new balance', () => {
  const b = [0, 100, 200];
  assert.equal(borderPassed(150, 120, b), undefined);
  assert.equal(borderPassed(150, 99, b), 100);
  assert.equal(borderPassed(100, 99, b), 100, 'from the border to below it');
  assert.equal(borderPassed(99, 100, b), 100, 'up to the border');
  assert.equal(borderPassed(100, 150, b), undefined, 'from the border upwards passes nothing');
  assert.equal(borderPassed(250, -10, b), 0);
  assert.equal(borderPassed(-10, 250, b), 200);
  assert.equal(borderPassed(50, 50, b), undefined);
});

test('the parameter is parsed again only when its text changes', () => {
  let text = '1 2';
  const read = bordersOf(() => text);
  const first = read();
  assert.equal(read(), first);
  text = '3';
  assert.deepEqual(read(), [3_000_000]);
});
