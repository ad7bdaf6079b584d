import { randomInt, timingSafeEqual } from 'node:crypto';
import { moneyFromDouble } from '@utm5/common';
import { PAYMENT_METHOD, type Database } from '@utm5/db';
import { audit, UserAction, type Actor } from '../audit';
import { BillingError } from '../billing-error';
import type { PaymentService } from '../payments/payment-service';
import type { UserService } from '../users/user-service';
import { emptyProfile } from '../users/user-profile';
import { NO_LISTENERS, type EventSink } from '../../events/event-sink';

export interface CardRow {
  readonly id: number;
  readonly poolId: number;
  readonly secret: string;
  readonly balance: number;
  readonly currency: number;
  readonly expire: number;
  readonly days: number;
  readonly tpId: number;
  readonly isUsed: boolean;
  readonly isBlocked: boolean;
}

function toCard(r: Record<string, unknown>): CardRow {
  return {
    id: Number(r['id']),
    poolId: Number(r['pool_id']),
    secret: String(r['secret']),
    balance: Number(r['balance']),
    currency: Number(r['currency']),
    expire: Number(r['expire']),
    days: Number(r['days']),
    tpId: Number(r['tp_id']),
    isUsed: Boolean(r['is_used']),
    isBlocked: Boolean(r['is_blocked']),
  };
}

export interface NewPool {
  readonly poolId: number;
  readonly pinLength: number;
  readonly count: number;
  readonly balance: number; // URFA double, card currency
  readonly currency: number;
  readonly expire: number;
  readonly days: number;
  readonly tariffId: number;
  readonly random: boolean;
}

const DAY = 86400;

/** How a new card user gets the card's tariff plan; tariffication provides it (billing knows no tariffs). */
export interface CardTariffs {
  /** Refuses (throws) a plan that cannot be attached, before anything is written. */
  check(tariffId: number): Promise<void>;
  /** Attaches the plan to the account; returns the tariff link id. */
  attach(actor: Actor, accountId: number, tariffId: number): Promise<number>;
}

/**
 * Prepaid cards: pools of cards with PINs, blocking, activation by an existing customer (the balance is added; an
 * expiring payment when the card has days to use) or by a new one (a card user card_NUM is created). Pools are never
 * removed; unused expired cards can be cleared.
 */
