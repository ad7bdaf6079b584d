import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEL_RETURN_CODE } from '@utm5/protocol';
import { encodeRequest } from '@utm5/radius';
import { chapResponse } from '../auth/chap';
import { parseRequest, type RequestView } from '../server/wire';
import { FieldFormatError, parseFieldFormat } from './field-format';
import { h323Attr, isTelephony, parseH323Time } from './h323-attrs';
import { isRegistration, telAuthorizeArgs, telCallWire, telReply, type TelOptions } from './tel-requests';

const SECRET = 'tel-test-secret';
type Attrs = Parameters<typeof encodeRequest>[1];
const request = (attrs: Attrs, code: 'Access-Request' | 'Accounting-Request' = 'Access-Request'): RequestView => {
  const r = parseRequest(encodeRequest(code, attrs, SECRET), Buffer.from(SECRET));
  if ('error' in r) throw new Error(r.error);
  return r;
};

const OPTS: TelOptions = {
  loginFromRemoteAddress: false,
  extendedRegistration: false,
  nasPorts: [],
  sessionTimeout: 86400,
  currency: 'USD',
  returnCodePositive: false,
  sendXpgkEpNumber: false,
  sendIvrIn: false,
  originReject: undefined,
  rewriteLoginAnswer: false,
  rewriteLoginOriginate: false,
  incomingTrunk: undefined,
  outgoingTrunk: undefined,
  pbxId: undefined,
};

const CONF = '3C5AEAB9 95C80008 0 587F34A4';

test('telephony is told by h323-conf-id, as its own attribute (with or without the name= prefix) or in Cisco-AVPair', () => {
  const own = request([{ name: 'h323-conf-id', value: `h323-conf-id=${CONF}` }]);
  assert.equal(isTelephony(own.packet), true);
  assert.equal(h323Attr(own.packet, 'h323-conf-id'), CONF);
  const bare = request([{ name: 'h323-conf-id', value: CONF }]);
  assert.equal(h323Attr(bare.packet, 'h323-conf-id'), CONF);
  const avpair = request([
    { name: 'Cisco-AVPair', value: 'xpgk-route-retries=1' },
    { name: 'Cisco-AVPair', value: `h323-conf-id=${CONF}` },
    { name: 'Cisco-AVPair', value: 'h323-call-origin=answer' },
  ]);
  assert.equal(isTelephony(avpair.packet), true);
  assert.equal(h323Attr(avpair.packet, 'h323-call-origin'), 'answer');
  const dialup = request([
    { name: 'User-Name', value: 'bob' },
    { name: 'Cisco-AVPair', value: 'lcp:callback-dialstring=123' },
  ]);
  assert.equal(isTelephony(dialup.packet), false);
  assert.equal(isTelephony(request([{ name: 'h323-conf-id', value: 'h323-conf-id=' }]).packet), false);
});

test('Cisco h323 times read with their zone; unsynchronized marks accepted; unreadable ones undefined', () => {
  assert.equal(parseH323Time('14:26:59.463 UTC Fri Apr 19 2002'), Date.UTC(2002, 3, 19, 14, 26, 59) / 1000);
  assert.equal(parseH323Time('*14:26:59.463 GMT Fri Apr 19 2002'), Date.UTC(2002, 3, 19, 14, 26, 59) / 1000);
  assert.equal(parseH323Time('.17:26:59.463 MSK Fri Apr 19 2002'), Date.UTC(2002, 3, 19, 14, 26, 59) / 1000);
  assert.equal(parseH323Time('09:26:59 EST Fri Apr 19 2002'), Date.UTC(2002, 3, 19, 14, 26, 59) / 1000);
  assert.equal(parseH323Time('1700000000'), 1700000000);
  assert.equal(parseH323Time('14:26:59.463 XYZ Fri Apr 19 2002'), undefined);
  assert.equal(parseH323Time('yesterday'), undefined);
  assert.equal(parseH323Time(undefined), undefined);
});

