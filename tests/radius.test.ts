import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import { authenticatorResponse, generateNtResponse } from '@utm5/radiusd';
import assert from 'node:assert/strict';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { createRadius, radclient } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';
import { withCore } from './helpers/core-db';

const SECRET = 'testing123-long-secret';

function sessions(core: CoreInstance): Promise<Record<string, unknown>[]> {
  return withCore(core, (c) => c.db!.knex('radius_sessions').orderBy('id'));
}

test(
  'utm5_radius with radclient: PAP, CHAP, MS-CHAP v1 and v2 accepted with the right password and rejected with a wrong one; accounting acknowledged and reported to the core once',
  { timeout: 120_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    const { accounts, slinks } = await setUpRadius(core, SECRET, [
      { login: 'vpnuser', password: 'vpn-pass', kind: 'iptraffic', ip: '10.60.0.5' },
      { login: 'dialer', password: 'dial-pass', kind: 'dialup', pricePerHour: 3.6 },
    ]);
    await core.start();
    const rad = await createRadius(core);
    try {
      await rad.until("the core's NASes and logins", (s) => s.connected && s.nas === 1 && s.logins === 2);
      const auth = (attrs: string) =>
        radclient(['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.authPort}`, 'auth', SECRET], attrs);
      const acct = (attrs: string) =>
        radclient(['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.acctPort}`, 'acct', SECRET], attrs);

      // RFC 5997 Status-Server: answered on both ports (radclient adds the Message-Authenticator it needs).
      for (const [port, answer] of [
        [rad.authPort, 'Access-Accept'],
        [rad.acctPort, 'Accounting-Response'],
      ] as const) {
        const st = await radclient(
          ['-x', '-r', '1', '-t', '2', `127.0.0.1:${port}`, 'status', SECRET],
          'Message-Authenticator = 0x00',
        );
        assert.equal(st.code, 0, st.out);
        assert.match(st.out, new RegExp(`Received ${answer}`));
      }
      const wrong = await radclient(
        ['-x', '-r', '1', '-t', '1', `127.0.0.1:${rad.authPort}`, 'status', 'not-the-secret'],
        'Message-Authenticator = 0x00',
      );
      assert.notEqual(wrong.code, 0, 'a Status-Server with the wrong secret gets no answer');
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
      // MS-CHAP v2 through radclient: the attributes a peer computes (the challenge, the peer challenge and NT-Response),
      // sent as they are; the answer carries MS-CHAP2-Success with the authenticator response the peer checks.
      const challenge = randomBytes(16);
      const peer = randomBytes(16);
      const v2 = (password: string) => {
        const nt = generateNtResponse(challenge, peer, 'dialer', password);
        return {
          nt,
          attrs: `MS-CHAP-Challenge = 0x${challenge.toString('hex')}, MS-CHAP2-Response = 0x${Buffer.concat([Buffer.from([7, 0]), peer, Buffer.alloc(8), nt]).toString('hex')}`,
        };
      };
      const good = v2('dial-pass');
      r = await auth(`User-Name = "dialer", ${good.attrs}`);
      assert.match(r.out, /Received Access-Accept/, r.out);
      const success = /MS-CHAP2-Success = 0x([0-9a-f]+)/.exec(r.out);
      assert.ok(success, r.out);
      assert.equal(
        Buffer.from(success[1]!, 'hex').toString('latin1', 1),
        authenticatorResponse('dial-pass', good.nt, peer, challenge, 'dialer'),
      );
      r = await auth(`User-Name = "dialer", ${v2('bad-pass').attrs}`);
      assert.match(r.out, /Received Access-Reject/, r.out);
      assert.match(r.out, /MS-CHAP-Error/);

      r = await acct(
        'User-Name = "dialer", Acct-Status-Type = Start, Acct-Session-Id = "s-1", Framed-IP-Address = 10.61.0.9',
      );
      assert.match(r.out, /Received Accounting-Response/, r.out);
      r = await acct(
        'User-Name = "dialer", Acct-Status-Type = Stop, Acct-Session-Id = "s-1", Framed-IP-Address = 10.61.0.9, Acct-Session-Time = 1000, Acct-Input-Octets = 5000, Acct-Output-Octets = 7000',
      );
      assert.match(r.out, /Received Accounting-Response/);
      // The same Stop again (a retransmit after our answer was lost) changes nothing.
      r = await acct(
        'User-Name = "dialer", Acct-Status-Type = Stop, Acct-Session-Id = "s-1", Framed-IP-Address = 10.61.0.9, Acct-Session-Time = 1000, Acct-Input-Octets = 5000, Acct-Output-Octets = 7000',
      );
      assert.match(r.out, /Received Accounting-Response/);
      await rad.until('the events committed by the core', (s) => s.eventsAcked === 3 && s.unacknowledged === 0);
      const s = rad.stats()!;
      assert.deepEqual([s.accepts, s.rejects], [4, 5]);
      await rad.proc.stop();
      await core.stop();
      const rows = await sessions(core);
      assert.equal(rows.length, 1);
      const row = rows[0]!;
      assert.deepEqual(
        [
          row['login'],
          Number(row['slink_id']),
          Number(row['account_id']),
          Number(row['duration']),
          Number(row['in_octets']),
        ],
        ['dialer', slinks[1], accounts[1], 1000, 5000],
      );
      assert.ok(Number(row['stopped_at']) > 0);
      // 1000 s at 3.6 per hour = 1.0
      assert.equal(Number(row['charged']), 1_000_000);
    } finally {
      await rad.cleanup();
      await core.cleanup();
    }
  },
);

test(
  'utm5_radius: unknown NAS dropped; simultaneous sessions limited per link, and the counts survive a restart',
  { timeout: 120_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    await setUpRadius(core, SECRET, [{ login: 'one', password: 'pw', kind: 'dialup', maxSessions: 1 }]);
    await core.start();
    const rad = await createRadius(core);
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 1);
      const auth = () =>
        radclient(
          ['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.authPort}`, 'auth', SECRET],
          'User-Name = "one", User-Password = "pw"',
        );
      assert.match((await auth()).out, /Received Access-Accept/);
      const start = await radclient(
        ['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.acctPort}`, 'acct', SECRET],
        'User-Name = "one", Acct-Status-Type = Start, Acct-Session-Id = "a1", Framed-IP-Address = 10.70.0.1',
      );
      assert.match(start.out, /Received Accounting-Response/);
      assert.match((await auth()).out, /Received Access-Reject/, "a second session is over the link's limit of 1");
      await rad.proc.stop();
      await rad.start();
      await rad.until("the core's data again", (s) => s.connected && s.logins === 1);
      assert.match((await auth()).out, /Received Access-Reject/, 'the open session was kept across the restart');
      const stop = await radclient(
        ['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.acctPort}`, 'acct', SECRET],
        'User-Name = "one", Acct-Status-Type = Stop, Acct-Session-Id = "a1", Framed-IP-Address = 10.70.0.1, Acct-Session-Time = 5',
      );
      assert.match(stop.out, /Received Accounting-Response/);
      assert.match((await auth()).out, /Received Access-Accept/);
      // From an address that is no NAS: no answer at all.
      const bad = await radclient(
        ['-x', '-r', '1', '-t', '1', `127.0.0.2:${rad.authPort}`, 'auth', SECRET],
        'User-Name = "one", User-Password = "pw"',
      );
      assert.notEqual(bad.code, 0);
    } finally {
      await rad.cleanup();
      await core.cleanup();
    }
  },
);

test(
  'capacity limits per dealer, service, account and user: each level caps simultaneous sessions, and the stricter level wins',
  { timeout: 120_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    await setUpRadius(
      core,
      SECRET,
      [
        { login: 'svc', password: 'pw', kind: 'dialup' },
        { login: 'acc', password: 'pw', kind: 'dialup' },
        { login: 'usr', password: 'pw', kind: 'dialup' },
        { login: 'both', password: 'pw', kind: 'dialup' },
        { login: 'dl1', password: 'pw', kind: 'dialup', dealer: true },
        { login: 'dl2', password: 'pw', kind: 'dialup', dealer: true },
      ],
      [
        { level: 'dealer', ref: (x) => x.dealer, max: 1 },
        { level: 'service', ref: (x) => x.services[0]!, max: 1 },
        { level: 'account', ref: (x) => x.accounts[1]!, max: 2 },
        { level: 'user', ref: (x) => x.users[2]!, max: 1 },
        // 'both': the account allows 3, the user 1: the user's limit decides.
        { level: 'account', ref: (x) => x.accounts[3]!, max: 3 },
        { level: 'user', ref: (x) => x.users[3]!, max: 1 },
      ],
    );
    await core.start();
    const rad = await createRadius(core);
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 6);
      const auth = (login: string) =>
        radclient(
          ['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.authPort}`, 'auth', SECRET],
          `User-Name = "${login}", User-Password = "pw"`,
        );
      let n = 0;
      const start = (login: string) =>
        radclient(
          ['-x', '-r', '1', '-t', '2', `127.0.0.1:${rad.acctPort}`, 'acct', SECRET],
          `User-Name = "${login}", Acct-Status-Type = Start, Acct-Session-Id = "c${++n}", Framed-IP-Address = 10.95.0.${n}`,
        );
      const expectations: [string, number][] = [
        ['svc', 1],
        ['acc', 2],
        ['usr', 1],
        ['both', 1],
      ];
      for (const [login, max] of expectations) {
        for (let i = 0; i < max; i++) {
          assert.match((await auth(login)).out, /Received Access-Accept/, `${login}: session ${i + 1} of ${max}`);
          assert.match((await start(login)).out, /Received Accounting-Response/);
        }
        assert.match((await auth(login)).out, /Received Access-Reject/, `${login}: over its limit of ${max}`);
      }
      // Two users of one dealer whose dealer allows one session in all.
      assert.match((await auth('dl1')).out, /Received Access-Accept/);
      assert.match((await start('dl1')).out, /Received Accounting-Response/);
      assert.match(
        (await auth('dl2')).out,
        /Received Access-Reject/,
        "the dealer's one session is in use by another user",
      );
      await rad.proc.stop();
      const log = (await import('node:fs')).readFileSync(`${rad.dir}/debug.log`, 'utf8');
      assert.match(log, /'svc'.*simultaneous sessions: 1 of 1 allowed for the service in use/);
      assert.match(log, /'acc'.*simultaneous sessions: 2 of 2 allowed for the account in use/);
      assert.match(log, /'usr'.*simultaneous sessions: 1 of 1 allowed for the user in use/);
      assert.match(log, /'both'.*simultaneous sessions: 1 of 1 allowed for the user in use/);
      assert.match(log, /'dl2'.*simultaneous sessions: 1 of 1 allowed for the dealer in use/);
    } finally {
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
