import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '@utm5/common/testing';
import { createCore } from './helpers/core-instance';
import { startProgram } from './helpers/process';
import { MB, readTraffic, setUpTraffic } from './helpers/traffic-setup';

test(
  "the core's built-in NetFlow buffer (nfbuffer_enable) counts and charges NetFlow without a separate collector",
  { timeout: 120_000 },
  async () => {
    const nfPort = await freePort();
    const core = await createCore({
      config: { nfbuffer_enable: 'yes', nfbuffer_host: '127.0.0.1', nfbuffer_port: String(nfPort) },
    });
    try {
      await core.stop();
      const { accounts } = await setUpTraffic(core, [
        { ip: '10.8.0.1', costPerMb: 0.5 },
        { ip: '10.8.0.2', costPerMb: 2, prepaidMb: 10 },
      ]);
      await core.start();
      await core.proc.waitForOutput(/built-in NetFlow buffer listening on 127\.0\.0\.1:\d+/);
      for (const [dst, count] of [
        ['10.8.0.1', 300],
        ['10.8.0.2', 40],
        ['10.99.0.1', 30],
      ] as const) {
        const gen = startProgram('utm5_flowgen', [
          '-h',
          '127.0.0.1',
          '-p',
          String(nfPort),
          '-v',
          '9',
          '-c',
          String(count),
          '-b',
          String(MB),
          '-s',
          '192.0.2.1',
          '-d',
          dst,
        ]);
        assert.equal(await gen.exited, 0, gen.output());
      }
      await new Promise((r) => setTimeout(r, 300));
      core.proc.child.kill('SIGHUP'); // commit the buffer and charge
      await core.proc.waitForOutput(/IP traffic charged on \d+ service link/);
      await core.stop();
      const r = await readTraffic(core, accounts);
      assert.equal(r.bytes, 340 * MB, 'the unaccounted 10.99.0.1 traffic is not in the statistics');
      assert.deepEqual(r.balances, [-150, -60], '300 MB at 0.5; 40 MB with 10 prepaid at 2');
    } finally {
      await core.cleanup();
    }
  },
);
