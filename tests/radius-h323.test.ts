import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { UrfaApi } from '@utm5/urfaclient';
import { createRadius, radclient, type RadiusInstance } from './helpers/radius-instance';
import { telLinkInput } from './helpers/tel-setup';
import { rangeAround, urfaSession, type UrfaSession } from './helpers/urfa';

// Cisco h323 telephony end to end: Debian's radclient as the gateway, a real utm5_radius, and a core on the test clock
// (UTC) set up over URFA, so prices and time ranges give known answers.

const SECRET = 'testing123-long-secret';
const T0 = 1049155200; // 2003-04-01 00:00 UTC, a Tuesday
const RANGE_END = T0 + 3600; // the service's one time range: 00:00:00-00:59:59 of that weekday
const NOW = T0 + 600;
const BALANCE = 10;
const PRICE = 1; // per TIME_UNIT seconds; no free time, steps of 1 s
const TIME_UNIT = 60;
const LOGIN = 'gw-user';
const PASSWORD = 'tel-pass';
const NUMBER = '5551001';
const CALLED = '74951234567'; // zone 'city' (prefix 7495)
const EMERGENCY = '112'; // zone 'emergency'
const SESSION_TIMEOUT = 7200; // tel_session_timeout: what an emergency call gets

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A unix time as Cisco IOS prints h323 times ("14:26:59.463 UTC Fri Apr 19 2002"). */
function ciscoTime(t: number): string {
  const d = new Date(t * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.000 UTC ` +
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`
  );
}

/** What the money pays for at PRICE per TIME_UNIT seconds, whole seconds. */
const paidSeconds = (balance: number) => Math.floor((balance * TIME_UNIT) / PRICE);

