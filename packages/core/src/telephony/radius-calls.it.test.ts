import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { openDatabase, verifyDatabase, type Knex } from '@utm5/db';
import { onEveryBackend, type Backend } from '@utm5/db/testing';
import { TEL_CALL, TEL_CALL_KIND, radiusChapResponse, type TelAuthorizeArgs, type TelCallWire } from '@utm5/protocol';
import { Billing } from '../billing/billing';
import type { BillingEvent } from '../events/billing-events';
import { emptyProfile } from '../billing/users/user-profile';
import type { Principal } from '../system-users/principal';
import type { MethodHandler, RecordHandler, StreamHub } from '../stream/stream-hub';
import { ACCOUNT, ADMIN, M, T0 } from '../testing/billing-fixture';
import type { TelCalls } from './calls';
import type { CallRecord, TelDirection, TelTariff } from './model';
import { TelRadius } from './radius-calls';
import { EMPTY_SNAPSHOT, type TelSnapshot } from './snapshot';

const EMERGENCY_ZONE = 7;
const dir = (id: number, zoneId: number): TelDirection => ({
  id,
  zoneId,
  name: `d${id}`,
  calledPrefix: '',
  callingPrefix: '',
  calledRegexp: false,
  callingRegexp: false,
  incomingTrunk: '',
  outgoingTrunk: '',
  pbxId: '',
  skip: false,
});
const tariff = (maxSessions: number): TelTariff => ({
  serviceId: 50,
  freeTime: 0,
  firstPeriodLength: 0,
  firstPeriodStep: 1,
  secondPeriodStep: 1,
  unitSize: 60,
  discountFreeTime: false,
  minimumCharge: 0,
  maxSessions,
  classes: new Map(),
  emergencyZones: new Set([EMERGENCY_ZONE]),
});

