import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RADIUS_TOPIC, type LoginWire, type NasWire } from '@utm5/protocol';
import { attributeDef, type AttributeName } from '@utm5/radius';
import { authorize, authorizeGuest, type AuthzOptions, type AuthzResult } from './authorize';
import { AddressBook, PoolSet } from './ip-pools';
import { SessionTable } from './sessions';
import { RadiusState } from './state';

const NAS: NasWire = {
  id: 1,
  name: 'nas',
  ip: '127.0.0.1',
  secret: 's',
  daePort: 3799,
  daeSecret: 's',
  coa: false,
  attrs: [],
};
const LOGIN: LoginWire = {
  login: 'dial',
  kind: 'dialup',
  slinkId: 5,
  accountId: 7,
  serviceId: 3,
  password: 'pw',
  allowedCid: '',
  allowedCsid: '',
  callbackAllowed: false,
  ringdownAllowed: true,
  callbackNumber: '',
  ip: '',
  mask: 0,
  poolName: 'dialpool',
  maxSessions: 0,
  attrs: [],
};
const OPTS: AuthzOptions = {
  vap: false,
  nasPorts: { iptraffic: [], dialup: [], hotspot: [] },
  defaultSessionTimeout: 3600,
  interimInterval: undefined,
  callbackAvpair: false,
  ippoolAcctTimeout: 30,
  blockedPool: undefined,
};
const REQ = { callbackPrefix: undefined, callingStation: '', calledStation: '', nasPortType: undefined };

function setup(blockType = 0) {
  const state = new RadiusState();
  state.apply(RADIUS_TOPIC.ACCOUNTS, [
    { id: 7, userId: 1, dealerId: 0, blockType, intStatus: true, unlimited: false, balance: 10_000_000, credit: 0 },
  ]);
  const pools = new PoolSet(new AddressBook(), false);
  pools.update([
    { id: 1, name: 'dialpool', address: '10.1.0.0', mask: 30 },
    { id: 2, name: 'blocked', address: '10.66.0.0', mask: 30 },
    { id: 3, name: 'guest', address: '10.77.0.0', mask: 30 },
  ]);
  return { state, pools, sessions: new SessionTable(undefined, 0) };
}

const attr = (r: AuthzResult, name: AttributeName) => {
  const n = attributeDef(name).type;
  return r.ok ? r.attrs.filter((a) => a.vendor === 0 && a.attr === n).map((a) => a.value) : undefined;
};

test('a dial-up service naming a registered pool gets an address of it; when the pool is full the login is refused', () => {
  const { state, pools, sessions } = setup();
  const a = authorize(LOGIN, NAS, REQ, state, sessions, pools, OPTS, 1000);
  assert.deepEqual(attr(a, 'Framed-IP-Address'), ['10.1.0.1']);
  assert.deepEqual(attr(a, 'Framed-IP-Netmask'), ['255.255.255.255']);
  assert.deepEqual(attr(a, 'Service-Type'), [2]);
  assert.equal(attr(a, 'Session-Timeout')!.length, 1);
  assert.deepEqual(attr(authorize(LOGIN, NAS, REQ, state, sessions, pools, OPTS, 1000), 'Framed-IP-Address'), [
    '10.1.0.2',
  ]);
  const full = authorize(LOGIN, NAS, REQ, state, sessions, pools, OPTS, 1000);
  assert.deepEqual(full, { ok: false, kind: 'no_address', reason: "no free address in IP pool 'dialpool'" });
  // The Access-Accept hold (radius_ippool_acct_timeout) runs out without an Accounting-Start.
  assert.deepEqual(attr(authorize(LOGIN, NAS, REQ, state, sessions, pools, OPTS, 1031), 'Framed-IP-Address'), [
    '10.1.0.1',
  ]);
});

test('a pool the billing does not know is left to the NAS: Cisco addr-pool and Framed-MTU, no address', () => {
  const { state, pools, sessions } = setup();
  const a = authorize({ ...LOGIN, poolName: 'nas-local' }, NAS, REQ, state, sessions, pools, OPTS, 1000);
  assert.ok(a.ok);
  assert.deepEqual(attr(a, 'Framed-IP-Address'), []);
  assert.deepEqual(attr(a, 'Framed-MTU'), [1500]);
  assert.ok(a.attrs.some((x) => x.vendor === 9 && x.attr === 1 && x.value === 'addr-pool=nas-local'));
});