describe('h323 telephony through utm5_radius with radclient', { timeout: 180_000 }, () => {
  let session: UrfaSession;
  let rad: RadiusInstance;
  const ids = { user: '', account: '', service: 0, slink: 0, emergencyZone: 0 };
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => session.call(name, inputs);
  const balance = async () => Number((await call('rpcf_get_accountinfo', { account_id: ids.account })).get('balance'));
  const opts = (port: number) => ['-x', '-r', '1', '-t', '3', `127.0.0.1:${port}`];
  const auth = (attrs: string) => radclient([...opts(rad.authPort), 'auth', SECRET], attrs);
  const acct = (attrs: string) => radclient([...opts(rad.acctPort), 'acct', SECRET], attrs);
  /** A call authorization of LOGIN to `called`, with conf id `conf`. */
  const authorize = (called: string, conf: string, password = PASSWORD) =>
    auth(
      `User-Name = "${LOGIN}", User-Password = "${password}", Calling-Station-Id = "${NUMBER}", ` +
        `Called-Station-Id = "${called}", h323-conf-id = "h323-conf-id=${conf}"`,
    );
  const creditTime = (out: string) => {
    const m = /h323-credit-time = "h323-credit-time=(\d+)"/.exec(out);
    assert.ok(m, `no h323-credit-time in\n${out}`);
    return Number(m[1]);
  };
  /** Accounting Start or Stop of a call of LOGIN to CALLED (originate leg), connected at `connect`. */
  const accounting = (kind: 'Start' | 'Stop', conf: string, connect: number, seconds = 0) =>
    acct(
      [
        `User-Name = "${LOGIN}"`,
        `Acct-Status-Type = ${kind}`,
        `Acct-Session-Id = "${conf}"`,
        `Calling-Station-Id = "${NUMBER}"`,
        `Called-Station-Id = "${CALLED}"`,
        `h323-conf-id = "h323-conf-id=${conf}"`,
        `h323-call-origin = "h323-call-origin=originate"`,
        `h323-connect-time = "h323-connect-time=${ciscoTime(connect)}"`,
        ...(kind === 'Stop'
          ? [
              `h323-disconnect-time = "h323-disconnect-time=${ciscoTime(connect + seconds)}"`,
              `h323-disconnect-cause = "h323-disconnect-cause=10"`,
              `Acct-Session-Time = ${seconds}`,
            ]
          : []),
      ].join(', '),
    );
  /** The core logged why it refused (its refusals are info lines of the process's output). */
  const logged = (re: RegExp) => session.core.proc.waitForOutput(re, 10_000);
  /** Waits until the core committed `n` call records (Start and Stop) in all. */
  const committed = (n: number) =>
    rad.until(`${n} telephony call records committed by the core`, (s) => s.telCallsAcked === n);

  before(async () => {
    session = await urfaSession(NOW);
    const nas = { nas_id: '127.0.0.1', auth_secret: SECRET, acct_secret: '', dac_secret: '', das_port: 0, flags: 0 };
    assert.ok(Number((await call('rpcf_put_nas', { mode: 0, id: 0, ...nas, isg_profile: 0 })).get('result')) > 0);
    await call('rpcf_add_time_range', {
      tr_name: 'first hour',
      priority: 1,
      ...rangeAround(T0, 0, RANGE_END - T0 - 1),
    });
    const range = Number((await call('rpcf_get_time_ranges')).get('range_id', [0]));
    const city = Number((await call('rpcf_add_tel_zone', { name: 'city', zone_type: 0 })).get('zone_id'));
    ids.emergencyZone = Number((await call('rpcf_add_tel_zone', { name: 'emergency', zone_type: 0 })).get('zone_id'));
    for (const [zone, prefix] of [
      [city, '7495'],
      [ids.emergencyZone, EMERGENCY],
    ] as const)
      assert.ok(
        Number(
          (
            await call('rpcf_add_tel_direction', { zone_id: zone, name: prefix, called_prefix: prefix, dir_type: 0 })
          ).get('dir_id'),
        ) > 0,
      );
    ids.service = Number(
      (
        await call('rpcf_add_tel_service', {
          parent_id: 0,
          tariff_id: 0,
          service_name: 'h323',
          comment: '',
          link_by_default: 0,
          is_dynamic: 0,
          contract_type: 0,
          service_cost: 0,
          discount_method: 1,
          radius_sessions_limit: 1,
          tariff_class_count: 2,
          tariff_class: [city, ids.emergencyZone],
          border_count_array: [0, 0],
          border: [[], []],
          cost_mult: [[], []],
          timerange_count_array: [1, 1],
          timerange_id: [[range], [range]],
          cost: [[PRICE], [0]],
          prepaid_array: [0, 0],
          fixed_cost_array: [0, 0],
          free_time: 0,
          first_period_length: 0,
          first_period_step: 1,
          second_period_step: 1,
          time_unit_size: TIME_UNIT,
          discount_free_time: 0,
          minimum_charge: 0,
        })
      ).get('service_id'),
    );
    assert.ok(ids.service > 0, 'the telephony service');
    assert.equal(
      (await call('rpcf_set_tel_emergency_calls', { service_id: ids.service, zone_id_array: [ids.emergencyZone] })).get(
        'result',
      ),
      '0',
    );
    const period = (await call('rpcf_add_discount_period_return', { start_date: T0, periodic_type: 3 })).get(
      'discount_period_id',
    )!;
    const u = await call('rpcf_add_user_new', { login: 'tel-owner', password: 'x', balance: BALANCE });
    ids.user = u.get('user_id')!;
    ids.account = u.get('basic_account')!;
    ids.slink = Number(
      (
        await call(
          'rpcf_add_tel_service_link',
          telLinkInput({ user: ids.user, account: ids.account, service: ids.service, period }, T0, [
            { login: LOGIN, number: NUMBER, password: PASSWORD },
          ]),
        )
      ).get('slink_id'),
    );
    assert.ok(ids.slink > 0, 'the telephony service link');
    assert.equal(await balance(), BALANCE);
    rad = await createRadius(session.core, { tel_session_timeout: String(SESSION_TIMEOUT) });
    await rad.until("the core's NAS", (s) => s.connected && s.nas === 1);
  });
  after(async () => {
    await rad?.cleanup();
    await session?.close();
  });

  const register = (login: string, password: string, how = 'User-Password') =>
    auth(
      `User-Name = "${login}", ${how} = "${password}", Calling-Station-Id = "${NUMBER}", ` +
        `h323-conf-id = "h323-conf-id=reg-1"`,
    );

  test('registration (no Called-Station-Id): accepted with the right password, refused with a wrong one or an unknown login', async () => {
    let r = await register(LOGIN, PASSWORD);
    assert.match(r.out, /Received Access-Accept/, r.out);
    assert.match(r.out, /h323-return-code = "h323-return-code=0"/);
    assert.match(r.out, /h323-credit-amount = "h323-credit-amount=10\.00"/);
    assert.doesNotMatch(r.out, /h323-credit-time/, 'a registration is no call');
    r = await register(LOGIN, 'wrong');
    assert.match(r.out, /Received Access-Reject/, r.out);
    await logged(new RegExp(`registration of '${LOGIN}' .* refused: wrong password for login '${LOGIN}' \\(PAP\\)`));
    // radclient computes the CHAP response from the password and a challenge of its own.
    r = await register(LOGIN, PASSWORD, 'CHAP-Password');
    assert.match(r.out, /Received Access-Accept/, r.out);
    r = await register(LOGIN, 'wrong', 'CHAP-Password');
    assert.match(r.out, /Received Access-Reject/, r.out);
    await logged(new RegExp(`registration of '${LOGIN}' .* refused: wrong password for login '${LOGIN}' \\(CHAP\\)`));
    r = await register('nobody', PASSWORD);
    assert.match(r.out, /Received Access-Reject/, r.out);
    await logged(
      /registration of 'nobody' .* refused: no live telephony service link has a number with login 'nobody'/,
    );
  });

  test('call authorization: h323-credit-time is what the balance pays at the price', async () => {
    const r = await authorize(CALLED, 'auth-1');
    assert.match(r.out, /Received Access-Accept/, r.out);
    // 10.00 at 1.00 per 60 s: 600 s, well within the range (it ends 3000 s after now).
    assert.equal(creditTime(r.out), paidSeconds(BALANCE));
    assert.ok(NOW + paidSeconds(BALANCE) < RANGE_END);
    assert.match((await authorize(CALLED, 'auth-2', 'wrong')).out, /Received Access-Reject/);
  });

  test('Accounting Start and Stop rate the call once, even when the Stop is sent twice', async () => {
    const seconds = 90;
    const connect = NOW + 5;
    assert.match((await accounting('Start', 'conf-rated', connect)).out, /Received Accounting-Response/);
    const stop = await accounting('Stop', 'conf-rated', connect, seconds);
    assert.match(stop.out, /Received Accounting-Response/, stop.out);
    // The gateway did not hear our answer and sends the Stop again.
    assert.match((await accounting('Stop', 'conf-rated', connect, seconds)).out, /Received Accounting-Response/);
    await committed(3);
    const cost = (seconds * PRICE) / TIME_UNIT; // 1.5
    assert.ok(Math.abs(BALANCE - cost - (await balance())) < 1e-6, 'charged the cost once');
    const report = await call('rpcf_get_tel_report', {
      account_id: ids.account,
      time_start: T0,
      time_end: T0 + 86400,
    });
    assert.equal(report.get('dhs_log_size'), '1');
    assert.equal(report.get('count_array', [0]), '1', 'one call, one part');
    assert.deepEqual(
      [
        report.get('account_id', [0, 0]),
        report.get('slink_id', [0, 0]),
        report.get('Calling_Station_Id', [0, 0]),
        report.get('Called_Station_Id', [0, 0]),
        report.get('start_time', [0, 0]),
        report.get('acct_sess_time', [0, 0]),
        report.get('uname', [0, 0]),
      ],
      [ids.account, String(ids.slink), NUMBER, CALLED, String(connect), String(seconds), LOGIN],
    );
    assert.ok(Math.abs(Number(report.get('sum_cost', [0, 0])) - cost) < 1e-6);
    const details = await call('rpcf_tel_call_details', {
      account_id: ids.account,
      time_start: T0,
      time_end: T0 + 86400,
    });
    assert.deepEqual([details.get('accounts_count'), details.get('atr_size_array', [0])], ['1', '1']);
  });

  test('simultaneous calls: with radius_sessions_limit 1 a second call is refused while one is up, and accepted after its Stop', async () => {
    const connect = NOW + 200;
    assert.match((await authorize(CALLED, 'conf-limit')).out, /Received Access-Accept/);
    assert.match((await accounting('Start', 'conf-limit', connect)).out, /Received Accounting-Response/);
    await committed(4);
    const refused = await authorize(CALLED, 'conf-second');
    assert.match(refused.out, /Received Access-Reject/, 'one call of the link is up');
    await logged(/refused: simultaneous calls: 1 of 1 allowed for the link in use/);
    assert.match((await accounting('Stop', 'conf-limit', connect, 0)).out, /Received Accounting-Response/);
    await committed(5);
    assert.match((await authorize(CALLED, 'conf-second')).out, /Received Access-Accept/, 'the call is over');
  });

  test('h323-credit-time stops at the end of the time range covering now', async () => {
    const now = RANGE_END - 300;
    assert.equal((await call('utm5ts_set_time', { time: now })).get('result'), '0');
    const r = await authorize(CALLED, 'auth-late');
    assert.match(r.out, /Received Access-Accept/, r.out);
    const left = await balance();
    assert.match(r.out, new RegExp(`h323-credit-amount = "h323-credit-amount=${left.toFixed(2)}"`));
    assert.ok(paidSeconds(left) > RANGE_END - now, 'the money would pay for longer');
    assert.equal(creditTime(r.out), RANGE_END - now);
  });

  test('a blocked account is refused, except a call to an emergency zone', async () => {
    await call('rpcf_block_account', { account_id: ids.account, is_blocked: 1 });
    const r = await authorize(CALLED, 'blocked-1');
    assert.match(r.out, /Received Access-Reject/, r.out);
    await logged(
      new RegExp(`call '${NUMBER}' -> '${CALLED}' of '${LOGIN}' .* refused: account ${ids.account} is blocked`),
    );
    const e = await authorize(EMERGENCY, 'blocked-112');
    assert.match(e.out, /Received Access-Accept/, e.out);
    assert.equal(creditTime(e.out), SESSION_TIMEOUT, 'an emergency call is let through for tel_session_timeout');
    const reg = await register(LOGIN, PASSWORD);
    assert.match(reg.out, /Received Access-Reject/, 'nor does a blocked account register');
    assert.match(reg.out, /h323-return-code = "h323-return-code=2"/, reg.out);
  });
});
