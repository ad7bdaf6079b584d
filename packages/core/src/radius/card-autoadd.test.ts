import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SecretBox, nullLogger } from '@utm5/common';
import { tempDir } from '@utm5/common/testing';
import { ADMIN, DAY, T0 } from '../testing/billing-fixture';
import { tarifFixture } from '../testing/tariffication-fixture';
import { SYSTEM_PERIOD } from '../tariffication/card-tariffs';
import { ChargeMethod, ServiceStatus, ServiceType } from '../tariffication/model';
import { CardAutoAdd } from './card-autoadd';
import { RadiusCatalog } from './catalog';

const RADIUS = { id: 7, login: 'radius' };

/** A card pool on a plan with a dial-up service (or, with `dialup` false, a periodic one only), and the autoadd on top. */
async function fixture(o: { dialup?: boolean; cards?: number } = {}) {
  const f = await tarifFixture();
  const keys = tempDir();
  const catalog = new RadiusCatalog(f.db, SecretBox.fromKeyFile(join(keys.dir, 'key')), () => undefined);
  const tp = await f.t.catalog.addTariff({ name: 'Cards', comments: '', zeroBalance: false }, ADMIN.id);
  const type = o.dialup === false ? ServiceType.PERIODIC : ServiceType.DIALUP;
  const tpl = await f.t.catalog.addService({
    name: 'template',
    type,
    status: ServiceStatus.TEMPLATE,
    cost: 0,
    method: ChargeMethod.AT_END,
  });
  const svc = await f.t.catalog.addService({
    name: 'card dial-up',
    type,
    status: ServiceStatus.COMMON,
    tariffId: tp,
    parentId: tpl,
    linkByDefault: true,
    cost: 0,
    method: ChargeMethod.AT_END,
  });
  const pool = await f.b.cards.addPool(ADMIN, {
    poolId: 0,
    pinLength: 6,
    count: o.cards ?? 3,
    balance: 10,
    currency: 810,
    expire: T0 + 365 * DAY,
    days: 0,
    tariffId: tp,
    random: false,
  });
  const cards = await f.b.cards.cards(pool);
  let published = 0;
  const autoadd = new CardAutoAdd({
    db: f.db,
    cards: f.b.cards,
    catalog,
    tariffServices: (id) => f.t.catalog.tariffServices(id),
    log: nullLogger,
    publish: async () => {
      published++;
    },
  });
  const users = async () => Number((await f.db.knex('users').count({ n: '*' }))[0]!.n);
  return {
    ...f,
    catalog,
    tp,
    svc,
    cards,
    autoadd,
    users,
    get published() {
      return published;
    },
    register: (login: string, pin: string) => autoadd.register(RADIUS, { login, pin, nas: '10.0.0.1' }),
    async close() {
      await f.done();
      keys.cleanup();
    },
  };
}

test("a card number and its PIN register the card user with the balance, the card's plan in the system period and the dial-up login", async () => {
  const f = await fixture();
  try {
    const card = f.cards[0]!;
    const r = await f.register(String(card.id), card.secret);
    assert.ok(r.registered, JSON.stringify(r));
    const user = await f.db.knex('users').where({ id: r.userId }).first();
    assert.deepEqual(
      [user.login, Boolean(user.is_card_user), Number(user.basic_account)],
      [`card_${card.id}`, true, r.accountId],
    );
    assert.equal(await f.balance(r.accountId), 10, "the card's balance");
    const tlink = await f.db.knex('tariff_links').where({ account_id: r.accountId }).first();
    assert.equal(Number(tlink.tariff_current), f.tp);
    const period = await f.t.catalog.period(Number(tlink.discount_period_id));
    assert.deepEqual(
      [period!.start, period!.end],
      [SYSTEM_PERIOD.start, SYSTEM_PERIOD.end],
      "the manual's system accounting period",
    );
    const slink = await f.db.knex('service_links').where({ id: r.slinkId }).first();
    assert.deepEqual([Number(slink.service_id), Number(slink.tariff_link_id)], [f.svc, Number(tlink.id)]);
    assert.deepEqual(await f.catalog.dialupLink(r.slinkId), {
      login: String(card.id),
      password: card.secret,
      allowedCid: '',
      allowedCsid: '',
      callbackAllowed: false,
      ringdownAllowed: true,
      callbackNumber: '',
    });
    assert.equal(f.published, 1, 'the logins are republished before the answer');
    const card2 = f.cards[1]!;
    const r2 = await f.register(`000${card2.id}`, card2.secret);
    assert.ok(r2.registered, 'a card number as typed, with leading zeros');
    assert.equal((await f.catalog.dialupLink(r2.slinkId))!.login, `000${card2.id}`);
    const tlink2 = await f.db.knex('tariff_links').where({ account_id: r2.accountId }).first();
    assert.equal(
      Number(tlink2.discount_period_id),
      Number(tlink.discount_period_id),
      'one system period for every card user',
    );
  } finally {
    await f.close();
  }
});

