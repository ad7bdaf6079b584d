import { test } from 'node:test';
import assert from 'node:assert/strict';
import { post, rebuild } from './ledger';
import { BlockType } from './blocking/block-types';
import { ADMIN, DAY, M, T0, billingFixture } from '../testing/billing-fixture';

test('a payment in another currency converts at the rate in force on the payment date', async () => {
  const f = await billingFixture();
  try {
    await f.usd(30, 0);
    await f.usd(35, T0 + 10 * DAY);
    const { accountId } = await f.user();
    await f.pay(accountId, 10, { currencyId: 840, paymentDate: T0 + 5 * DAY });
    assert.equal((await f.account(accountId)).balance, M(300));
    await f.pay(accountId, 10, { currencyId: 840, paymentDate: T0 + 12 * DAY });
    assert.equal((await f.account(accountId)).balance, M(650));
    const p = await f.db.knex('payment_transactions').where({ account_id: accountId }).orderBy('id');
    assert.deepEqual(
      p.map((x: { payment_incurrency: number; payment_absolute: number }) => [
        Number(x.payment_incurrency),
        Number(x.payment_absolute),
      ]),
      [
        [M(10), M(300)],
        [M(10), M(350)],
      ],
    );
    await assert.rejects(f.pay(accountId, 1, { currencyId: 978 }), /no currency 978/);
  } finally {
    await f.done();
  }
});

test('a credit payment keeps a negative account unblocked until it expires; then the system blocks it', async () => {
  const f = await billingFixture();
  try {
    const { accountId } = await f.user({ balance: M(-100) });
    let a = await f.account(accountId);
    assert.equal(a.blockType, BlockType.SYSTEM, 'negative from the start: system block');
    assert.equal(a.intStatus, false);
    await f.pay(accountId, 200, { method: 4, burnDate: T0 + 3 * DAY });
    a = await f.account(accountId);
    assert.deepEqual(
      [a.balance, a.credit, a.blockType, a.intStatus],
      [M(-100), M(200), 0, true],
      'credit lifts the block, balance untouched',
    );
    await assert.rejects(f.pay(accountId, 50, { method: 4 }), /credit payment needs an expiry date/);
    await f.clock.advance(3 * DAY - 1);
    assert.equal((await f.account(accountId)).blockType, 0);
    await f.clock.advance(1);
    a = await f.account(accountId);
    assert.deepEqual(
      [a.balance, a.credit, a.blockType, a.intStatus],
      [M(-100), 0, BlockType.SYSTEM, false],
      'expired: credit undone, blocked',
    );
    await f.pay(accountId, 150, { turnOnInet: false });
    a = await f.account(accountId);
    assert.deepEqual(
      [a.balance, a.blockType, a.intStatus],
      [M(50), 0, true],
      'a payment lifts the system block; auto enable turns the Internet on',
    );
  } finally {
    await f.done();
  }
});

test('without auto enable the Internet comes back only when the payment asks for it', async () => {
  const f = await billingFixture();
  try {
    const { accountId } = await f.user({ balance: M(-10), autoEnableInet: false });
    await f.pay(accountId, 20);
    assert.deepEqual([(await f.account(accountId)).blockType, (await f.account(accountId)).intStatus], [0, false]);
    const b = await f.user({ balance: M(-10), autoEnableInet: false });
    await f.pay(b.accountId, 20, { turnOnInet: true });
    assert.equal((await f.account(b.accountId)).intStatus, true);
  } finally {
    await f.done();
  }
});

