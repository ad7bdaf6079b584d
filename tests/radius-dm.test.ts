import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCore } from './helpers/core-instance';
import { ackOrNak, fakeNas } from './helpers/fake-nas';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';

const SECRET = 'dm-secret-long-enough';

test(
  'a session whose account runs out of money is disconnected: Disconnect-Request to the NAS port, ACK and NAK handled',
  { timeout: 120_000 },
  async () => {
    // 'poor' is a session this NAS does not know (NAK, Session-Context-Not-Found); 'poor2' it drops (ACK).
    const nas = await fakeNas(
      SECRET,
      ackOrNak((p) => p.text('User-Name') === 'poor'),
    );
    const { received } = nas;
    const core = await createCore();
    await core.stop();
    await setUpRadius(
      core,
      SECRET,
      [
        { login: 'poor', password: 'p', kind: 'dialup', pricePerHour: 3.6, balance: 1 },
        { login: 'rich', password: 'p', kind: 'dialup', pricePerHour: 3.6, balance: 100 },
        { login: 'poor2', password: 'p', kind: 'dialup', pricePerHour: 3.6, balance: 2 },
      ],
      [],
      { daePort: nas.port },
    );
    await core.start();
    const rad = await createRadius(core);
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 3);
      const acct = (login: string, sid: string, status: number, time = 0) =>
        exchange(rad.acctPort, SECRET, 'Accounting-Request', [
          { name: 'User-Name', value: login },
          { name: 'Acct-Status-Type', value: status },
          { name: 'Acct-Session-Id', value: sid },
          {
            name: 'Framed-IP-Address',
            value: login === 'poor' ? '10.90.0.1' : login === 'rich' ? '10.90.0.2' : '10.90.0.3',
          },
          ...(time ? [{ name: 'Acct-Session-Time', value: time }] : []),
        ]);
      assert.equal((await acct('poor', 'p1', 1))?.codeName, 'Accounting-Response');
      assert.equal((await acct('rich', 'r1', 1))?.codeName, 'Accounting-Response');
      // An hour of connection costs 3.6: the poor account goes to -2.6, the rich one stays positive.
      await acct('poor', 'p1', 3, 3600);
      await acct('rich', 'r1', 3, 3600);
      assert.equal((await acct('poor2', 'q1', 1))?.codeName, 'Accounting-Response');
      await acct('poor2', 'q1', 3, 3600);
      await rad.until(
        'both Disconnect-Requests answered',
        (s) => {
          const c = s as unknown as { dmNaked: number; dmAcked: number };
          return c.dmNaked === 1 && c.dmAcked === 1;
        },
        30_000,
      );
      assert.equal(received.length, 2, 'the rich account was left alone');
      const p = received.find((x) => x.text('User-Name') === 'poor')!;
      assert.deepEqual([p.text('Acct-Session-Id'), p.get('Framed-IP-Address')], ['p1', '10.90.0.1']);
      assert.equal(received.find((x) => x.text('User-Name') === 'poor2')!.text('Acct-Session-Id'), 'q1');
      assert.match(
        rad.proc.output() + readFileSync(`${rad.dir}/debug.log`, 'utf8'),
        /Disconnect-NAK \(Error-Cause 503\)/,
      );
    } finally {
      nas.close();
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
