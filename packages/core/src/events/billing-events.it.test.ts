import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PAYMENT_METHOD, type Knex } from '@utm5/db';
import { onEveryBackend, type Backend } from '@utm5/db/testing';
import type { SessionEventWire } from '@utm5/protocol';
import { BlockType, KEEP_BLOCK, NO_END } from '../billing/blocking/block-types';
import { emptyProfile } from '../billing/users/user-profile';
import { ChargeMethod, ServiceStatus, ServiceType } from '../tariffication/model';
import { PeriodType } from '../tariffication/period-calendar';
import { ACCOUNT, ADMIN, M, T0 } from '../testing/billing-fixture';
import { testCore, type TestCore } from '../testing/core-fixture';
import type { BillingEvent, BillingEventKind } from './billing-events';

/** The whole core on the backend, with a listener that records every event and writes a row for it in the trx. */
async function eventCore(backend: Backend, name: string) {
  const settings = backend.fresh(name) as unknown as Record<string, unknown>;
  const extra: Record<string, string> = {};
  // The backend's database settings as utm5.cfg lines (the booleans keep their defaults).
  for (const [k, v] of Object.entries(settings))
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') extra[k] = String(v);
  const t: TestCore = await testCore(extra);
  const seen: BillingEvent[] = [];
  t.core.events.on(async (trx: Knex.Transaction, ev, now) => {
    seen.push(ev);
    // What a listener writes must commit or roll back with the change that raised the event.
    await trx('user_log').insert({
      ts: now,
      actor_id: 0,
      actor_login: 'listener',
      actor_ip: '',
      action: `event:${ev.kind}`,
      user_id: null,
      account_id: null,
      details: JSON.stringify(ev),
    });
  });
  let n = 0;
  return {
    ...t,
    seen,
    /** The events recorded since the last call, of the given kinds (all when none given). */
    take(...kinds: BillingEventKind[]): BillingEvent[] {
      const out = seen.splice(0).filter((e) => kinds.length === 0 || kinds.includes(e.kind));
      return out;
    },
    async listenerRows(): Promise<number> {
      const [{ c }] = await t.core.db.knex('user_log').where('actor_login', 'listener').count({ c: '*' });
      return Number(c);
    },
    user: (balance = 1000, account = {}) =>
      t.core.billing.users.add(ADMIN, {
        login: `ev${++n}`,
        password: 'pw',
        profile: emptyProfile(810),
        params: [],
        groups: [],
        account: { ...ACCOUNT, balance: M(balance), ...account },
      }),
    pay: (accountId: number, amount: number, method: number = PAYMENT_METHOD.CASH) =>
      t.core.billing.payments.add(ADMIN, {
        accountId,
        amount,
        currencyId: 810,
        paymentDate: t.clock.now(),
        burnDate: 0,
        method,
        adminComment: '',
        comment: '',
        extNumber: '',
        toInvoice: 0,
        turnOnInet: false,
      }),
    async ipTrafficLink(accountId: number, ip: string) {
      const core = t.core;
      const period = await core.tariffication.addPeriod({ start: T0, type: PeriodType.MONTHLY });
      const svc = await core.tariffication.catalog.addService({
        name: `inet ${ip}`,
        type: ServiceType.IPTRAFFIC,
        status: ServiceStatus.COMMON,
        cost: 0,
        method: ChargeMethod.AT_END,
      });
      await core.db.tx((trx) =>
        core.traffic.catalog.setIpTrafficParams(trx, svc, {
          resetPrepaid: false,
          aggregationInterval: 0,
          isDynamic: false,
          sessionsLimit: 0,
          groups: [],
          borders: [],
          prepaid: [],
        }),
      );
      const slinkId = await core.traffic.addLink(ADMIN, { accountId, serviceId: svc, periodId: period }, [
        { ip, mask: 32 },
      ]);
      return { slinkId, serviceId: svc, periodId: period };
    },
  };
}

type EventCore = Awaited<ReturnType<typeof eventCore>>;

