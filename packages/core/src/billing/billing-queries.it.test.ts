import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { RATE_SCALE, openDatabase, verifyDatabase } from '@utm5/db';
import { onEveryBackend, type Backend } from '@utm5/db/testing';
import { Billing } from './billing';
import { UserAction } from './audit';
import { BlockType } from './blocking/block-types';
import { emptyProfile } from './users/user-profile';
import { ACCOUNT, ADMIN, DAY, M, T0 } from '../testing/billing-fixture';

/** The queries the URFA billing handlers reach through Billing, on every backend. */
async function open(backend: Backend, name: string) {
  const db = await openDatabase(backend.fresh(name));
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const clock = new TestClock(T0);
  const params: Record<string, string> = { system_currency: '810' };
  const b = new Billing({
    db,
    secrets: SecretBox.fromKeyFile(join(mkdtempSync(join(tmpdir(), 'k-')), 'k')),
    clock,
    log: nullLogger,
    param: (n) => params[n],
  });
  await b.start();
  const user = (login: string, over: Partial<ReturnType<typeof emptyProfile>> = {}, groups: number[] = []) =>
    b.users.add(ADMIN, {
      login,
      password: 'pw',
      profile: { ...emptyProfile(810), ...over },
      params: [],
      groups,
      account: ACCOUNT,
    });
  const pay = (accountId: number, amount: number, more: { method?: number; extNumber?: string } = {}) =>
    b.payments.add(ADMIN, {
      accountId,
      amount,
      currencyId: 810,
      paymentDate: clock.now(),
      burnDate: 0,
      method: 1,
      adminComment: 'a',
      comment: 'c',
      extNumber: '',
      toInvoice: 0,
      turnOnInet: false,
      ...more,
    });
  return {
    db,
    clock,
    b,
    user,
    pay,
    done: async () => {
      await b.stop();
      await db.close();
    },
  };
}

