import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigFile, nullLogger, SystemClock, type RootLogger } from '@utm5/common';
import { Core, coreConfig } from '@utm5/core';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { createRadius, radclient } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';

const SECRET = 'testing123-long-secret';
const quiet: RootLogger = { ...nullLogger, addSecret() {}, reopen() {}, close() {}, child: () => nullLogger };

async function sessions(core: CoreInstance): Promise<Record<string, unknown>[]> {
  const config = loadConfigFile(coreConfig, core.configFile).values;
  const c = new Core({ config: { ...config, urfa_bind_host: [] }, log: quiet, clock: new SystemClock() });
  await c.start();
  try {
    return await c.db!.knex('radius_sessions').orderBy('id');
  } finally {
    await c.stop();
  }
}

test('utm5_radius with radclient: PAP and CHAP accepted with the right password and rejected with a wrong one; accounting acknowledged and reported to the core once', { timeout: 120_000 }, async () => {
  const core = await createCore();
  await core.stop();
  const { accounts, slinks } = await setUpRadius(core, SECRET, [
    { login: 'vpnuser', password: 'vpn-pass', kind: 'iptraffic', ip: '10.60.0.5' },
    { login: 'dialer', password: 'dial-pass', kind: 'dialup', pricePerHour: 3.6 },
  ]);
  await core.start();
  const rad = await createRadius(core);
  try {
    await rad.until('the core\'s NASes and logins', (s) => s.connected && s.nas === 1 && s.logins === 2);
    const auth = (attrs: string) => radclient(['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.authPort}`, 'auth', SECRET], attrs);
    const acct = (attrs: string) => radclient(['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.acctPort}`, 'acct', SECRET], attrs);

    let r = await auth('User-Name = "VPNuser", User-Password = "vpn-pass"');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Received Access-Accept/);
    assert.match(r.out, /Framed-IP-Address = 10\.60\.0\.5/);
    assert.match(r.out, /Session-Timeout = 86400/);
    r = await auth('User-Name = "vpnuser", User-Password = "wrong"');
    assert.match(r.out, /Received Access-Reject/);
    r = await auth('User-Name = "dialer", CHAP-Password = "dial-pass"');
    assert.match(r.out, /Received Access-Accept/, r.out);
    assert.match(r.out, /Session-Timeout = \d+/);
    r = await auth('User-Name = "dialer", CHAP-Password = "nope"');
    assert.match(r.out, /Received Access-Reject/);
    r = await auth('User-Name = "nobody", User-Password = "x"');
    assert.match(r.out, /Received Access-Reject/);
    // radclient turns MS-CHAP-Password into an MS-CHAP exchange (MS-CHAP-Challenge + MS-CHAP-Response).
    r = await auth('User-Name = "dialer", MS-CHAP-Password = "dial-pass"');
    assert.match(r.out, /Received Access-Accept/, r.out);
    r = await auth('User-Name = "dialer", MS-CHAP-Password = "bad-pass"');
    assert.match(r.out, /Received Access-Reject/, r.out);
    assert.match(r.out, /MS-CHAP-Error/);

    r = await acct('User-Name = "dialer", Acct-Status-Type = Start, Acct-Session-Id = "s-1", Framed-IP-Address = 10.61.0.9');
    assert.match(r.out, /Received Accounting-Response/, r.out);
    r = await acct('User-Name = "dialer", Acct-Status-Type = Stop, Acct-Session-Id = "s-1", Framed-IP-Address = 10.61.0.9, Acct-Session-Time = 1000, Acct-Input-Octets = 5000, Acct-Output-Octets = 7000');
    assert.match(r.out, /Received Accounting-Response/);
    // The same Stop again (a retransmit after our answer was lost) changes nothing.
    r = await acct('User-Name = "dialer", Acct-Status-Type = Stop, Acct-Session-Id = "s-1", Framed-IP-Address = 10.61.0.9, Acct-Session-Time = 1000, Acct-Input-Octets = 5000, Acct-Output-Octets = 7000');
    assert.match(r.out, /Received Accounting-Response/);
    await rad.until('the events committed by the core', (s) => s.eventsAcked === 3 && s.unacknowledged === 0);
    const s = rad.stats()!;
    assert.deepEqual([s.accepts, s.rejects], [3, 4]);
    await rad.proc.stop();
    await core.stop();
    const rows = await sessions(core);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.deepEqual([row['login'], Number(row['slink_id']), Number(row['account_id']), Number(row['duration']), Number(row['in_octets'])], ['dialer', slinks[1], accounts[1], 1000, 5000]);
    assert.ok(Number(row['stopped_at']) > 0);
    // 1000 s at 3.6 per hour = 1.0
    assert.equal(Number(row['charged']), 1_000_000);
  } finally {
    await rad.cleanup();
    await core.cleanup();
  }
});

test('utm5_radius: unknown NAS dropped; simultaneous sessions limited per link, and the counts survive a restart', { timeout: 120_000 }, async () => {
  const core = await createCore();
  await core.stop();
  await setUpRadius(core, SECRET, [{ login: 'one', password: 'pw', kind: 'dialup', maxSessions: 1 }]);
  await core.start();
  const rad = await createRadius(core);
  try {
    await rad.until('the core\'s data', (s) => s.connected && s.logins === 1);
    const auth = () => radclient(['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.authPort}`, 'auth', SECRET], 'User-Name = "one", User-Password = "pw"');
    assert.match((await auth()).out, /Received Access-Accept/);
    const start = await radclient(['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.acctPort}`, 'acct', SECRET], 'User-Name = "one", Acct-Status-Type = Start, Acct-Session-Id = "a1", Framed-IP-Address = 10.70.0.1');
    assert.match(start.out, /Received Accounting-Response/);
    assert.match((await auth()).out, /Received Access-Reject/, 'a second session is over the link\'s limit of 1');
    await rad.proc.stop();
    await rad.start();
    await rad.until('the core\'s data again', (s) => s.connected && s.logins === 1);
    assert.match((await auth()).out, /Received Access-Reject/, 'the open session was kept across the restart');
    const stop = await radclient(['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.acctPort}`, 'acct', SECRET], 'User-Name = "one", Acct-Status-Type = Stop, Acct-Session-Id = "a1", Framed-IP-Address = 10.70.0.1, Acct-Session-Time = 5');
    assert.match(stop.out, /Received Accounting-Response/);
    assert.match((await auth()).out, /Received Access-Accept/);
    // From an address that is no NAS: no answer at all.
    const bad = await radclient(['-x', '-r', '1', '-t', '1', `127.0.0.2:${rad.authPort}`, 'auth', SECRET], 'User-Name = "one", User-Password = "pw"');
    assert.notEqual(bad.code, 0);
  } finally {
    await rad.cleanup();
    await core.cleanup();
  }
});
