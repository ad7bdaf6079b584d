import { test } from 'node:test';
import assert from 'node:assert/strict';
import { billsTraffic, octetCounter } from './traffic-accounting';

test('which requests bill traffic: Stops with either parameter, Interim-Updates only with radius_do_interim_accounting, Starts never', () => {
  const cases = [
    [
      { radius_do_accounting: false, radius_do_interim_accounting: false },
      { start: false, interim: false, stop: false },
    ],
    [
      { radius_do_accounting: true, radius_do_interim_accounting: false },
      { start: false, interim: false, stop: true },
    ],
    [
      { radius_do_accounting: false, radius_do_interim_accounting: true },
      { start: false, interim: true, stop: true },
    ],
    [
      { radius_do_accounting: true, radius_do_interim_accounting: true },
      { start: false, interim: true, stop: true },
    ],
  ] as const;
  for (const [c, want] of cases) {
    assert.deepEqual(
      { start: billsTraffic('start', c), interim: billsTraffic('interim', c), stop: billsTraffic('stop', c) },
      want,
      JSON.stringify(c),
    );
  }
});

test('octet counters: Acct-*-Gigawords are the wraps of the 32-bit Acct-*-Octets; missing attributes count as 0', () => {
  assert.equal(octetCounter(1000, undefined), 1000);
  assert.equal(octetCounter(undefined, undefined), 0);
  assert.equal(octetCounter(5, 1), 2 ** 32 + 5);
  assert.equal(octetCounter(2 ** 32 - 1, 3), 4 * 2 ** 32 - 1);
  assert.equal(
    octetCounter(2 ** 32 - 1, 2 ** 32 - 1),
    Number.MAX_SAFE_INTEGER,
    'a bogus counter is capped, not unrepresentable',
  );
  assert.equal(octetCounter(undefined, 2), 2 * 2 ** 32);
});