onEveryBackend('billing queries', (backend) => {
  test('users.search matches parts of login, email and full name literally, in id order', async () => {
    const f = await open(backend(), 'search');
    try {
      const a = await f.user('alice', { email: 'alice@example.org', full_name: 'Alice Smith' });
      const b = await f.user('bob', { email: 'bob@example.org', full_name: 'Bob Smith' });
      await f.user('carol', { email: 'carol@example.net', full_name: 'Carol 100% Jones' });
      const gone = await f.user('smithy', { email: 'x@example.org', full_name: 'Smith' });
      await f.b.users.remove(ADMIN, gone.userId);
      const ids = async (p: Partial<{ login: string; email: string; fullName: string }>) =>
        (await f.b.users.search({ login: '', email: '', fullName: '', ...p })).map((h) => h.id);
      assert.deepEqual(await f.b.users.search({ login: 'li', email: '', fullName: '' }), [
        { id: a.userId, login: 'alice', email: 'alice@example.org', fullName: 'Alice Smith' },
      ]);
      assert.deepEqual(await ids({ fullName: 'Smith' }), [a.userId, b.userId], 'deleted users are not found');
      assert.deepEqual(await ids({ fullName: 'Smith', email: 'bob' }), [b.userId], 'parts combine');
      assert.equal((await ids({})).length, 3, 'no part: every user');
      assert.equal((await ids({ fullName: '0% J' })).length, 1, 'a % in the part is matched as itself');
      const under = await f.user('x_y');
      await f.user('xzy');
      assert.deepEqual(await ids({ login: 'x_y' }), [under.userId], 'so is a _');
    } finally {
      await f.done();
    }
  });

  test('contacts are added and removed with an entry in the user log; parameter definitions take the values with them', async () => {
    const f = await open(backend(), 'contacts');
    try {
      const { userId } = await f.user('dave');
      const c = {
        person: 'Eve',
        descr: 'accountant',
        contact: '+1',
        email: 'eve@x',
        emailNotify: true,
        shortName: 'E',
        birthday: '1970-01-01',
        execManagerId: 7,
      };
      const id = await f.b.users.addContact(ADMIN, userId, c);
      await f.b.users.addContact(ADMIN, userId, { ...c, person: 'Frank', emailNotify: false });
      await assert.rejects(f.b.users.addContact(ADMIN, 9999, c), /no user 9999/);
      const list = await f.b.users.contacts(userId);
      assert.deepEqual(list[0], { id, userId, ...c });
      assert.deepEqual(
        list.map((x) => [x.person, x.emailNotify]),
        [
          ['Eve', true],
          ['Frank', false],
        ],
      );
      await f.b.users.removeContact(ADMIN, id);
      await f.b.users.removeContact(ADMIN, 9999);
      assert.deepEqual(
        (await f.b.users.contacts(userId)).map((x) => x.person),
        ['Frank'],
      );
      const log = await f.b.auditLog.entries({ from: 0, to: T0 + 1, userId, actionCode: 0, groupId: 0 });
      assert.deepEqual(
        log.filter((e) => e.action.startsWith('contact')).map((e) => [e.action, e.actionCode]),
        [
          ['contact_add', UserAction.USER_CHANGED],
          ['contact_add', UserAction.USER_CHANGED],
          ['contact_remove', UserAction.USER_CHANGED],
        ],
      );

      await f.b.users.addParamDefinition({ id: 1, name: 'contract', displayName: 'Contract', visible: true });
      await f.b.users.addParamDefinition({ id: 2, name: 'floor', displayName: 'Floor', visible: false });
      await assert.rejects(f.b.users.addParamDefinition({ id: 1, name: 'again', displayName: '', visible: true }));
      await f.b.users.editParamDefinition({ id: 2, name: 'floor', displayName: 'Floor no.', visible: true });
      assert.deepEqual(await f.b.users.paramDefinitions(), [
        { id: 1, name: 'contract', displayName: 'Contract', visible: true },
        { id: 2, name: 'floor', displayName: 'Floor no.', visible: true },
      ]);
      const u = (await f.b.users.get(userId))!;
      await f.b.users.edit(ADMIN, userId, u.login, '', emptyProfile(810), [
        { id: 1, value: 'C-1' },
        { id: 2, value: '3' },
      ]);
      await f.b.users.removeParamDefinition(1);
      assert.deepEqual(await f.b.users.paramDefinitions().then((l) => l.map((d) => d.id)), [2]);
      assert.deepEqual(await f.b.users.params(userId), [{ id: 2, value: '3' }]);
    } finally {
      await f.done();
    }
  });

  test('the user log filters by time, user, action and group and names the user; comments go in under their code', async () => {
    const f = await open(backend(), 'userlog');
    try {
      await f.b.groups.add(5, 'five');
      const a = await f.user('gina', {}, [5]);
      await f.clock.set(T0 + DAY);
      const b = await f.user('hank');
      await f.b.users.addComment({ id: 3, login: 'op' }, b.userId, 42, 'called about the bill');
      const all = await f.b.auditLog.entries({ from: 0, to: T0 + 2 * DAY, userId: 0, actionCode: 0, groupId: 0 });
      const c = all.find((e) => e.action === 'comment')!;
      assert.deepEqual(c, {
        userId: b.userId,
        userLogin: 'hank',
        actorId: 3,
        actorLogin: 'op',
        ts: T0 + DAY,
        actionCode: 42,
        action: 'comment',
        details: 'called about the bill',
      });
      const users = async (flt: Partial<Parameters<Billing['auditLog']['entries']>[0]>) => [
        ...new Set(
          (await f.b.auditLog.entries({ from: 0, to: T0 + 2 * DAY, userId: 0, actionCode: 0, groupId: 0, ...flt })).map(
            (e) => e.userId,
          ),
        ),
      ];
      assert.deepEqual(await users({ groupId: 5 }), [a.userId]);
      assert.deepEqual(await users({ from: T0 + DAY }), [b.userId]);
      assert.deepEqual(await users({ to: T0 + DAY }), [a.userId], 'to is exclusive');
      assert.deepEqual(await users({ actionCode: 42 }), [b.userId]);
      assert.deepEqual(await users({ userId: a.userId }), [a.userId]);
      await f.b.users.addComment(ADMIN, 0, 0, 'about nobody');
      const nobody = (
        await f.b.auditLog.entries({ from: 0, to: T0 + 2 * DAY, userId: 0, actionCode: 0, groupId: 0 })
      ).at(-1)!;
      assert.deepEqual([nobody.userId, nobody.userLogin], [0, ''], 'an entry about no user');
    } finally {
      await f.done();
    }
  });

  test('addAccount adds an account to a user, as the basic one when asked', async () => {
    const f = await open(backend(), 'accounts');
    try {
      const u = await f.user('ivan');
      const second = await f.b.users.addAccount(ADMIN, u.userId, { ...ACCOUNT, balance: M(5) }, false);
      assert.equal((await f.b.users.get(u.userId))!.basicAccount, u.accountId);
      assert.equal((await f.b.accounts.get(second))!.balance, M(5));
      const third = await f.b.users.addAccount(ADMIN, u.userId, ACCOUNT, true);
      assert.equal((await f.b.users.get(u.userId))!.basicAccount, third);
      assert.deepEqual(
        (await f.b.accounts.forUser(u.userId)).map((a) => a.id),
        [u.accountId, second, third],
      );
      await assert.rejects(f.b.users.addAccount(ADMIN, 9999, ACCOUNT, true), /no user 9999/);
    } finally {
      await f.done();
    }
  });

  test('the payments report lists payments by account with the user and method; methods get ids from 100', async () => {
    const f = await open(backend(), 'payments');
    try {
      await f.b.groups.add(5, 'five');
      const a = await f.user('judy', { full_name: 'Judy J' }, [5]);
      const b = await f.user('karl');
      const method = await f.b.payments.methods.add('Terminal');
      assert.equal(method, 100);
      assert.equal(await f.b.payments.methods.add('Bank'), 101);
      await f.b.payments.methods.rename(101, 'Bank B');
      assert.deepEqual((await f.b.payments.methods.list()).slice(-2), [
        { id: 100, name: 'Terminal' },
        { id: 101, name: 'Bank B' },
      ]);
      const p1 = await f.pay(b.accountId, 10);
      const p2 = await f.pay(a.accountId, 20, { method, extNumber: 'T-1' });
      await f.clock.set(T0 + DAY);
      const p3 = await f.pay(a.accountId, 30);
      const all = await f.b.payments.report({ from: 0, to: T0 + 2 * DAY });
      assert.deepEqual(
        all.map((r) => r.id),
        [p2.id, p3.id, p1.id],
        'by account, then in the order made',
      );
      const r = all[0]!;
      assert.deepEqual(
        [
          r.accountId,
          r.login,
          r.fullName,
          r.methodName,
          r.extNumber,
          r.absolute,
          r.inCurrency,
          r.actualDate,
          r.adminComment,
          r.comment,
          r.accountExternalId,
        ],
        [a.accountId, 'judy', 'Judy J', 'Terminal', 'T-1', M(20), M(20), T0, 'a', 'c', ''],
      );
      assert.equal(all[1]!.extNumber, '');
      const ids = async (flt: object) =>
        (await f.b.payments.report({ from: 0, to: T0 + 2 * DAY, ...flt })).map((x) => x.id);
      assert.deepEqual(await ids({ userId: b.userId }), [p1.id]);
      assert.deepEqual(await ids({ accountId: a.accountId }), [p2.id, p3.id]);
      assert.deepEqual(await ids({ groupId: 5 }), [p2.id, p3.id]);
      assert.deepEqual(await ids({ to: T0 + DAY }), [p2.id, p1.id], 'to is exclusive');
      assert.deepEqual(await ids({ dealerId: 77 }), []);
      await assert.rejects(f.pay(a.accountId, 1, { method: 555 }), /no payment method 555/);
    } finally {
      await f.done();
    }
  });

  test('rateAt outside a transaction, transfers and blocks of a customer in a time range', async () => {
    const f = await open(backend(), 'portal');
    try {
      await f.b.currencies.save(
        { id: 840, shortName: 'USD', fullName: 'US dollar', rateE9: 30 * RATE_SCALE, percentE6: 0 },
        T0,
        true,
      );
      assert.equal(await f.b.currencies.rateAt(840, T0), 30 * RATE_SCALE);
      assert.equal(await f.b.currencies.rateAt(810, 0), RATE_SCALE);
      await f.b.groups.add(1, 'everyone');
      await f.b.portal.transfers.add({ group_id: 1, priority: 1, is_enabled: true });
      const u = await f.user('lena', {}, [1]);
      const other = await f.user('mike', {}, [1]);
      const second = await f.b.users.addAccount(ADMIN, u.userId, ACCOUNT, false);
      await f.pay(u.accountId, 50);
      await f.b.portal.transfer(ADMIN, u.userId, u.accountId, second, M(20));
      await f.clock.set(T0 + DAY);
      await f.b.portal.transfer(ADMIN, u.userId, second, u.accountId, M(5));
      assert.deepEqual(await f.b.portal.transferHistory(u.userId, 0, T0 + 2 * DAY), [
        { accountIdFrom: u.accountId, accountIdTo: second, amount: M(20), date: T0 },
        { accountIdFrom: second, accountIdTo: u.accountId, amount: M(5), date: T0 + DAY },
      ]);
      assert.equal((await f.b.portal.transferHistory(u.userId, T0 + 1, T0 + 2 * DAY)).length, 1);
      assert.deepEqual(await f.b.portal.transferHistory(other.userId, 0, T0 + 2 * DAY), []);
      await f.b.accounts.setAdminBlock(ADMIN, second, true);
      await f.b.accounts.setAdminBlock(ADMIN, other.accountId, true);
      const blocks = await f.b.portal.blockHistory(u.userId, 0, T0 + 2 * DAY);
      assert.deepEqual(
        blocks.map((x) => [x.accountId, x.startDate, x.blockType, typeof x.comment]),
        [[second, T0 + DAY, BlockType.ADMIN, 'string']],
      );
      assert.deepEqual(await f.b.portal.blockHistory(u.userId, 0, T0 + DAY), [], 'to is exclusive');
    } finally {
      await f.done();
    }
  });
});