test('a blocked account is refused, or let in from blocked_pool_name when it is set', () => {
  const { state, pools, sessions } = setup(1);
  assert.deepEqual(authorize(LOGIN, NAS, REQ, state, sessions, pools, OPTS, 1000), {
    ok: false,
    kind: 'blocked',
    reason: 'account 7 is blocked',
  });
  const a = authorize(LOGIN, NAS, REQ, state, sessions, pools, { ...OPTS, blockedPool: 'blocked' }, 1000);
  assert.deepEqual(attr(a, 'Framed-IP-Address'), ['10.66.0.1']);
  assert.deepEqual(attr(a, 'Session-Timeout'), [3600]);
});

test('a guest gets an address of the guest pool, and is refused when it is full', () => {
  const { pools } = setup();
  assert.deepEqual(attr(authorizeGuest(pools, 'guest', OPTS, 0), 'Framed-IP-Address'), ['10.77.0.1']);
  assert.deepEqual(attr(authorizeGuest(pools, 'guest', OPTS, 0), 'Framed-IP-Address'), ['10.77.0.2']);
  assert.equal(authorizeGuest(pools, 'guest', OPTS, 0).ok, false);
});

test("the service's maximum timeout caps Session-Timeout below what the balance pays for", () => {
  const { state, pools, sessions } = setup();
  const open = { ...LOGIN, poolName: '' };
  assert.deepEqual(
    attr(authorize(open, NAS, REQ, state, sessions, pools, OPTS, 1000), 'Session-Timeout'),
    [3600],
    'no prices: the default',
  );
  assert.deepEqual(
    attr(authorize({ ...open, maxTimeout: 600 }, NAS, REQ, state, sessions, pools, OPTS, 1000), 'Session-Timeout'),
    [600],
  );
});

test('a hotspot service with allowed networks lets in only clients whose Framed-IP-Address is in one', () => {
  const { state, pools, sessions } = setup();
  const hot: LoginWire = {
    ...LOGIN,
    kind: 'hotspot',
    poolName: '',
    allowedNets: [
      { ip: '192.168.7.0', mask: 24 },
      { ip: '10.9.0.0', mask: 16 },
    ],
  };
  assert.equal(authorize(hot, NAS, { ...REQ, framedIp: '10.9.200.1' }, state, sessions, pools, OPTS, 1000).ok, true);
  assert.deepEqual(authorize(hot, NAS, { ...REQ, framedIp: '192.168.8.1' }, state, sessions, pools, OPTS, 1000), {
    ok: false,
    kind: 'station',
    reason: "hotspot client address 192.168.8.1 is not in the service's allowed networks",
  });
  assert.equal(authorize(hot, NAS, REQ, state, sessions, pools, OPTS, 1000).ok, false, 'no address: not let in');
  assert.equal(
    authorize({ ...hot, allowedNets: [] }, NAS, REQ, state, sessions, pools, OPTS, 1000).ok,
    true,
    'no networks: from anywhere',
  );
});

test('a bandwidth in force replaces a fixed attribute of the same kind in the Access-Accept', () => {
  const { state, pools, sessions } = setup();
  const l: LoginWire = {
    ...LOGIN,
    poolName: '',
    attrs: [
      { vendor: 14988, attr: 8, tag: 0, value: '10M/10M', action: 0 },
      { vendor: 0, attr: 25, tag: 0, value: 'keep', action: 0 },
    ],
  };
  state.shaping.set(l.slinkId, {
    slinkId: l.slinkId,
    inKbit: 512,
    outKbit: 256,
    attrs: [{ vendor: 14988, attr: 8, type: 1, value: 'IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk' }],
  });
  const a = authorize(l, NAS, REQ, state, sessions, pools, OPTS, 1000);
  assert.ok(a.ok);
  assert.deepEqual(
    a.attrs.filter((x) => x.vendor === 14988).map((x) => x.value),
    ['512k/256k'],
    'the static 10M/10M is gone',
  );
  assert.ok(
    a.attrs.some((x) => x.vendor === 0 && x.attr === 25 && x.value === 'keep'),
    'other attributes stay',
  );
});