async function setup(backend: Backend, name: string) {
  const tmp = mkdtempSync(join(tmpdir(), 'utm5-telradius-'));
  const db = await openDatabase(backend.fresh(name));
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const clock = new TestClock(T0);
  const secrets = SecretBox.fromKeyFile(join(tmp, 'key'));
  const params: Record<string, string> = { system_currency: '810', card_user_prefix: 'card_' };
  const b = new Billing({ db, secrets, clock, log: nullLogger, param: (n) => params[n] });
  await b.start();
  const { accountId } = await b.users.add(ADMIN, {
    login: 'alice-user',
    password: 'pw',
    profile: emptyProfile(810),
    params: [],
    groups: [],
    account: { ...ACCOUNT, balance: M(10) },
  });
  const slinkId = 900;
  const numberId = (
    await db
      .knex('tel_numbers')
      .insert({ slink_id: slinkId, login: 'alice', number: '5551000', password: secrets.seal('s3cret') }, ['id'])
  )[0];
  const id = typeof numberId === 'object' ? Number((numberId as { id: number }).id) : Number(numberId);
  let maxSessions = 0;
  let matched: TelDirection | undefined = dir(1, EMERGENCY_ZONE);
  const snapshot = (): TelSnapshot => ({
    ...EMPTY_SNAPSHOT,
    numbers: [
      {
        id,
        slinkId,
        login: 'Alice',
        number: '5551000',
        incomingTrunk: '',
        outgoingTrunk: '',
        pbxId: '',
        allowedCid: '',
      },
    ],
    links: new Map([[slinkId, { slinkId, accountId, serviceId: 50, periodId: 3 }]]),
    tariffs: new Map([[50, tariff(maxSessions)]]),
    directions: { match: () => matched } as unknown as TelSnapshot['directions'],
  });
  const methods = new Map<string, MethodHandler>();
  const kinds = new Map<string, RecordHandler>();
  const hub = {
    method: (n: string, h: MethodHandler) => methods.set(n, h),
    recordKind: (k: string, h: RecordHandler) => kinds.set(k, h),
  } as unknown as StreamHub;
  const rated: CallRecord[] = [];
  const calls = {
    rateIn: async (_trx: Knex.Transaction, records: readonly CallRecord[]) => {
      rated.push(...records);
      return records.map(() => ({ kind: 'imported', callId: 1, cost: 0 }));
    },
  } as unknown as TelCalls;
  const seen: BillingEvent[] = [];
  const events = { emit: async (_trx: Knex.Transaction, ev: BillingEvent) => void seen.push(ev) };
  const tel = new TelRadius({
    db,
    secrets,
    stream: hub,
    calls,
    snapshot,
    clock,
    timezone: 'UTC',
    log: nullLogger,
    events,
  });
  tel.start();
  const from = { id: 1, login: 'radius' } as unknown as Principal;
  const ask = (a: Partial<TelAuthorizeArgs>) =>
    methods.get(TEL_CALL.AUTHORIZE)!(from, {
      login: 'alice',
      calling: '5551000',
      called: '',
      incomingTrunk: '',
      outgoingTrunk: '',
      pbxId: '',
      nas: '10.0.0.1',
      password: 's3cret',
      sessionTimeout: 3600,
      ...a,
    }) as Promise<{ accepted: boolean; code: number; creditTime?: number; reason?: string; numbers?: string[] }>;
  const record = (items: Partial<TelCallWire>[]) =>
    db.tx((trx) =>
      kinds.get(TEL_CALL_KIND)!(
        trx,
        from,
        items.map((w) => ({
          op: 'start',
          uid: 'conf1/originate',
          nas: '10.0.0.1',
          login: 'alice',
          calling: '5551000',
          called: '8107',
          incomingTrunk: '',
          outgoingTrunk: '',
          pbxId: '',
          cause: '',
          time: T0,
          duration: 0,
          ...w,
        })),
        T0,
        'radius',
      ),
    );
  return {
    db,
    accountId,
    slinkId,
    seen,
    rated,
    ask,
    record,
    setMax: (m: number) => (maxSessions = m),
    setDirection: (d: TelDirection | undefined) => (matched = d),
    async done() {
      await b.stop();
      await db.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

onEveryBackend('telephony over RADIUS (core side)', (backend) => {
  test('registration: accepted with the balance and numbers; wrong password, unknown login, blocked refused', async () => {
    const f = await setup(backend(), 'tel_radius_reg');
    try {
      const ok = await f.ask({});
      assert.deepEqual([ok.accepted, ok.code, ok.creditTime, ok.numbers], [true, 0, 0, ['5551000']]);
      assert.equal((ok as { creditAmount?: number }).creditAmount, 10);
      assert.deepEqual(
        [(await f.ask({ password: 'nope' })).accepted, (await f.ask({ password: 'nope' })).code],
        [false, 1],
      );
      assert.deepEqual([(await f.ask({ login: 'bob' })).accepted, (await f.ask({ login: 'bob' })).code], [false, 1]);
      const challenge = Buffer.alloc(16, 3);
      const chap = Buffer.concat([Buffer.from([5]), radiusChapResponse(5, 's3cret', challenge)]).toString('hex');
      assert.equal(
        (await f.ask({ password: '', chap: { response: chap, challenge: challenge.toString('hex') } })).accepted,
        true,
      );
      const badChap = Buffer.concat([Buffer.from([5]), radiusChapResponse(5, 'other', challenge)]).toString('hex');
      assert.equal(
        (await f.ask({ password: '', chap: { response: badChap, challenge: challenge.toString('hex') } })).accepted,
        false,
      );
      await f.db.knex('accounts').where({ id: f.accountId }).update({ block_type: 1 });
      const blocked = await f.ask({});
      assert.deepEqual([blocked.accepted, blocked.code], [false, 2]);
    } finally {
      await f.done();
    }
  });

  test('a blocked account calls only an emergency zone; no direction refused', async () => {
    const f = await setup(backend(), 'tel_radius_emergency');
    try {
      await f.db.knex('accounts').where({ id: f.accountId }).update({ block_type: 1 });
      const emergency = await f.ask({ called: '112' });
      assert.deepEqual([emergency.accepted, emergency.creditTime], [true, 3600]);
      f.setDirection(dir(2, 3));
      const other = await f.ask({ called: '8107' });
      assert.deepEqual([other.accepted, other.code], [false, 2]);
      f.setDirection(undefined);
      assert.match((await f.ask({ called: '0000' })).reason ?? '', /no telephone direction/);
    } finally {
      await f.done();
    }
  });

  test('Start opens a call once, the simultaneous-call limit counts it; Stop closes it and rates it with its uid', async () => {
    const f = await setup(backend(), 'tel_radius_calls');
    try {
      await f.db.knex('accounts').where({ id: f.accountId }).update({ block_type: 1 }); // emergency: no rating needed
      f.setMax(1);
      assert.equal((await f.ask({ called: '112' })).accepted, true);
      await f.record([{}]);
      await f.record([{}]); // a repeat changes nothing
      assert.equal((await f.db.knex('tel_sessions')).length, 1);
      const full = await f.ask({ called: '112' });
      assert.equal(full.accepted, false);
      assert.match(full.reason ?? '', /simultaneous calls: 1 of 1 allowed for the link/);
      await f.record([{ op: 'stop', time: T0 + 70, duration: -1, zeroCost: true }]);
      assert.equal(f.rated.length, 1);
      assert.deepEqual(
        [f.rated[0]!.sessionId, f.rated[0]!.start, f.rated[0]!.duration, f.rated[0]!.zeroCost],
        ['h323:conf1/originate', T0, 70, true],
      );
      const [s] = await f.db.knex('tel_sessions');
      assert.equal(Number(s.stopped_at), T0 + 70);
      await f.record([{ op: 'stop', time: T0 + 70, duration: -1 }]); // a repeated Stop closes nothing
      const facts = {
        kind: 'session',
        accountId: f.accountId,
        slinkId: f.slinkId,
        serviceId: 50,
        serviceType: 6,
        nasId: '',
        nasIp: '10.0.0.1',
        sessionId: 'conf1/originate',
        callingSid: '5551000',
        calledSid: '8107',
        framedIp: '',
      };
      assert.deepEqual(f.seen, [
        { ...facts, op: 'open' },
        { ...facts, op: 'close' },
      ]);
      assert.equal((await f.ask({ called: '112' })).accepted, true, 'the stopped call no longer counts');
    } finally {
      await f.done();
    }
  });
});