test('a wrong PIN, a used, blocked or expired card creates nothing; a used card cannot be taken again by any PIN', async () => {
  const f = await fixture();
  try {
    const [a, b, c] = f.cards;
    const before = await f.users();
    assert.deepEqual(await f.register(String(a!.id), '000000x'), {
      registered: false,
      reason: `card ${a!.id}: wrong PIN`,
    });
    assert.deepEqual(await f.register('999999', '123456'), { registered: false, reason: 'card 999999: no such card' });
    assert.deepEqual(await f.register('bob', '123456'), { registered: false, reason: "'bob' is not a card number" });
    assert.equal(await f.users(), before, 'nothing created');
    assert.equal((await f.b.cards.cards(a!.poolId)).filter((x) => x.isUsed).length, 0, 'no card taken');

    assert.ok((await f.register(String(a!.id), a!.secret)).registered);
    assert.deepEqual(await f.register(String(a!.id), a!.secret), {
      registered: false,
      reason: `card ${a!.id}: already activated`,
    });
    assert.deepEqual(await f.register(String(a!.id), 'guess1'), {
      registered: false,
      reason: `card ${a!.id}: wrong PIN`,
    });

    await f.b.cards.setBlocked(ADMIN, b!.id, true);
    assert.deepEqual(await f.register(String(b!.id), b!.secret), {
      registered: false,
      reason: `card ${b!.id}: blocked`,
    });
    await f.clock.set(T0 + 400 * DAY);
    assert.match(
      ((await f.register(String(c!.id), c!.secret)) as { reason: string }).reason,
      new RegExp(`card ${c!.id}: had to be activated before`),
    );
    assert.equal(await f.users(), before + 1);
  } finally {
    await f.close();
  }
});

test('two registrations of one card at once make one card user', async () => {
  const f = await fixture();
  try {
    const a = f.cards[0]!;
    const results = await Promise.all([
      f.register(String(a.id), a.secret),
      f.register(String(a.id), a.secret),
      f.register(String(a.id), 'guess'),
    ]);
    assert.deepEqual(
      results.map((r) => r.registered),
      [true, false, false],
    );
    assert.equal(await f.users(), 1);
  } finally {
    await f.close();
  }
});

test('a card whose plan has no dial-up service, or whose number is already a login, is refused before the card is taken', async () => {
  const f = await fixture({ dialup: false });
  try {
    const a = f.cards[0]!;
    const r = await f.register(String(a.id), a.secret);
    assert.deepEqual(r, {
      registered: false,
      reason: `tariff plan ${f.tp} of card ${a.id} has no dial-up service linked by default`,
    });
    assert.equal(await f.users(), 0);
    assert.equal(
      (await f.b.cards.cards(a.poolId)).some((x) => x.isUsed),
      false,
    );
  } finally {
    await f.close();
  }
  const g = await fixture();
  try {
    const [a, b] = g.cards;
    const first = await g.register(String(a!.id), a!.secret);
    assert.ok(first.registered);
    // Someone gave card b's number to the dial-up link of card a's user.
    await g.db.tx((trx) => g.catalog.setDialupLink(trx, first.slinkId, { login: String(b!.id), password: 'x' }));
    assert.deepEqual(await g.register(String(b!.id), b!.secret), {
      registered: false,
      reason: `login '${b!.id}' already belongs to service link ${first.slinkId}`,
    });
    assert.equal((await g.b.cards.cards(b!.poolId)).find((x) => x.id === b!.id)!.isUsed, false);
  } finally {
    await g.close();
  }
});
