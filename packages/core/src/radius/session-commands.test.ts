import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '@utm5/common';
import { RADIUS_CALL, SESSION_COMMAND_CODE as CODE, StreamCallError, type SessionCommandArgs } from '@utm5/protocol';
import { ADMIN, M, T0 } from '../testing/billing-fixture';
import { tarifFixture } from '../testing/tariffication-fixture';
import { ChargeMethod, ServiceStatus, ServiceType } from '../tariffication/model';
import { PeriodType } from '../tariffication/period-calendar';
import type { StreamHub } from '../stream/stream-hub';
import { SessionCommands } from './session-commands';
import { RadiusSessions } from './sessions';
import type { AccountingTraffic } from '../traffic/accounting-traffic';

const ALWAYS = {
  id: 1,
  name: 'always',
  priority: 0,
  days: [],
  entries: [
    { wdayStart: 0, hourStart: 0, minStart: 0, secStart: 0, wdayStop: 6, hourStop: 23, minStop: 59, secStop: 59 },
  ],
};

/** A dial-up session open since T0 at 3.6 an hour, and utm5_radius links that answer as told. */
async function fixture() {
  const f = await tarifFixture();
  const { accountId } = await f.user({ balance: M(100) });
  const period = await f.t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
  const svc = await f.t.catalog.addService({
    name: 'dial-up',
    type: ServiceType.DIALUP,
    status: ServiceStatus.COMMON,
    cost: 0,
    method: ChargeMethod.AT_END,
  });
  const slinkId = await f.t.addPeriodicLink(ADMIN, { accountId, serviceId: svc, periodId: period });
  await f.db.knex('radius_sessions').insert({
    nas_ip: '10.0.0.1',
    acct_session_id: 's1',
    login: 'bob',
    slink_id: slinkId,
    account_id: accountId,
    service_type: ServiceType.DIALUP,
    framed_ip: '10.9.0.1',
    started_at: T0,
    updated_at: T0,
  });
  // A drop bills no traffic (the event is not marked billTraffic): the accounting traffic is never asked.
  const noTraffic = {
    bill: async () => {
      throw new Error('a drop billed traffic');
    },
  } as unknown as AccountingTraffic;
  const sessions = new RadiusSessions(
    f.t.charger,
    () => ({ prices: [{ pricePerHour: M(3.6), range: ALWAYS }], tz: 'UTC' }),
    nullLogger,
    noTraffic,
  );
  const calls: { method: string; args: SessionCommandArgs }[] = [];
  let answer: () => Promise<unknown> = async () => ({ code: 0 });
  let linked = true;
  const link = {
    sender: 'radius:test',
    call: (method: string, args: unknown) => {
      calls.push({ method, args: args as SessionCommandArgs });
      return answer();
    },
  };
  const hub = { answering: () => (linked ? [link] : []) } as unknown as StreamHub;
  const cmds = new SessionCommands({ db: f.db, hub: () => hub, sessions, now: () => f.clock.now(), log: nullLogger });
  return {
    ...f,
    cmds,
    calls,
    accountId,
    answer(fn: () => Promise<unknown>) {
      answer = fn;
    },
    unlink() {
      linked = false;
    },
    row: () => f.db.knex('radius_sessions').where({ acct_session_id: 's1' }).first(),
  };
}

test('disconnect: utm5_radius is asked with what the core knows of the session; its answer, silence or absence is the code', async () => {
  const f = await fixture();
  try {
    assert.equal(await f.cmds.disconnect('10.0.0.1', 'nope'), CODE.NO_SESSION);
    assert.equal(await f.cmds.disconnect('10.0.0.1', 's1'), CODE.NO_NAS, 'the NAS is not registered');
    await f.db.knex('nas').insert({ name: 'nas1', ip: '10.0.0.1', secret: 'sealed' });
    assert.equal(await f.cmds.disconnect('10.0.0.1', 's1'), CODE.DONE);
    assert.deepEqual(f.calls, [
      { method: RADIUS_CALL.DISCONNECT, args: { nas: '10.0.0.1', sid: 's1', login: 'bob', framedIp: '10.9.0.1' } },
    ]);
    const codes: [() => Promise<unknown>, number][] = [
      [async () => ({ code: CODE.NAS_TIMEOUT }), CODE.NAS_TIMEOUT],
      [async () => ({ code: CODE.NAS_REFUSED }), CODE.NAS_REFUSED],
      [
        async () => {
          throw new StreamCallError('timeout', 'x', 'slow');
        },
        CODE.RADIUS_TIMEOUT,
      ],
      [
        async () => {
          throw new StreamCallError('link_lost', 'x', 'gone');
        },
        CODE.RADIUS_OFFLINE,
      ],
      [
        async () => {
          throw new StreamCallError('refused', 'x', 'bad');
        },
        CODE.RADIUS_REFUSED,
      ],
      [async () => ({ code: 99 }), CODE.RADIUS_REFUSED],
    ];
    for (const [fn, code] of codes) {
      f.answer(fn);
      assert.equal(await f.cmds.disconnect('10.0.0.1', 's1'), code);
    }
    f.unlink();
    assert.equal(await f.cmds.disconnect('10.0.0.1', 's1'), CODE.RADIUS_OFFLINE, 'no utm5_radius connected: at once');
    assert.equal(Number((await f.row()).stopped_at), 0, "a disconnect leaves closing to the NAS's Stop");
  } finally {
    await f.done();
  }
});

test('drop: the billing closes the session now, charging its time; utm5_radius is told, and a radius away does not stop it', async () => {
  const f = await fixture();
  try {
    await f.clock.set(T0 + 3600);
    assert.equal(await f.cmds.drop('10.0.0.1', 's1'), CODE.DONE);
    const row = await f.row();
    assert.deepEqual(
      [Number(row.stopped_at), Number(row.duration), row.terminate_cause, Number(row.charged)],
      [T0 + 3600, 3600, 'admin-drop', M(3.6)],
    );
    assert.equal(await f.balance(f.accountId), 100 - 3.6, 'an hour at 3.6');
    assert.deepEqual(
      f.calls.map((c) => c.method),
      [RADIUS_CALL.DROP],
    );
    assert.equal(await f.cmds.drop('10.0.0.1', 's1'), CODE.NO_SESSION, 'closed already');

    await f.db
      .knex('radius_sessions')
      .insert({ nas_ip: '10.0.0.1', acct_session_id: 's2', login: 'bob', started_at: T0, updated_at: T0 });
    f.answer(async () => {
      throw new StreamCallError('timeout', 'x', 'slow');
    });
    assert.equal(await f.cmds.drop('10.0.0.1', 's2'), CODE.DONE, 'a radius that does not answer');
    f.unlink();
    await f.db
      .knex('radius_sessions')
      .insert({ nas_ip: '10.0.0.1', acct_session_id: 's3', login: 'bob', started_at: T0, updated_at: T0 });
    assert.equal(await f.cmds.drop('10.0.0.1', 's3'), CODE.DONE, 'no radius connected');
    assert.equal(await f.db.knex('radius_sessions').where({ stopped_at: 0 }).first(), undefined);
  } finally {
    await f.done();
  }
});