test('an expiring payment burns what charges did not use; a later one postpones every burn to the latest date', async () => {
  const f = await billingFixture();
  try {
    const { accountId } = await f.user();
    await f.pay(accountId, 100, { burnDate: T0 + 10 * DAY });
    await f.clock.advance(2 * DAY);
    await f.b.locks.with(accountId, () =>
      f.db.tx((trx) => post(trx, { accountId, ts: f.clock.now(), kind: 'charge', amount: -M(30) })),
    );
    await f.clock.advance(3 * DAY);
    await f.pay(accountId, 50, { burnDate: T0 + 20 * DAY });
    await f.clock.advance(6 * DAY); // past the first burn date: postponed
    assert.equal((await f.account(accountId)).balance, M(120));
    await f.clock.advance(10 * DAY);
    assert.equal((await f.account(accountId)).balance, 0, '150 paid, 30 used, 120 burnt');
    const burn = await f.db.knex('account_ledger').where({ account_id: accountId, kind: 'burn' }).first();
    assert.equal(Number(burn.amount), -M(120));
    assert.equal(Number(burn.ts), T0 + 20 * DAY);
    assert.equal(Number((await f.db.knex('expiring_pools').count({ n: '*' }))[0].n), 0);
  } finally {
    await f.done();
  }
});

test('a rollback restores the balance; refused for credit and expiring payments and for a second rollback', async () => {
  const f = await billingFixture();
  try {
    const { accountId } = await f.user();
    const p = await f.pay(accountId, 70);
    const credit = await f.pay(accountId, 10, { method: 4, burnDate: T0 + DAY });
    const exp = await f.pay(accountId, 10, { burnDate: T0 + DAY });
    const rb = await f.b.payments.rollback(ADMIN, p.id, 'sorry', 'wrong account');
    const a = await f.account(accountId);
    assert.equal(a.balance, M(10));
    const row = await f.db.knex('payment_transactions').where({ id: rb }).first();
    assert.deepEqual([Number(row.method), Number(row.payment_absolute), Number(row.cancel_id)], [5, -M(70), p.id]);
    await assert.rejects(f.b.payments.rollback(ADMIN, p.id, '', ''), /already rolled back/);
    await assert.rejects(
      f.b.payments.rollback(ADMIN, credit.id, '', ''),
      /is a credit payment: only ordinary payments/,
    );
    await assert.rejects(f.b.payments.rollback(ADMIN, exp.id, '', ''), /is a expiring payment/);
    await assert.rejects(f.b.payments.rollback(ADMIN, rb, '', ''), /is a rollback payment/);
  } finally {
    await f.done();
  }
});

test('the same external number posted twice credits once and returns the first id', async () => {
  const f = await billingFixture();
  try {
    const { accountId } = await f.user();
    const a = await f.pay(accountId, 100, { extNumber: 'GW-1' });
    const [b, c] = await Promise.all([
      f.pay(accountId, 100, { extNumber: 'GW-1' }),
      f.pay(accountId, 100, { extNumber: 'GW-1' }),
    ]);
    assert.equal(a.duplicate, false);
    assert.deepEqual(
      [b, c],
      [
        { id: a.id, duplicate: true },
        { id: a.id, duplicate: true },
      ],
    );
    const other = await f.pay(accountId, 100, { extNumber: 'GW-1', method: 2 });
    assert.notEqual(other.id, a.id, 'idempotent per method: another method is another payment');
    assert.equal((await f.account(accountId)).balance, M(200));
  } finally {
    await f.done();
  }
});

test('administrative and user blocks: start later, end at their time; the ledger rebuilds every balance', async () => {
  const f = await billingFixture();
  try {
    const { accountId } = await f.user({ balance: M(5) });
    await f.b.locks.with(accountId, () =>
      f.db.tx((trx) => f.b.blocks.block(trx, accountId, BlockType.ADMIN, T0 + DAY, T0 + 2 * DAY, T0, ADMIN)),
    );
    assert.equal((await f.account(accountId)).blockType, 0, 'not yet');
    await f.clock.advance(DAY);
    assert.deepEqual(
      [(await f.account(accountId)).blockType, (await f.account(accountId)).intStatus],
      [BlockType.ADMIN, false],
    );
    await f.clock.advance(DAY);
    assert.deepEqual([(await f.account(accountId)).blockType, (await f.account(accountId)).intStatus], [0, true]);
    const hist = await f.db.knex('blocks_info').where({ account_id: accountId });
    assert.deepEqual(
      hist.map((h: { start_date: number; end_date: number }) => [Number(h.start_date), Number(h.end_date)]),
      [[T0 + DAY, T0 + 2 * DAY]],
    );
    const ledger = await rebuild(f.db.knex);
    assert.deepEqual(ledger.get(accountId), { balance: M(5), credit: 0 });
  } finally {
    await f.done();
  }
});

