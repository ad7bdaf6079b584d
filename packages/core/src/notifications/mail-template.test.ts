import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMailText } from './mail-template';
import { retryDelay } from './mail-module';

const values = new Map([
  ['user.full_name', 'Иван Петров'],
  ['payment.amount', '150.50'],
  ['payment.date.actual', '1049155200'],
  ['account.id', '7'],
]);

test('variables are substituted once, unknown ones are kept as written and reported', () => {
  const r = renderMailText('{user.full_name}: {payment.amount} to {account.id}; {user.nope} {account.id}', values);
  assert.equal(r.text, 'Иван Петров: 150.50 to 7; {user.nope} 7');
  assert.deepEqual(r.unknown, ['user.nope']);
});

test('a value holding braces is not substituted again; text that is no variable stays', () => {
  const r = renderMailText('{a.b} {not a variable} {} {1x}', new Map([['a.b', '{account.id}']]));
  assert.equal(r.text, '{account.id} {not a variable} {} {1x}');
  assert.deepEqual(r.unknown, []);
});

test('a modifier after two dots applies to the value; an unknown modifier is kept and reported', () => {
  const mods = { upper: (v: string) => v.toUpperCase() };
  const r = renderMailText('{user.full_name..upper} {payment.amount..sum_to_string}', values, mods);
  assert.equal(r.text, 'ИВАН ПЕТРОВ {payment.amount..sum_to_string}');
  assert.deepEqual(r.unknown, ['..sum_to_string']);
  assert.equal(renderMailText('{account.id..toString}', values, mods).text, '{account.id..toString}');
});

test('retries back off from a minute, doubling, to at most an hour', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelay), [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
});