test('registration: no Called-Station-Id, or Calling = Called with radius_auth_tel_ext_reg', () => {
  const reg = request([
    { name: 'User-Name', value: 'Alice' },
    { name: 'Calling-Station-Id', value: '5551000' },
    { name: 'h323-conf-id', value: CONF },
  ]);
  assert.equal(isRegistration(reg, OPTS), true);
  const same = request([
    { name: 'Calling-Station-Id', value: '5551000' },
    { name: 'Called-Station-Id', value: '5551000' },
  ]);
  assert.equal(isRegistration(same, OPTS), false);
  assert.equal(isRegistration(same, { ...OPTS, extendedRegistration: true }), true);
  const r = telAuthorizeArgs(reg, OPTS, '10.0.0.1');
  assert.ok('args' in r);
  assert.equal(r.args.login, 'alice');
  assert.equal(r.args.called, '');
  const extended = telAuthorizeArgs(same, { ...OPTS, extendedRegistration: true }, '10.0.0.1');
  assert.ok('refuse' in extended, 'no login at all');
});

test('call authorization: PAP password in clear, CHAP as response and challenge; login from h323-remote-address', () => {
  const pap = request([
    { name: 'User-Name', value: 'alice' },
    { name: 'User-Password', value: 's3cret' },
    { name: 'Calling-Station-Id', value: '5551000' },
    { name: 'Called-Station-Id', value: '8107' },
    { name: 'h323-conf-id', value: CONF },
    { name: 'h323-remote-address', value: 'h323-remote-address=10.9.9.9' },
  ]);
  const a = telAuthorizeArgs(pap, OPTS, '10.0.0.1');
  assert.ok('args' in a);
  assert.deepEqual(
    { login: a.args.login, password: a.args.password, calling: a.args.calling, called: a.args.called },
    { login: 'alice', password: 's3cret', calling: '5551000', called: '8107' },
  );
  const byAddress = telAuthorizeArgs(pap, { ...OPTS, loginFromRemoteAddress: true }, '10.0.0.1');
  assert.ok('args' in byAddress);
  assert.equal(byAddress.args.login, '10.9.9.9');
  const challenge = Buffer.alloc(16, 7);
  const chapPassword = Buffer.concat([Buffer.from([9]), chapResponse(9, 's3cret', challenge)]);
  const chap = request([
    { name: 'User-Name', value: 'alice' },
    { name: 'CHAP-Password', value: chapPassword },
    { name: 'CHAP-Challenge', value: challenge },
    { name: 'Called-Station-Id', value: '8107' },
    { name: 'h323-conf-id', value: CONF },
  ]);
  const c = telAuthorizeArgs(chap, OPTS, '10.0.0.1');
  assert.ok('args' in c);
  assert.equal(c.args.password, '');
  assert.deepEqual(c.args.chap, { response: chapPassword.toString('hex'), challenge: challenge.toString('hex') });
});

test('radius_nas_port_tel refuses other NAS-Port-Types before the core is asked', () => {
  const req = request([
    { name: 'User-Name', value: 'alice' },
    { name: 'NAS-Port-Type', value: 'Async' },
    { name: 'h323-conf-id', value: CONF },
  ]);
  const r = telAuthorizeArgs(req, { ...OPTS, nasPorts: [5] }, '10.0.0.1');
  assert.ok('refuse' in r);
  assert.match(r.refuse, /radius_nas_port_tel/);
  assert.ok('args' in telAuthorizeArgs(req, { ...OPTS, nasPorts: [0] }, '10.0.0.1'));
});

test('trunks and PBX id picked out by vendor_id:attribute_id:regexp; bad formats named', () => {
  const o: TelOptions = {
    ...OPTS,
    incomingTrunk: parseFieldFormat('incoming_trunk_format', '9:1:^in-trunk-group-label=(.*)$'),
    outgoingTrunk: parseFieldFormat('outgoing_trunk_format', '0:32:'),
    pbxId: parseFieldFormat('pbx_id_format', '9:33:gw(\\d+)'),
  };
  const req = request([
    { name: 'User-Name', value: 'alice' },
    { name: 'Called-Station-Id', value: '8107' },
    { name: 'NAS-Identifier', value: 'trunk-B' },
    { name: 'Cisco-AVPair', value: 'h323-conf-id=x' },
    { name: 'Cisco-AVPair', value: 'in-trunk-group-label=E1-3' },
    { name: 'h323-gw-id', value: 'h323-gw-id=gw17.example' },
  ]);
  const a = telAuthorizeArgs(req, o, '10.0.0.1');
  assert.ok('args' in a);
  assert.deepEqual([a.args.incomingTrunk, a.args.outgoingTrunk, a.args.pbxId], ['E1-3', 'trunk-B', '17']);
  assert.throws(() => parseFieldFormat('pbx_id_format', '9:gw'), FieldFormatError);
  assert.throws(() => parseFieldFormat('pbx_id_format', '9:1:(unclosed'), /pbx_id_format.*does not compile/);
});