test('prepaid cards: a new customer gets card_NUM with the card balance (expiring after its days); an existing one adds the balance', async () => {
  const f = await billingFixture();
  try {
    const pool = await f.b.cards.addPool(ADMIN, {
      poolId: 0,
      pinLength: 6,
      count: 3,
      balance: 25,
      currency: 810,
      expire: T0 + 30 * DAY,
      days: 10,
      tariffId: 7,
      random: false,
    });
    const cards = await f.b.cards.cards(pool);
    assert.equal(cards.length, 3);
    assert.equal(new Set(cards.map((c) => c.secret)).size, 3, 'unique PINs');
    const web = { id: -2, login: 'web' };
    const reg = await f.b.cards.registerNew(web, cards[0]!.id, cards[0]!.secret);
    assert.equal(reg.login, `card_${cards[0]!.id}`);
    assert.equal(reg.tariffId, 7);
    assert.equal((await f.account(reg.accountId)).balance, M(25));
    const u = await f.b.users.get(reg.userId);
    assert.equal(u!.isCardUser, true);
    assert.equal(f.b.users.credentials(reg.login)!.password, reg.password);
    await assert.rejects(f.b.cards.registerNew(web, cards[0]!.id, cards[0]!.secret), /already activated/);
    await assert.rejects(f.b.cards.registerNew(web, cards[1]!.id, '000000x'), /wrong PIN/);
    await f.b.cards.setBlocked(ADMIN, cards[1]!.id, true);
    await assert.rejects(f.b.cards.registerNew(web, cards[1]!.id, cards[1]!.secret), /blocked/);

    const existing = await f.user({ balance: M(3) });
    await f.b.cards.activateExisting(ADMIN, existing.userId, existing.accountId, cards[2]!.id, cards[2]!.secret);
    assert.equal((await f.account(existing.accountId)).balance, M(28));
    await f.clock.advance(10 * DAY);
    assert.equal((await f.account(reg.accountId)).balance, 0, 'the card money expired after its 10 days');
    assert.equal((await f.account(existing.accountId)).balance, M(3));

    const late = await f.b.cards.addPool(ADMIN, {
      poolId: 0,
      pinLength: 6,
      count: 1,
      balance: 5,
      currency: 810,
      expire: T0 + DAY,
      days: 0,
      tariffId: 0,
      random: true,
    });
    const [c] = await f.b.cards.cards(late);
    assert.ok(c!.id >= 100_000_000, 'random card number');
    await assert.rejects(f.b.cards.registerNew(web, c!.id, c!.secret), /had to be activated before/);
    assert.equal(await f.b.cards.clearExpired(), 1);
  } finally {
    await f.done();
  }
});