export class CardService {
  /**
   * `tariffs` is asked at each use, as tariffication is built after billing; without it (billing alone) a card's
   * tariff plan is only noted.
   */
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentService,
    private readonly users: UserService,
    private readonly now: () => number,
    private readonly param: (name: string) => string | undefined,
    private readonly cardTariffs: () => CardTariffs | undefined = () => undefined,
    private readonly bus: EventSink = NO_LISTENERS,
  ) {}

  private get tariffs(): CardTariffs | undefined {
    return this.cardTariffs();
  }

  async addPool(actor: Actor, p: NewPool): Promise<number> {
    if (!Number.isInteger(p.count) || p.count < 1 || p.count > 100000)
      throw new BillingError('UTM_BAD_INPUT', `card count ${p.count} must be 1..100000`);
    if (p.pinLength < 4 || p.pinLength > 32)
      throw new BillingError('UTM_BAD_INPUT', `PIN length ${p.pinLength} must be 4..32`);
    if (!(p.balance > 0)) throw new BillingError('UTM_BAD_INPUT', `card balance ${p.balance} must be positive`);
    if (p.count > 10 ** Math.min(p.pinLength, 15) / 2)
      throw new BillingError('UTM_BAD_INPUT', `${p.count} unique PINs of ${p.pinLength} digits are too many`);
    const balance = moneyFromDouble(p.balance);
    const now = this.now();
    return this.db.tx(async (trx) => {
      let poolId = p.poolId;
      if (poolId <= 0) {
        const [{ m }] = await trx('card_pools').max({ m: 'id' });
        poolId = Number(m ?? 0) + 1;
      }
      const pool = await trx('card_pools').where({ id: poolId }).first();
      if (pool) await trx('card_pools').where({ id: poolId }).update({ last_update: now });
      else await trx('card_pools').insert({ id: poolId, first_update: now, last_update: now });
      const [{ m: maxCard }] = await trx('cards').max({ m: 'id' });
      let next = Number(maxCard ?? 0) + 1;
      const used = new Set<number>((await trx('cards').select('id')).map((r: { id: number }) => Number(r.id)));
      const pins = new Set<string>(
        (await trx('cards').where({ pool_id: poolId }).select('secret')).map((r: { secret: string }) => r.secret),
      );
      const rows = [];
      for (let i = 0; i < p.count; i++) {
        let id: number;
        if (p.random) {
          do id = randomInt(100_000_000, 999_999_999);
          while (used.has(id));
        } else {
          while (used.has(next)) next++;
          id = next++;
        }
        used.add(id);
        let pin: string;
        do pin = Array.from({ length: p.pinLength }, () => randomInt(0, 10)).join('');
        while (pins.has(pin));
        pins.add(pin);
        rows.push({
          id,
          pool_id: poolId,
          secret: pin,
          balance,
          currency: p.currency,
          expire: p.expire,
          days: p.days,
          tp_id: p.tariffId,
        });
      }
      for (let i = 0; i < rows.length; i += 500) await trx('cards').insert(rows.slice(i, i + 500));
      await audit(
        trx,
        actor,
        UserAction.CARD,
        'card_pool',
        `pool ${poolId}: ${p.count} cards of ${p.balance} added`,
        {},
        now,
        this.bus,
      );
      return poolId;
    });
  }

  async addCard(actor: Actor, c: Omit<CardRow, 'id' | 'poolId' | 'isBlocked'>): Promise<number> {
    const now = this.now();
    return this.db.tx(async (trx) => {
      if (!(await trx('card_pools').where({ id: 0 }).first()))
        await trx('card_pools').insert({ id: 0, first_update: now, last_update: now });
      const [{ m }] = await trx('cards').max({ m: 'id' });
      const id = Number(m ?? 0) + 1;
      await trx('cards').insert({
        id,
        pool_id: 0,
        secret: c.secret,
        balance: c.balance,
        currency: c.currency,
        expire: c.expire,
        days: c.days,
        tp_id: c.tpId,
        is_used: c.isUsed,
      });
      await audit(trx, actor, UserAction.CARD, 'card_add', `card ${id} added`, {}, now, this.bus);
      return id;
    });
  }

  async pools(): Promise<{ id: number; cards: number; used: number; first: number; last: number }[]> {
    const pools: { id: number; first_update: number; last_update: number }[] = await this.db
      .knex('card_pools')
      .orderBy('id');
    const counts: { pool_id: number; n: number; u: number }[] = await this.db
      .knex('cards')
      .select('pool_id')
      .count({ n: '*' })
      .sum({ u: this.db.knex.raw('CASE WHEN is_used THEN 1 ELSE 0 END') })
      .groupBy('pool_id');
    const byPool = new Map(counts.map((c) => [Number(c.pool_id), c]));
    return pools.map((p) => ({
      id: Number(p.id),
      cards: Number(byPool.get(Number(p.id))?.n ?? 0),
      used: Number(byPool.get(Number(p.id))?.u ?? 0),
      first: Number(p.first_update),
      last: Number(p.last_update),
    }));
  }

  async cards(poolId: number): Promise<CardRow[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('cards').where({ pool_id: poolId }).orderBy('id');
    return rows.map(toCard);
  }

  async owners(poolId: number): Promise<number[]> {
    return (await this.db.knex('card_pool_owners').where({ pool_id: poolId }).select('owner_id')).map(
      (r: { owner_id: number }) => Number(r.owner_id),
    );
  }

  async setOwner(poolId: number, ownerId: number, add: boolean): Promise<void> {
    if (add)
      await this.db
        .knex('card_pool_owners')
        .insert({ pool_id: poolId, owner_id: ownerId })
        .onConflict(['pool_id', 'owner_id'])
        .ignore();
    else await this.db.knex('card_pool_owners').where({ pool_id: poolId, owner_id: ownerId }).delete();
  }

  async setBlocked(actor: Actor, cardId: number, blocked: boolean): Promise<boolean> {
    return this.db.tx(async (trx) => {
      const n = await trx('cards').where({ id: cardId, is_used: false }).update({ is_blocked: blocked });
      if (n > 0)
        await audit(
          trx,
          actor,
          UserAction.CARD,
          blocked ? 'card_block' : 'card_unblock',
          `card ${cardId}`,
          {},
          this.now(),
          this.bus,
        );
      return n > 0;
    });
  }

  /** Clears the unused cards whose activate-before date has passed; returns how many. */
  async clearExpired(): Promise<number> {
    return this.db.knex('cards').where({ is_used: false }).andWhere('expire', '<', this.now()).delete();
  }

  /** The card if this PIN may activate it now (right PIN, not used, not blocked, not expired); else UTM_CARD_REFUSED saying why. */
  async usable(cardId: number, secret: string): Promise<CardRow> {
    const r = await this.db.knex('cards').where({ id: cardId }).first();
    const refuse = (why: string) => new BillingError('UTM_CARD_REFUSED', `card ${cardId}: ${why}`);
    if (!r) throw refuse('no such card');
    const c = toCard(r);
    const a = Buffer.from(c.secret);
    const b = Buffer.from(secret);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw refuse('wrong PIN');
    if (c.isUsed) throw refuse('already activated');
    if (c.isBlocked) throw refuse('blocked');
    if (c.expire < this.now()) throw refuse(`had to be activated before ${c.expire}`);
    return c;
  }

  private async markUsed(cardId: number, userId: number): Promise<boolean> {
    const n = await this.db
      .knex('cards')
      .where({ id: cardId, is_used: false })
      .update({ is_used: true, used_by: userId, used_at: this.now() });
    return n > 0;
  }

  private async credit(actor: Actor, c: CardRow, accountId: number): Promise<number> {
    const now = this.now();
    const r = await this.payments.add(actor, {
      accountId,
      amount: c.balance / 1e6,
      currencyId: c.currency,
      paymentDate: now,
      burnDate: c.days > 0 ? now + c.days * DAY : 0,
      method: PAYMENT_METHOD.PREPAID_CARD,
      adminComment: `card ${c.id}`,
      comment: `prepaid card ${c.id}`,
      extNumber: '',
      toInvoice: 0,
      turnOnInet: true,
      kind: 'card',
    });
    return r.id;
  }

  /** An existing customer activates a card: its balance is added (the card's tariff is ignored). */
  async activateExisting(
    actor: Actor,
    userId: number,
    accountId: number,
    cardId: number,
    secret: string,
  ): Promise<number> {
    const c = await this.usable(cardId, secret);
    const acc = await this.db.knex('accounts').where({ id: accountId, user_id: userId, is_deleted: false }).first('id');
    if (!acc) throw new BillingError('UTM_NO_ACCOUNT', `user ${userId} has no account ${accountId}`);
    if (!(await this.markUsed(cardId, userId)))
      throw new BillingError('UTM_CARD_REFUSED', `card ${cardId}: already activated`);
    return this.credit(actor, c, accountId);
  }

  /**
   * A new customer activates a card: a card user card_NUM is created with a random password and the card's balance,
   * and the card's tariff plan is attached (the manual). The plan is checked before the card is taken; the steps
   * after that are not one transaction, so a failure there leaves the card used and the user as far as it got.
   */
  async registerNew(
    actor: Actor,
    cardId: number,
    secret: string,
  ): Promise<{
    userId: number;
    accountId: number;
    login: string;
    password: string;
    tariffId: number;
    tariffLinkId: number;
  }> {
    const c = await this.usable(cardId, secret);
    if (c.tpId > 0) await this.tariffs?.check(c.tpId);
    const owners = await this.owners(c.poolId);
    if (owners.length > 0 && !owners.includes(actor.id)) {
      throw new BillingError(
        'UTM_NOT_ALLOWED',
        `system user ${actor.login} may not register card users of pool ${c.poolId}`,
      );
    }
    const login = `${this.param('card_user_prefix') ?? 'card_'}${cardId}`;
    const password = Array.from({ length: 10 }, () => 'abcdefghjkmnpqrstuvwxyz23456789'[randomInt(0, 31)]).join('');
    const sysCurrency = Number(this.param('system_currency') ?? 810);
    // The card is taken first, so two registrations racing for it cannot both create a user.
    if (!(await this.markUsed(cardId, 0)))
      throw new BillingError('UTM_CARD_REFUSED', `card ${cardId}: already activated`);
    const { userId, accountId } = await this.users.add(actor, {
      login,
      password,
      profile: { ...emptyProfile(sysCurrency), comments: `card user of card ${cardId}` },
      params: [],
      groups: [],
      isCardUser: true,
      account: {
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
    });
    await this.db.knex('cards').where({ id: cardId }).update({ used_by: userId });
    await this.credit(actor, c, accountId);
    const tariffLinkId = c.tpId > 0 && this.tariffs ? await this.tariffs.attach(actor, accountId, c.tpId) : 0;
    return { userId, accountId, login, password, tariffId: c.tpId, tariffLinkId };
  }
}