async function withCore(backend: () => Backend, name: string, fn: (c: EventCore) => Promise<void>): Promise<void> {
  const c = await eventCore(backend(), name);
  try {
    await fn(c);
  } finally {
    await c.done();
  }
}

async function intStatus(c: EventCore, accountId: number): Promise<boolean> {
  const r = await c.core.db.knex('accounts').where({ id: accountId }).first('int_status');
  return Boolean(Number(r?.int_status));
}

onEveryBackend('billing events raised where they happen', (backend) => {
  test('internet: on/off raised on a real change of int_status only; a no-op save raises none', async () => {
    await withCore(backend, 'ev_inet', async (c) => {
      const { accountId } = await c.user();
      c.take();
      await c.core.billing.accounts.setInternet(ADMIN, accountId, false);
      assert.deepEqual(c.take('internet'), [{ kind: 'internet', on: false, accountId }]);
      await c.core.billing.accounts.setInternet(ADMIN, accountId, false);
      assert.deepEqual(c.take('internet'), [], 'Internet already off: no event');
      await c.core.billing.accounts.setInternet(ADMIN, accountId, true);
      assert.deepEqual(c.take('internet'), [{ kind: 'internet', on: true, accountId }]);
      const a = (await c.core.billing.accounts.get(accountId))!;
      const save = {
        credit: a.credit,
        isBlocked: KEEP_BLOCK,
        blockStart: 0,
        blockEnd: 0,
        vatRateE6: a.vatRateE6,
        saleTaxRateE6: a.saleTaxRateE6,
        intStatus: true,
        unlimited: a.unlimited,
        autoEnableInet: a.autoEnableInet,
        externalId: a.externalId,
        irdetoCard: '',
        irdetoStb: '',
      };
      await c.core.billing.accounts.save(ADMIN, accountId, save);
      assert.deepEqual(c.take('internet'), [], 'saved with the Internet on as it was: no event');
      await c.core.billing.accounts.save(ADMIN, accountId, { ...save, intStatus: false });
      assert.deepEqual(c.take('internet'), [{ kind: 'internet', on: false, accountId }]);
      assert.equal(await intStatus(c, accountId), false);
    });
  });

  test('block: in force, lifted, refused; the Internet goes off with the block and back on after', async () => {
    await withCore(backend, 'ev_block', async (c) => {
      const { accountId } = await c.user();
      c.take();
      await c.core.billing.accounts.setAdminBlock(ADMIN, accountId, true);
      assert.deepEqual(c.take('block', 'internet'), [
        { kind: 'block', accountId, blockType: BlockType.ADMIN },
        { kind: 'internet', on: false, accountId },
      ]);
      // A system block while the administrative one is in force is refused: nothing raised.
      await c.core.db.tx((trx) =>
        c.core.billing.blocks.block(trx, accountId, BlockType.SYSTEM, c.clock.now(), NO_END, c.clock.now(), ADMIN),
      );
      assert.deepEqual(c.take(), []);
      await c.core.billing.accounts.setAdminBlock(ADMIN, accountId, false);
      // auto_enable_inet: the Internet comes back on with the end of the block.
      assert.deepEqual(c.take('block', 'internet'), [
        { kind: 'block', accountId, blockType: BlockType.NONE },
        { kind: 'internet', on: true, accountId },
      ]);
      // A negative balance puts the system block in force; a payment that covers it lifts it.
      await c.pay(accountId, -1500);
      assert.deepEqual(c.take('block', 'internet'), [
        { kind: 'block', accountId, blockType: BlockType.SYSTEM },
        { kind: 'internet', on: false, accountId },
      ]);
      await c.pay(accountId, 600);
      assert.deepEqual(c.take('block', 'internet'), [
        { kind: 'block', accountId, blockType: BlockType.NONE },
        { kind: 'internet', on: true, accountId },
      ]);
    });
  });

  test('a change rolled back takes the listeners\u2019 writes with it', async () => {
    await withCore(backend, 'ev_rollback', async (c) => {
      const { accountId } = await c.user();
      c.take();
      const before = await c.listenerRows();
      await assert.rejects(
        c.core.db.tx(async (trx) => {
          const now = c.clock.now();
          await c.core.billing.blocks.block(trx, accountId, BlockType.ADMIN, now, NO_END, now, ADMIN);
          throw new Error('a later step of the change fails');
        }),
        /a later step/,
      );
      assert.deepEqual(
        c.take().map((e) => e.kind),
        ['block', 'internet', 'user_log'],
        'raised inside the transaction',
      );
      assert.equal(await c.listenerRows(), before, 'the rows the listener wrote in the transaction are gone');
      assert.equal(await intStatus(c, accountId), true, 'and so is the change');
      await c.core.billing.accounts.setInternet(ADMIN, accountId, false);
      assert.equal(
        await c.listenerRows(),
        before + 2,
        'a committed change keeps its listener rows (internet, user_log)',
      );
    });
  });

  test('payment: amount in micro-units of the system currency and the method', async () => {
    await withCore(backend, 'ev_payment', async (c) => {
      const { accountId } = await c.user();
      c.take();
      await c.pay(accountId, 123.45, PAYMENT_METHOD.WIRE_TRANSFER);
      const raised = c.take('payment');
      // The payment row's id rides along so that listeners (mail) can read its details.
      const paymentId = (raised[0] as { paymentId?: number } | undefined)?.paymentId;
      assert.ok(typeof paymentId === 'number' && paymentId > 0, `paymentId in ${JSON.stringify(raised)}`);
      assert.deepEqual(raised, [
        { kind: 'payment', accountId, amount: 123_450_000, method: PAYMENT_METHOD.WIRE_TRANSFER, paymentId },
      ]);
    });
  });

  test('user: add, edit (also when nothing changed), delete raised before the rows go', async () => {
    await withCore(backend, 'ev_user', async (c) => {
      const { userId } = await c.user();
      assert.deepEqual(c.take('user'), [{ kind: 'user', op: 'add', userId }]);
      const u = (await c.core.billing.users.get(userId))!;
      await c.core.billing.users.edit(ADMIN, userId, u.login, '', emptyProfile(810), undefined);
      assert.deepEqual(c.take('user'), [{ kind: 'user', op: 'edit', userId }]);
      let liveAtDelete: unknown;
      c.core.events.on(async (trx, ev) => {
        if (ev.kind === 'user' && ev.op === 'delete')
          liveAtDelete = Number((await trx('users').where({ id: ev.userId }).first('is_deleted'))?.is_deleted);
      });
      await c.core.billing.users.remove(ADMIN, userId);
      assert.deepEqual(c.take('user'), [{ kind: 'user', op: 'delete', userId }]);
      assert.equal(liveAtDelete, 0, 'the user is still there when the delete is raised');
    });
  });

  test('balance: passing a border of notification_borders, down and up; movements within a band raise none', async () => {
    await withCore(backend, 'ev_balance', async (c) => {
      await c.core.params.set('notification_borders', '0 100');
      const { accountId } = await c.user(150);
      c.take();
      await c.pay(accountId, -40); // 110
      assert.deepEqual(c.take('balance'), []);
      await c.pay(accountId, -20); // 90
      assert.deepEqual(c.take('balance'), [{ kind: 'balance', accountId, balance: M(90), border: M(100) }]);
      await c.pay(accountId, -200); // -110: past 0 (the one nearest the new balance)
      assert.deepEqual(c.take('balance'), [{ kind: 'balance', accountId, balance: M(-110), border: 0 }]);
      await c.pay(accountId, 210); // 100: reaches the border going up
      assert.deepEqual(c.take('balance'), [{ kind: 'balance', accountId, balance: M(100), border: M(100) }]);
    });
  });

  test('link: an IP traffic link added (with its IP groups readable), edited, deleted; a one-time link', async () => {
    await withCore(backend, 'ev_link', async (c) => {
      const { accountId } = await c.user();
      c.take();
      let groupsAtAdd: unknown;
      c.core.events.on(async (trx, ev) => {
        if (ev.kind === 'link' && ev.op === 'add' && ev.serviceType === ServiceType.IPTRAFFIC)
          groupsAtAdd = (await trx('ip_groups').where({ slink_id: ev.slinkId, is_deleted: false })).map((g) => g.ip);
      });
      const { slinkId } = await c.ipTrafficLink(accountId, '10.7.0.5');
      const link = { kind: 'link', serviceType: ServiceType.IPTRAFFIC, accountId, slinkId };
      assert.deepEqual(c.take('link'), [{ ...link, op: 'add' }]);
      assert.deepEqual(groupsAtAdd, ['10.7.0.5']);
      await c.core.tariffication.editPeriodicLink(ADMIN, slinkId, {
        startDate: T0,
        expireDate: NO_END,
        policyId: 0,
        costCoefE6: 1_000_000,
        houseId: 0,
        comment: 'edited',
      });
      assert.deepEqual(c.take('link'), [{ ...link, op: 'edit' }]);
      await c.core.tariffication.deleteLink(ADMIN, slinkId);
      assert.deepEqual(c.take('link'), [{ ...link, op: 'delete' }]);
      const once = await c.core.tariffication.catalog.addService({
        name: 'setup fee',
        type: ServiceType.ONCE,
        status: ServiceStatus.COMMON,
        cost: M(5),
      });
      const onceId = await c.core.tariffication.addOnceLink(ADMIN, { accountId, serviceId: once });
      assert.deepEqual(c.take('link'), [
        { kind: 'link', op: 'add', serviceType: ServiceType.ONCE, accountId, slinkId: onceId },
      ]);
    });
  });

  test('link: a link that expires is deleted at the period close, with its event', async () => {
    await withCore(backend, 'ev_link_expiry', async (c) => {
      const { accountId } = await c.user();
      const period = await c.core.tariffication.addPeriod({ start: T0, type: PeriodType.MONTHLY });
      const svc = await c.core.tariffication.catalog.addService({
        name: 'fee',
        type: ServiceType.PERIODIC,
        status: ServiceStatus.COMMON,
        cost: M(1),
        method: ChargeMethod.AT_END,
      });
      const slinkId = await c.core.tariffication.addPeriodicLink(ADMIN, {
        accountId,
        serviceId: svc,
        periodId: period,
        expireDate: T0 + 10 * 86400,
      });
      assert.deepEqual(c.take('link'), [
        { kind: 'link', op: 'add', serviceType: ServiceType.PERIODIC, accountId, slinkId },
      ]);
      // The month ends (the test clock runs the period's timemarks, the close among them).
      await c.clock.advance(31 * 86400);
      await c.core.tariffication.closePeriod(period);
      assert.deepEqual(c.take('link'), [
        { kind: 'link', op: 'delete', serviceType: ServiceType.PERIODIC, accountId, slinkId },
      ]);
    });
  });

  test('session: RADIUS Accounting Start opens, a repeated Start does not, Stop closes, with the session facts', async () => {
    await withCore(backend, 'ev_session', async (c) => {
      const { accountId } = await c.user();
      const { slinkId, serviceId } = await c.ipTrafficLink(accountId, '10.7.0.9');
      c.take();
      const wire = (op: SessionEventWire['op'], time: number): SessionEventWire => ({
        op,
        nas: '192.0.2.1',
        nasId: 'nas-1',
        sid: 'S-42',
        login: 'ev1',
        slinkId,
        accountId,
        serviceType: ServiceType.IPTRAFFIC,
        framedIp: '10.7.0.9',
        calling: '00:11:22:33:44:55',
        called: 'pppoe',
        time,
        duration: op === 'start' ? 0 : 60,
        inOctets: 0,
        outOctets: 0,
        cause: op === 'stop' ? 'User-Request' : '',
      });
      const apply = (w: SessionEventWire) =>
        c.core.db.tx((trx) => c.core.radius.sessions.apply(trx, [w], c.clock.now()));
      const facts = {
        kind: 'session',
        accountId,
        slinkId,
        serviceId,
        serviceType: ServiceType.IPTRAFFIC,
        nasId: 'nas-1',
        nasIp: '192.0.2.1',
        sessionId: 'S-42',
        callingSid: '00:11:22:33:44:55',
        calledSid: 'pppoe',
        framedIp: '10.7.0.9',
      };
      await apply(wire('start', T0 + 10));
      assert.deepEqual(c.take('session'), [{ ...facts, op: 'open' }]);
      await apply(wire('start', T0 + 10));
      await apply(wire('interim', T0 + 40));
      assert.deepEqual(c.take('session'), [], 'a repeated Start and an Interim open nothing');
      await apply(wire('stop', T0 + 70));
      assert.deepEqual(c.take('session'), [{ ...facts, op: 'close' }]);
      await apply(wire('stop', T0 + 70));
      assert.deepEqual(c.take('session'), [], 'a repeated Stop closes nothing');
    });
  });

  test('user_log: every user log entry raises it, the billing\u2019s change log and the journal', async () => {
    await withCore(backend, 'ev_userlog', async (c) => {
      const { userId, accountId } = await c.user();
      const added = c.take('user_log');
      assert.deepEqual(
        added.map((e) => e.kind === 'user_log' && [e.userId, e.action, e.who]),
        [
          [userId, 'account_add', 'init'],
          [userId, 'user_add', 'init'],
        ],
      );
      await c.core.billing.accounts.setInternet(ADMIN, accountId, false);
      assert.deepEqual(c.take('user_log'), [
        {
          kind: 'user_log',
          userId,
          action: 'internet',
          comments: `Internet off for account ${accountId}`,
          who: 'init',
        },
      ]);
      c.core.journal({ id: 7, login: 'admin7' }, '192.0.2.7:4000', 'rpcf_test', 'what was done', userId);
      // The journal writes on its own (it never holds up the action it records): wait for its entry.
      for (let i = 0; i < 500 && c.seen.every((e) => e.kind !== 'user_log'); i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(c.take('user_log'), [
        { kind: 'user_log', userId, action: 'rpcf_test', comments: 'what was done', who: 'admin7' },
      ]);
      const row = await c.core.db.knex('user_log').where({ action: 'rpcf_test' }).first('actor_login');
      assert.equal(row?.actor_login, 'admin7');
    });
  });

  test('bandwidth: Dynashape set, edit and delete per direction with the other direction in force', async () => {
    await withCore(backend, 'ev_bandwidth', async (c) => {
      const { accountId } = await c.user();
      const { slinkId, serviceId } = await c.ipTrafficLink(accountId, '10.7.0.11');
      const limits = (inKbit: number, outKbit: number) => ({
        flags: 3,
        in: { tclasses: [], limits: [{ accState: 0 as const, border: 0, timeRangeId: 0, kbit: inKbit }] },
        out: { tclasses: [], limits: [{ accState: 0 as const, border: 0, timeRangeId: 0, kbit: outKbit }] },
        attrs: [],
        turbo: [],
      });
      c.take();
      const bw = { kind: 'bandwidth', accountId, slinkId };
      await c.core.shaping.catalog.put(serviceId, limits(512, 256), 'add');
      await c.core.shaping.evaluate();
      assert.deepEqual(c.take('bandwidth'), [
        { ...bw, dir: 'in', op: 'set', kbit: 512, otherKbit: 256 },
        { ...bw, dir: 'out', op: 'set', kbit: 256, otherKbit: 512 },
      ]);
      await c.core.shaping.catalog.put(serviceId, limits(1024, 256), 'edit');
      await c.core.shaping.evaluate();
      assert.deepEqual(c.take('bandwidth'), [{ ...bw, dir: 'in', op: 'edit', kbit: 1024, otherKbit: 256 }]);
      await c.core.shaping.catalog.remove(serviceId, true);
      await c.core.shaping.evaluate();
      assert.deepEqual(c.take('bandwidth'), [
        { ...bw, dir: 'in', op: 'delete', kbit: 0, otherKbit: 0 },
        { ...bw, dir: 'out', op: 'delete', kbit: 0, otherKbit: 0 },
      ]);
    });
  });
});