test("promised payments follow the top-priority set of the user's groups: maximum, interval, until-positive", async () => {
  const f = await billingFixture();
  try {
    await f.b.groups.add(1, 'home');
    await f.b.groups.add(2, 'vip');
    await f.b.portal.promised.add({
      group_id: 1,
      priority: 1,
      is_enabled: true,
      max_value: M(50),
      max_duration: 3,
      interval_duration: 30,
      flags: 0,
    });
    const low = await f.b.portal.promised.add({
      group_id: 2,
      priority: 5,
      is_enabled: false,
      max_value: M(500),
      max_duration: 3,
      interval_duration: 0,
      flags: 0,
    });
    const { userId, accountId } = await f.user({ balance: M(-20) }, [1]);
    await assert.rejects(f.b.portal.takePromised(ADMIN, userId, accountId, M(60)), /at most 50/);
    const id = await f.b.portal.takePromised(ADMIN, userId, accountId, M(40));
    assert.ok(id > 0);
    let a = await f.account(accountId);
    assert.deepEqual([a.credit, a.blockType], [M(40), 0]);
    await assert.rejects(f.b.portal.takePromised(ADMIN, userId, accountId, M(10)), /less than 30 days ago/);
    await f.clock.advance(3 * DAY);
    a = await f.account(accountId);
    assert.deepEqual([a.credit, a.blockType], [0, BlockType.SYSTEM], 'the promised payment expired');

    const vip = await f.user({ balance: M(-20) }, [1, 2]);
    assert.equal(
      await f.b.portal.promisedOffer(vip.userId, vip.accountId),
      undefined,
      'the top set is disabled: not available',
    );
    await f.b.portal.promised.edit(low, {
      group_id: 2,
      priority: 5,
      is_enabled: true,
      max_value: M(500),
      max_duration: 3,
      interval_duration: 0,
      flags: 1,
    });
    await f.b.portal.takePromised(ADMIN, vip.userId, vip.accountId, M(1));
    assert.equal((await f.account(vip.accountId)).credit, M(20), 'until the balance is positive: 20');
  } finally {
    await f.done();
  }
});

test("transfers between a user's own accounts, and voluntary suspension with its limits and self unlock", async () => {
  const f = await billingFixture();
  try {
    await f.b.groups.add(1, 'home');
    const { userId, accountId } = await f.user({ balance: M(30) }, [1]);
    const second = await f.db.tx((trx) =>
      f.b.accounts.create(
        trx,
        userId,
        {
          balance: 0,
          credit: 0,
          vatRateE6: 0,
          saleTaxRateE6: 0,
          intStatus: true,
          unlimited: false,
          autoEnableInet: true,
          externalId: '',
          isBlocked: 0,
        },
        ADMIN,
      ),
    );
    await assert.rejects(f.b.portal.transfer(ADMIN, userId, accountId, second, M(10)), /transfers are not available/);
    await f.b.portal.transfers.add({ group_id: 1, priority: 1, is_enabled: true });
    await f.b.portal.transfer(ADMIN, userId, accountId, second, M(10));
    await assert.rejects(f.b.portal.transfer(ADMIN, userId, accountId, second, M(25)), /less than 25/);
    assert.deepEqual([(await f.account(accountId)).balance, (await f.account(second)).balance], [M(20), M(10)]);
    const other = await f.user();
    await assert.rejects(f.b.portal.transfer(ADMIN, userId, accountId, other.accountId, M(1)), /has no account/);

    await f.b.portal.suspension.add({
      group_id: 1,
      priority: 1,
      is_enabled: true,
      min_duration: DAY,
      max_duration: 10 * DAY,
      interval_duration: 30 * DAY,
      block_type: BlockType.USER,
      self_unlock: false,
    });
    await assert.rejects(
      f.b.portal.suspend(ADMIN, userId, accountId, T0, T0 + 3600),
      /must last 86400 to 864000 seconds/,
    );
    await f.b.portal.suspend(ADMIN, userId, accountId, T0, T0 + 5 * DAY);
    assert.equal((await f.account(accountId)).blockType, BlockType.USER);
    await assert.rejects(f.b.portal.resume(ADMIN, userId, accountId), /self unlock is off/);
    await f.clock.advance(5 * DAY);
    assert.equal((await f.account(accountId)).blockType, 0);
    await assert.rejects(
      f.b.portal.suspend(ADMIN, userId, accountId, T0 + 6 * DAY, T0 + 8 * DAY),
      /less than 2592000 seconds before/,
    );
  } finally {
    await f.done();
  }
});
