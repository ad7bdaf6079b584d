import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProgram } from './helpers/process';

const EXPECTED = [
  'month=2003-04 login=dialup1 balance=-19.000',
  'month=2003-04 login=dialup2 balance=-28.000',
  'month=2003-04 login=dialup3 balance=-37.000',
  'month=2003-05 login=dialup1 balance=-38.300',
  'month=2003-05 login=dialup2 balance=-56.600',
  'month=2003-05 login=dialup3 balance=-74.900',
  'month=2003-06 login=dialup1 balance=-57.300',
  'month=2003-06 login=dialup2 balance=-84.600',
  'month=2003-06 login=dialup3 balance=-111.900',
];

test(
  "bin/utm5_testcase dialup: the manual's Dial-up access case through real RADIUS accounting prints the 9 balances and exits 0",
  { timeout: 900_000 },
  async () => {
    const p = startProgram('utm5_testcase', ['dialup', '--quiet']);
    const code = await p.exited;
    const lines = p
      .output()
      .split('\n')
      .filter((l) => l.startsWith('month='));
    assert.deepEqual(lines, EXPECTED, p.output());
    assert.equal(code, 0, p.output());
    assert.match(p.output(), /all 9 balances match the manual/);
  },
);
