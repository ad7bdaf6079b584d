import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore } from './helpers/core-instance';
import { ackOrNak, fakeNas } from './helpers/fake-nas';
import { ROOT } from './helpers/paths';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';

const SECRET = 'commands-secret-long-enough';

test(
  'rpcf_radius_disconnect_session and rpcf_radius_drop_session: through utm5_radius to the NAS, or in the billing alone',
  { timeout: 120_000 },
  async () => {
    // Session b1 is one this NAS no longer has (NAK, Session-Context-Not-Found); a1 it ends (ACK).
    const nas = await fakeNas(
      SECRET,
      ackOrNak((p) => p.text('Acct-Session-Id') === 'b1'),
    );
    const { received } = nas;
    const core = await createCore();
    await core.stop();
    await setUpRadius(
      core,
      SECRET,
      [
        { login: 'alice', password: 'p', kind: 'dialup', pricePerHour: 3.6, balance: 100 },
        { login: 'bob', password: 'p', kind: 'dialup', pricePerHour: 3.6, balance: 100 },
      ],
      [],
      { daePort: nas.port },
    );
    await core.start();
    const rad = await createRadius(core);
    const api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
    });
    const code = async (fn: string, sid: string) => {
      const started = Date.now();
      const r = (await api.call(fn, { acct_session_id: sid, nas_ip: '127.0.0.1' })).get('error_code');
      return { code: Number(r), ms: Date.now() - started };
    };
    const open = async () => {
      const s = await api.call('rpcf_radius_get_active_sessions');
      return Array.from({ length: Number(s.get('traffic_sessions_count')) }, (_, i) =>
        s.get('traf_acct_session_id', [i]),
      ).sort();
    };
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 2);
      const start = (login: string, sid: string, ip: string) =>
        exchange(rad.acctPort, SECRET, 'Accounting-Request', [
          { name: 'User-Name', value: login },
          { name: 'Acct-Status-Type', value: 1 },
          { name: 'Acct-Session-Id', value: sid },
          { name: 'Framed-IP-Address', value: ip },
        ]);
      assert.equal((await start('alice', 'a1', '10.91.0.1'))?.codeName, 'Accounting-Response');
      assert.equal((await start('bob', 'b1', '10.91.0.2'))?.codeName, 'Accounting-Response');
      for (let i = 0; (await open()).length < 2; i++) {
        assert.ok(i < 100, 'the sessions reach the core');
        await new Promise((r) => setTimeout(r, 50));
      }

      // Disconnect: the NAS gets a Disconnect-Request for the session and answers; its answer is the code.
      assert.equal((await code('rpcf_radius_disconnect_session', 'a1')).code, 0, 'ACK');
      assert.equal(received.length, 1);
      assert.deepEqual(
        [
          received[0]!.codeName,
          received[0]!.text('Acct-Session-Id'),
          received[0]!.text('User-Name'),
          received[0]!.get('Framed-IP-Address'),
        ],
        ['Disconnect-Request', 'a1', 'alice', '10.91.0.1'],
      );
      assert.equal((await code('rpcf_radius_disconnect_session', 'b1')).code, 5, 'NAK');
      assert.equal((await code('rpcf_radius_disconnect_session', 'nope')).code, 1, 'unknown session');
      assert.equal(received.length, 2, 'nothing sent for an unknown session');
      assert.deepEqual(await open(), ['a1', 'b1'], "a disconnect waits for the NAS's Stop");

      // Drop: the billing closes it at once, the radius forgets it, the NAS hears nothing.
      assert.equal((await code('rpcf_radius_drop_session', 'b1')).code, 0);
      assert.deepEqual(await open(), ['a1']);
      await rad.until('the radius forgot b1', (s) => s.sessionsOpen === 1);
      assert.equal((await code('rpcf_radius_drop_session', 'b1')).code, 1, 'closed already');
      assert.equal(received.length, 2);
      await core.proc.waitForOutput(/drop of session 'b1' at NAS 127\.0\.0\.1: done/);

      // utm5_radius down: a disconnect answers 3 at once; a drop still closes the session in the billing.
      await rad.proc.stop();
      let down = await code('rpcf_radius_disconnect_session', 'a1');
      for (let i = 0; down.code !== 3 && i < 50; i++) {
        await new Promise((r) => setTimeout(r, 100));
        down = await code('rpcf_radius_disconnect_session', 'a1');
      }
      assert.equal(down.code, 3, 'utm5_radius is not connected');
      assert.ok(down.ms < 2000, `answered in ${down.ms} ms, not at a timeout`);
      assert.equal((await code('rpcf_radius_drop_session', 'a1')).code, 0);
      assert.deepEqual(await open(), []);
      assert.equal(received.length, 2);
    } finally {
      nas.close();
      await api.close();
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
