import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startProgram } from './helpers/process';
import { ROOT } from './helpers/paths';

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'telephony');

interface Printed {
  calls: { number: string; cost: number; line: string }[];
  totals: Map<string, number>;
}

/** The case's call and total lines, parsed. */
function printed(output: string): Printed {
  const calls: Printed['calls'] = [];
  const totals = new Map<string, number>();
  for (const line of output.split('\n')) {
    const c = /^call number=(\d+) .* cost=(\d+\.\d{3}) zone=/.exec(line);
    if (c) calls.push({ number: c[1]!, cost: Number(c[2]), line });
    const t = /^total number=(\d+) cost=(\d+\.\d{3})$/.exec(line);
    if (t) totals.set(t[1]!, Number(t[2]));
  }
  return { calls, totals };
}

/** Each total is its calls' sum: the per-call lines are rounded to 3 decimals, so up to half a unit of the last each. */
function assertTotals(p: Printed, output: string): void {
  assert.deepEqual([...p.totals.keys()].sort(), ['5409652', '5409653'], output);
  for (const [number, total] of p.totals) {
    const mine = p.calls.filter((c) => c.number === number);
    const sum = mine.reduce((s, c) => s + c.cost, 0);
    assert.ok(Math.abs(sum - total) <= 0.0005 * mine.length + 1e-9, `${number}: calls sum ${sum}, total ${total}`);
  }
}

test(
  "bin/utm5_testcase telephony: the manual's Telephony case through utm5_send_cdr rates every generated call as the naive rater does",
  { timeout: 600_000 },
  async () => {
    const p = startProgram('utm5_testcase', ['telephony', '--quiet']);
    const code = await p.exited;
    const out = p.output();
    assert.equal(code, 0, out);
    assert.match(out, /^telephony test case passed$/m);
    const lines = out.split('\n');
    for (const want of [
      // Friday 11:20, Tariff #1's working-day price 0.4 a minute: 730 s cost 730/60*0.4.
      'call number=5409652 start=2005-07-01T11:20:00 duration=730 rounded=730 cost=4.867 zone=Saint Petersburg (2)',
      // Within Tariff #1's 5 free seconds.
      'call number=5409652 start=2005-07-13T10:00:00 duration=5 rounded=0 cost=0.000 zone=Sudan (8)',
      // Just over them: the starting period's 10-second step.
      'call number=5409652 start=2005-07-14T03:00:00 duration=6 rounded=10 cost=0.017 zone=Moscow (1)',
      // Across 09:00 on a Monday: 30 s at 0.2, 65 s at 0.3.
      'call number=5409652 start=2005-07-04T08:59:30 duration=95 rounded=95 cost=0.425 zone=MTS (mobile) (3)',
      // Tariff #2 has no free time: 1 s is rounded to 10.
      'call number=5409653 start=2005-07-19T19:00:00 duration=1 rounded=10 cost=0.037 zone=Saint Petersburg (2)',
      'total number=5409652 cost=131.217',
      'total number=5409653 cost=168.811',
      // Tariff #1's and #2's periodic fees (10 and 5) on top of the calls.
      'balance number=5409652 balance=-141.217',
      'balance number=5409653 balance=-173.811',
    ])
      assert.ok(lines.includes(want), `missing: ${want}\n${out}`);
    const p2 = printed(out);
    assert.equal(p2.calls.length, 52, out);
    assertTotals(p2, out);
  },
);

test(
  'bin/utm5_testcase telephony --cdr --cdr-config: a quoted CSV with a separate date column, imported with its own config',
  { timeout: 600_000 },
  async () => {
    const p = startProgram('utm5_testcase', [
      'telephony',
      '--quiet',
      '--cdr',
      join(FIXTURES, 'calls.csv'),
      '--cdr-config',
      join(FIXTURES, 'calls.cfg'),
    ]);
    const code = await p.exited;
    const out = p.output();
    assert.equal(code, 0, out);
    const want = [
      'call number=5409652 start=2005-07-01T11:20:00 duration=730 rounded=730 cost=4.867 zone=Saint Petersburg (2)',
      'call number=5409652 start=2005-07-02T10:00:00 duration=3 rounded=0 cost=0.000 zone=Moscow (1)',
      // Thursday 23:59:30 into Friday: 30 s at France's day price 1.6, 30 s at its night price 1.2.
      'call number=5409652 start=2005-07-07T23:59:30 duration=60 rounded=60 cost=1.400 zone=France (7)',
      'total number=5409652 cost=6.267',
      // Monday 08:59: a minute at Tariff #2's night price for Sudan (2.4), one at its day price (3.1).
      'call number=5409653 start=2005-07-04T08:59:00 duration=120 rounded=120 cost=5.500 zone=Sudan (8)',
      // Saturday: the weekend price 0.2 for 61 s.
      'call number=5409653 start=2005-07-09T12:00:00 duration=61 rounded=61 cost=0.203 zone=MTS (mobile) (3)',
      'total number=5409653 cost=5.703',
    ];
    assert.deepEqual(
      out.split('\n').filter((l) => /^(call|total) /.test(l)),
      want,
      out,
    );
    assertTotals(printed(out), out);
  },
);
