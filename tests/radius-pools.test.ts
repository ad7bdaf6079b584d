import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@utm5/common/testing';
import { createCore } from './helpers/core-instance';
import { withCore } from './helpers/core-db';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';

const SECRET = 'pools-secret-long-enough';

test(
  'IP pools: dial-up addresses from named pools in order, guest and blocked pools (blocked time not charged), dynamic addresses bound to the IP traffic link',
  { timeout: 120_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    const { accounts, slinks } = await setUpRadius(core, SECRET, [
      { login: 'pooled1', password: 'pw1', kind: 'dialup', poolName: 'dial', pricePerHour: 3.6 },
      { login: 'pooled2', password: 'pw2', kind: 'dialup', poolName: 'dial', pricePerHour: 3.6 },
      { login: 'pooled3', password: 'pw3', kind: 'dialup', poolName: 'dial', pricePerHour: 3.6 },
      { login: 'blocky', password: 'pw4', kind: 'dialup', poolName: 'dial', pricePerHour: 3.6, blocked: true },
      { login: 'dyn1', password: 'pw5', kind: 'dialup', pricePerHour: 3.6, dynamic: true },
      { login: 'dyn2', password: 'pw6', kind: 'dialup', pricePerHour: 3.6, dynamic: true },
      {
        login: 'cafe',
        password: 'pw7',
        kind: 'hotspot',
        pricePerHour: 1,
        allowedNets: [{ ip: '192.168.7.0', mask: 24 }],
      },
    ]);
    await withCore(core, async (c) => {
      // Two pools share the name 'dial' (one address each): the first added is used first.
      await c.radius!.pools.add({ name: 'dial', address: '10.91.2.0', mask: 31 });
      await c.radius!.pools.add({ name: 'dial', address: '10.91.1.0', mask: 32 });
      await c.radius!.pools.add({ name: 'guest', address: '10.77.0.0', mask: 30 });
      await c.radius!.pools.add({ name: 'blocked', address: '10.66.0.0', mask: 30 });
      await assert.rejects(
        c.radius!.pools.add({ name: 'x', address: '10.77.0.2', mask: 32 }),
        /overlaps pool 3 'guest'/,
      );
    });
    await core.start();
    const rad = await createRadius(core, { guest_pool_name: 'guest', blocked_pool_name: 'blocked' });
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 7);
      const auth = (login: string, password: string) =>
        exchange(rad.authPort, SECRET, 'Access-Request', [
          { name: 'User-Name', value: login },
          { name: 'User-Password', value: password },
        ]);
      const acct = (login: string, sid: string, status: number, ip: string, time = 0) =>
        exchange(rad.acctPort, SECRET, 'Accounting-Request', [
          { name: 'User-Name', value: login },
          { name: 'Acct-Status-Type', value: status },
          { name: 'Acct-Session-Id', value: sid },
          { name: 'Framed-IP-Address', value: ip },
          ...(time ? [{ name: 'Acct-Session-Time', value: time }] : []),
        ]);

      const a1 = await auth('pooled1', 'pw1');
      assert.equal(a1?.codeName, 'Access-Accept');
      assert.equal(a1!.get('Framed-IP-Address'), '10.91.2.0', 'a /31 has two addresses, both given');
      assert.equal(a1!.get('Framed-IP-Netmask'), '255.255.255.255');
      const a2 = await auth('pooled2', 'pw2');
      assert.equal(a2!.get('Framed-IP-Address'), '10.91.2.1');
      const a3 = await auth('pooled3', 'pw3');
      assert.equal(a3!.get('Framed-IP-Address'), '10.91.1.0', 'the second pool of the name once the first ran out');
      assert.equal((await auth('pooled3', 'pw3'))?.codeName, 'Access-Reject', 'every address of the pools is held');
      // The manual: without Framed-IP-Address an Accounting-Request is ignored (no answer; the NAS may retransmit).
      assert.equal(
        await exchange(
          rad.acctPort,
          SECRET,
          'Accounting-Request',
          [
            { name: 'User-Name', value: 'pooled1' },
            { name: 'Acct-Status-Type', value: 1 },
            { name: 'Acct-Session-Id', value: 'no-ip' },
          ],
          500,
        ),
        undefined,
      );
      // ... and said at Notice, with what to change: a NAS that never sends it loses every session.
      await waitFor(
        () =>
          /\[Notice\].*'no-ip'.*without Framed-IP-Address ignored.*configure the NAS/.test(
            readFileSync(join(rad.dir, 'debug.log'), 'utf8'),
          ),
        5000,
        'the drop logged at Notice',
      );
      // A Stop releases the address at once.
      assert.equal((await acct('pooled1', 's1', 1, '10.91.2.0'))?.codeName, 'Accounting-Response');
      assert.equal((await acct('pooled1', 's1', 2, '10.91.2.0', 60))?.codeName, 'Accounting-Response');
      assert.equal((await auth('pooled3', 'pw3'))!.get('Framed-IP-Address'), '10.91.2.0');

      // A hotspot service's allowed networks: the client's address (Framed-IP-Address from the hotspot NAS) must be in one.
      const hot = (ip: string) =>
        exchange(rad.authPort, SECRET, 'Access-Request', [
          { name: 'User-Name', value: 'cafe' },
          { name: 'User-Password', value: 'pw7' },
          { name: 'Framed-IP-Address', value: ip },
        ]);
      assert.equal((await hot('192.168.7.40'))?.codeName, 'Access-Accept');
      assert.equal((await hot('192.168.70.40'))?.codeName, 'Access-Reject');

      const g = await auth('walk-in', 'whatever');
      assert.equal(g?.codeName, 'Access-Accept', 'an unknown login is a guest');
      assert.equal(g!.get('Framed-IP-Address'), '10.77.0.1');
      assert.equal(
        (await auth('pooled1', 'wrong'))?.codeName,
        'Access-Reject',
        'a known login with a wrong password is not a guest',
      );

      const b = await auth('blocky', 'pw4');
      assert.equal(b?.codeName, 'Access-Accept', 'blocked, let in to the blocked pool');
      assert.equal(b!.get('Framed-IP-Address'), '10.66.0.1');
      await acct('blocky', 'b1', 1, '10.66.0.1');
      await acct('blocky', 'b1', 2, '10.66.0.1', 3600);

      // Dynamic addresses: dyn1's session address becomes an IP group of dyn1's IP traffic link, then moves to dyn2.
      await acct('dyn1', 'd1', 1, '10.92.0.5');
      await acct('dyn1', 'd1', 2, '10.92.0.5', 10);
      await rad.until('the events committed', (s) => s.unacknowledged === 0 && s.eventsAcked === 6);
      const groupsOf = (c: Parameters<Parameters<typeof withCore>[1]>[0]) =>
        c
          .db!.knex('ip_groups')
          .join('service_links', 'service_links.id', 'ip_groups.slink_id')
          .where({ 'ip_groups.is_deleted': false, 'ip_groups.ip': '10.92.0.5' })
          .select('service_links.account_id as account', 'ip_groups.mask as mask');
      await withCore(core, async (c) => {
        assert.deepEqual(
          (await groupsOf(c)).map((r) => [Number(r.account), Number(r.mask)]),
          [[accounts[4], 32]],
        );
        const s = await c.db!.knex('radius_sessions').where({ acct_session_id: 'b1' }).first();
        assert.equal(s.pool_kind, 'blocked');
        assert.equal(Number(s.charged), 0, 'an hour in the blocked pool costs nothing');
        assert.equal((await c.billing!.accounts.get(accounts[3]!))!.balance, 100_000_000);
        const p1 = await c.db!.knex('radius_sessions').where({ acct_session_id: 's1' }).first();
        assert.equal(Number(p1.charged), 60_000, 'a pooled session is charged as usual (60 s at 3.6/h)');
      });
      await acct('dyn2', 'd2', 1, '10.92.0.5');
      await rad.until('the event committed', (s) => s.unacknowledged === 0 && s.eventsAcked === 7);
      await withCore(core, async (c) => {
        assert.deepEqual(
          (await groupsOf(c)).map((r) => [Number(r.account), Number(r.mask)]),
          [[accounts[5], 32]],
          'the address moved to dyn2',
        );
      });
      assert.equal(slinks.length, 7);
    } finally {
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
