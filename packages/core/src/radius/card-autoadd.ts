import { errorLine, type Logger } from '@utm5/common';
import type { Database } from '@utm5/db';
import { CARD_LOGIN, cardRegisterArgs, type CardRegisterArgs, type CardRegisterResult } from '@utm5/protocol';
import type { Actor } from '../billing/audit';
import { BillingError } from '../billing/billing-error';
import type { CardService } from '../billing/cards/card-service';
import { NO_LISTENERS, type EventSink } from '../events/event-sink';
import type { Principal } from '../system-users/principal';
import { ServiceType, type ServiceRow } from '../tariffication/model';
import type { RadiusCatalog } from './catalog';

export interface CardAutoAddDeps {
  readonly db: Database;
  readonly cards: CardService;
  readonly catalog: RadiusCatalog;
  readonly tariffServices: (tariffId: number) => Promise<ServiceRow[]>;
  /** Republishes the RADIUS topics; resolves once they are written to the daemons (before the call's reply). */
  readonly publish: () => Promise<void>;
  readonly log: Logger;
  /** The billing events: the dial-up link's 'edit' once its login is set (at `now`, the core's clock). */
  readonly events?: { readonly sink: EventSink; readonly now: () => number };
}

/**
 * Automatic registration of card users (the manual, "Access with automatic registration", radius_card_autoadd):
 * utm5_radius asks for an unknown dial-up login that is a card number, with the PAP password as the PIN. The card is
 * checked (PIN, used, blocked, expired) and so is what a card user needs to dial up (the card's tariff plan with a
 * dial-up service linked by default, the login free) before anything is written; then the card user card_NUM is
 * registered with the card's balance and plan, the plan's dial-up link gets login = card number and password = PIN,
 * and the RADIUS topics are republished, so utm5_radius knows the login when the reply reaches it. Registrations of
 * one card run one after another: the second finds the card used.
 */
export class CardAutoAdd {
  private readonly busy = new Map<number, Promise<unknown>>();

  constructor(private readonly d: CardAutoAddDeps) {}

  /** The Stream call from utm5_radius (RADIUS_CALL.CARD_REGISTER), acting as its system user. */
  async answer(from: Principal, args: unknown): Promise<CardRegisterResult> {
    const a = cardRegisterArgs(args);
    if (!a) throw new Error('card registration needs login, pin and nas (text)');
    return this.register({ id: from.id, login: from.login }, a);
  }

  register(actor: Actor, a: CardRegisterArgs): Promise<CardRegisterResult> {
    const login = a.login.toLowerCase();
    if (!CARD_LOGIN.test(login)) return Promise.resolve(this.refuse(a, `'${login}' is not a card number`));
    const cardId = Number(login);
    const run = (this.busy.get(cardId) ?? Promise.resolve()).then(() => this.registerOne(actor, cardId, login, a));
    const tail = run
      .catch(() => undefined)
      .finally(() => {
        if (this.busy.get(cardId) === tail) this.busy.delete(cardId);
      });
    this.busy.set(cardId, tail);
    return run;
  }

  private refuse(a: CardRegisterArgs, reason: string): CardRegisterResult {
    this.d.log.notice(`card login '${a.login}' from NAS ${a.nas} not registered: ${reason}`);
    return { registered: false, reason };
  }

  private async registerOne(
    actor: Actor,
    cardId: number,
    login: string,
    a: CardRegisterArgs,
  ): Promise<CardRegisterResult> {
    const { db, cards, catalog } = this.d;
    let dialup: ServiceRow | undefined;
    try {
      const card = await cards.usable(cardId, a.pin);
      if (card.tpId <= 0)
        return this.refuse(
          a,
          `card ${cardId} has no tariff plan, so its user would have no dial-up service (give the pool a plan with one)`,
        );
      dialup = (await this.d.tariffServices(card.tpId)).find((s) => s.type === ServiceType.DIALUP && s.linkByDefault);
      if (!dialup)
        return this.refuse(a, `tariff plan ${card.tpId} of card ${cardId} has no dial-up service linked by default`);
      const owner = await catalog.loginOwner(db.knex, login);
      if (owner !== undefined) return this.refuse(a, `login '${login}' already belongs to service link ${owner}`);
    } catch (err) {
      if (err instanceof BillingError) return this.refuse(a, err.message);
      throw err;
    }
    let reg: Awaited<ReturnType<CardService['registerNew']>>;
    try {
      reg = await cards.registerNew(actor, cardId, a.pin);
    } catch (err) {
      const taken = Boolean((await db.knex('cards').where({ id: cardId }).first('is_used'))?.is_used);
      // Refused before the card was taken (e.g. another registration won it): nothing was written.
      if (!taken || (err instanceof BillingError && err.code === 'UTM_CARD_REFUSED'))
        return this.refuse(a, errorLine(err));
      this.d.log.error(
        `card ${cardId}: registration stopped half-way (${errorLine(err)}); the card is used: finish the card user by hand`,
      );
      return this.refuse(a, `registration failed: ${errorLine(err)}`);
    }
    const slink = await db
      .knex('service_links')
      .where({ account_id: reg.accountId, tariff_link_id: reg.tariffLinkId, service_id: dialup.id, is_deleted: false })
      .orderBy('id')
      .first('id');
    try {
      if (!slink) throw new Error(`the tariff link ${reg.tariffLinkId} made no link of dial-up service ${dialup.id}`);
      await db.tx(async (trx) => {
        await catalog.setDialupLink(trx, Number(slink.id), { login, password: a.pin });
        await (this.d.events?.sink ?? NO_LISTENERS).emit(
          trx,
          {
            kind: 'link',
            op: 'edit',
            serviceType: ServiceType.DIALUP,
            accountId: reg.accountId,
            slinkId: Number(slink.id),
          },
          this.d.events?.now() ?? 0,
        );
      });
    } catch (err) {
      this.d.log.error(
        `card ${cardId}: card user '${reg.login}' (user ${reg.userId}) registered but without a dial-up login: ${errorLine(err)}; add it by hand`,
      );
      return this.refuse(a, `no dial-up login made: ${errorLine(err)}`);
    }
    await this.d.publish();
    this.d.log.info(
      `card ${cardId}: card user '${reg.login}' (user ${reg.userId}, account ${reg.accountId}) registered for dial-up login '${login}' ` +
        `(link ${Number(slink.id)}) from NAS ${a.nas}`,
    );
    return { registered: true, userId: reg.userId, accountId: reg.accountId, slinkId: Number(slink.id) };
  }
}
