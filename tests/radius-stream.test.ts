import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCore } from './helpers/core-instance';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';
import { withCore } from './helpers/core-db';

const SECRET = 'stream-drop-secret-42';
const SESSIONS = 150;

test(
  'the Stream link dropped during accounting (the core killed): every session reaches the core exactly once',
  { timeout: 180_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    const { accounts } = await setUpRadius(core, SECRET, [
      { login: 'acc', password: 'p', kind: 'dialup', pricePerHour: 3.6, balance: 1000 },
    ]);
    await core.start();
    const rad = await createRadius(core);
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 1);
      const send = async (i: number, status: 1 | 2) => {
        const a = await exchange(
          rad.acctPort,
          SECRET,
          'Accounting-Request',
          [
            { name: 'User-Name', value: 'acc' },
            { name: 'Acct-Status-Type', value: status },
            { name: 'Acct-Session-Id', value: `s${i}` },
            { name: 'Framed-IP-Address', value: `10.80.${i >> 8}.${i & 255}` },
            ...(status === 2 ? [{ name: 'Acct-Session-Time', value: 100 }] : []),
          ],
          5000,
        );
        assert.equal(a?.codeName, 'Accounting-Response', `session ${i} ${status === 1 ? 'Start' : 'Stop'} answered`);
      };
      for (let i = 0; i < SESSIONS; i++) {
        if (i === SESSIONS / 3) {
          await rad.until('some events committed', (s) => s.eventsAcked > 0);
          core.proc.child.kill('SIGKILL');
          await core.proc.exited;
        }
        if (i === (2 * SESSIONS) / 3) await core.start();
        await Promise.all([send(i, 1)]);
        await send(i, 2);
      }
      const s = await rad.until(
        'every event committed',
        (x) => x.connected && x.unacknowledged === 0 && x.eventsAcked >= 2 * SESSIONS,
        60_000,
      );
      assert.equal(s.acctResponses, 2 * SESSIONS);
      await rad.proc.stop();
      await core.stop();
      await withCore(core, async (c) => {
        const rows: Record<string, unknown>[] = await c.db!.knex('radius_sessions').orderBy('id');
        assert.equal(rows.length, SESSIONS, 'one row per session');
        assert.ok(
          rows.every(
            (r) => Number(r['stopped_at']) > 0 && Number(r['duration']) === 100 && Number(r['charged']) === 100_000,
          ),
        );
        // 100 s at 3.6 per hour = 0.1 per session, charged once each.
        const acc = await c.billing!.accounts.get(accounts[0]!);
        assert.equal(acc!.balance, 1000_000_000 - SESSIONS * 100_000);
      });
    } finally {
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
