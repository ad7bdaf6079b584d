import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { accountTraffic, addLoopbackNas } from './helpers/radius-traffic';
import { MB, setUpTraffic } from './helpers/traffic-setup';

const SECRET = 'acct-traffic-secret-77';
const PER_MB = 10;

/**
 * One session through a real utm5_radius with `config`: Start, Interim-Update at 3 MB in, Interim-Update at 5 MB in
 * (cumulative), Stop at 8 MB in and 2 MB out, then the Stop again (a NAS that resends with a new identifier).
 */
async function session(core: CoreInstance, config: Record<string, string>, ip: string, sid: string): Promise<void> {
  const rad = await createRadius(core, config);
  try {
    await rad.until("the core's NAS", (s) => s.connected && s.nas === 1);
    const send = async (status: 'Start' | 'Interim-Update' | 'Stop', inMb: number, outMb: number) => {
      const a = await exchange(
        rad.acctPort,
        SECRET,
        'Accounting-Request',
        [
          { name: 'User-Name', value: `vpn-${sid}` },
          { name: 'Acct-Status-Type', value: status },
          { name: 'Acct-Session-Id', value: sid },
          { name: 'Framed-IP-Address', value: ip },
          { name: 'Acct-Input-Octets', value: inMb * MB },
          { name: 'Acct-Output-Octets', value: outMb * MB },
          { name: 'Acct-Session-Time', value: 60 },
        ],
        5000,
      );
      assert.equal(a?.codeName, 'Accounting-Response', `${sid} ${status} answered`);
    };
    await send('Start', 0, 0);
    await send('Interim-Update', 3, 0);
    await send('Interim-Update', 5, 0);
    await send('Stop', 8, 2);
    await send('Stop', 8, 2);
    await rad.until(
      'the five events committed by the core',
      (s) => s.connected && s.unacknowledged === 0 && s.eventsAcked === 5,
    );
  } finally {
    await rad.cleanup();
  }
}

test(
  'traffic billed from RADIUS accounting: Stop and Interim-Update (each bills the growth), Stop only (the total), or neither',
  { timeout: 180_000 },
  async () => {
    const core = await createCore();
    try {
      await core.stop();
      // IP traffic links priced per MB of every byte; the addresses are the sessions' Framed-IP-Address.
      const { accounts } = await setUpTraffic(core, [
        { ip: '10.70.0.1', costPerMb: PER_MB },
        { ip: '10.70.0.2', costPerMb: PER_MB },
        { ip: '10.70.0.3', costPerMb: PER_MB },
      ]);
      await addLoopbackNas(core, SECRET);
      await core.start();
      await session(core, { radius_do_interim_accounting: 'enable' }, '10.70.0.1', 'interim');
      await session(core, { radius_do_accounting: 'enable' }, '10.70.0.2', 'stop-only');
      await session(core, {}, '10.70.0.3', 'off');
      await core.stop();
      const [interim, stopOnly, off] = await accountTraffic(core, accounts);
      // 10 MB at 10 per MB, charged as the traffic came: 3 MB, 2 MB, then 3 MB in + 2 MB out; the repeated Stop nothing.
      assert.deepEqual(interim, { charges: [30, 20, 50], balance: -100, bytes: 10 * MB, collectors: [0] });
      // Interim-Updates bill nothing; the Stop bills the whole session.
      assert.deepEqual(stopOnly, { charges: [100], balance: -100, bytes: 10 * MB, collectors: [0] });
      assert.deepEqual(off, { charges: [], balance: 0, bytes: 0, collectors: [] });
    } finally {
      await core.cleanup();
    }
  },
);
