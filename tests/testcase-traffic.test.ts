import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProgram } from './helpers/process';

const EXPECTED = [
  'month=2003-04 login=cli1 balance=-3.000',
  'month=2003-04 login=cli2 balance=-5.000',
  'month=2003-04 login=cli3 balance=-17.000',
  'month=2003-04 login=cli4 balance=-100.000',
  'month=2003-04 login=cli5 balance=-205.000',
  'month=2003-05 login=cli1 balance=-6.000',
  'month=2003-05 login=cli2 balance=-13.500',
  'month=2003-05 login=cli3 balance=-41.000',
  'month=2003-05 login=cli4 balance=-218.000',
  'month=2003-05 login=cli5 balance=-462.500',
  'month=2003-06 login=cli1 balance=-9.000',
  'month=2003-06 login=cli2 balance=-24.500',
  'month=2003-06 login=cli3 balance=-70.000',
  'month=2003-06 login=cli4 balance=-378.000',
  'month=2003-06 login=cli5 balance=-757.500',
];

test(
  "bin/utm5_testcase traffic: the manual's Traffic transmission case through real NetFlow prints the 15 balances and exits 0",
  { timeout: 600_000 },
  async () => {
    const p = startProgram('utm5_testcase', ['traffic', '--quiet']);
    const code = await p.exited;
    const lines = p
      .output()
      .split('\n')
      .filter((l) => l.startsWith('month='));
    assert.deepEqual(lines, EXPECTED, p.output());
    assert.equal(code, 0, p.output());
    assert.match(p.output(), /all 15 balances match the manual/);
  },
);

test('utm5_testcase refuses an unknown case with a usage error', async () => {
  const p = startProgram('utm5_testcase', ['dialup-of-the-future']);
  assert.equal(await p.exited, 2);
  assert.match(p.output(), /unknown test case 'dialup-of-the-future' \(known: traffic, dialup, telephony\)/);
});