test('answers: credit time for a call, balance and currency, numbers as configured; refusals by the manual', () => {
  const accepted = {
    accepted: true as const,
    code: 0,
    creditTime: 754,
    creditAmount: 12.5,
    numbers: ['5551000', '77#'],
  };
  const call = telReply(accepted, false, { ...OPTS, sendXpgkEpNumber: true, sendIvrIn: true, currency: 'RUB' });
  assert.equal(call.accept, true);
  const values = call.attrs.map((a) => a.value);
  assert.deepEqual(values, [
    'h323-return-code=0',
    'h323-credit-amount=12.50',
    'h323-currency=RUB',
    'h323-credit-time=754',
    'xpgk-ep-number=5551000;77#',
    'h323-ivr-in=terminal-alias:5551000;77#',
  ]);
  assert.ok(call.attrs.every((a) => a.vendor === 9));
  const reg = telReply(accepted, true, OPTS);
  assert.equal(
    reg.attrs.some((a) => String(a.value).startsWith('h323-credit-time')),
    false,
  );
  const blocked = { accepted: false as const, code: TEL_RETURN_CODE.BLOCKED, reason: 'blocked' };
  assert.deepEqual(telReply(blocked, true, OPTS), {
    accept: false,
    attrs: [{ vendor: 9, attr: 103, value: 'h323-return-code=2' }],
  });
  assert.equal(telReply(blocked, true, { ...OPTS, returnCodePositive: true }).accept, true);
  assert.deepEqual(telReply(blocked, false, OPTS), { accept: false, attrs: [] });
});

test('accounting: uid of conf id and origin, times and duration, login rewrite, zero cost by origin', () => {
  const stop = (extra: Attrs) =>
    request(
      [
        { name: 'Acct-Status-Type', value: 'Stop' },
        { name: 'User-Name', value: 'Alice' },
        { name: 'Calling-Station-Id', value: '5551000' },
        { name: 'Called-Station-Id', value: '8107' },
        { name: 'h323-conf-id', value: `h323-conf-id=${CONF}` },
        { name: 'h323-remote-address', value: 'h323-remote-address=bob-gw' },
        ...extra,
      ],
      'Accounting-Request',
    );
  const withTimes = stop([
    { name: 'h323-call-origin', value: 'h323-call-origin=originate' },
    { name: 'h323-connect-time', value: 'h323-connect-time=10:00:00.000 UTC Mon Mar 10 2025' },
    { name: 'h323-disconnect-time', value: 'h323-disconnect-time=10:02:05.000 UTC Mon Mar 10 2025' },
    { name: 'h323-disconnect-cause', value: 'h323-disconnect-cause=10' },
  ]);
  const t0 = Date.UTC(2025, 2, 10, 10) / 1000;
  const w = telCallWire(withTimes, 'stop', OPTS, '10.0.0.1', 1);
  assert.deepEqual(
    {
      uid: w.uid,
      login: w.login,
      time: w.time,
      duration: w.duration,
      started: w.started,
      cause: w.cause,
      zero: w.zeroCost,
    },
    {
      uid: `${CONF}/originate`,
      login: 'alice',
      time: t0 + 125,
      duration: 125,
      started: t0,
      cause: '10',
      zero: undefined,
    },
  );
  assert.equal(telCallWire(withTimes, 'stop', { ...OPTS, rewriteLoginOriginate: true }, '10.0.0.1', 1).login, 'bob-gw');
  assert.equal(telCallWire(withTimes, 'stop', { ...OPTS, rewriteLoginAnswer: true }, '10.0.0.1', 1).login, 'alice');
  assert.equal(telCallWire(withTimes, 'stop', { ...OPTS, originReject: 'Originate' }, '10.0.0.1', 1).zeroCost, true);
  const bare = telCallWire(stop([{ name: 'Acct-Session-Time', value: 42 }]), 'stop', OPTS, '10.0.0.1', 5000);
  assert.deepEqual([bare.time, bare.duration, bare.started], [5000, 42, undefined]);
  const nothing = telCallWire(stop([]), 'stop', OPTS, '10.0.0.1', 5000);
  assert.equal(nothing.duration, -1, 'the core takes the end minus the Start');
  const start = telCallWire(stop([]), 'start', OPTS, '10.0.0.1', 4000);
  assert.deepEqual([start.op, start.time, start.duration], ['start', 4000, 0]);
});
