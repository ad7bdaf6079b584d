import type { Clock, Logger, Service } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { Billing } from '../billing/billing';
import type { Actor } from '../billing/audit';
import { badInput as bad } from '../billing/billing-error';
import type { CardTariffs } from '../billing/cards/card-service';
import { AccountSettlement } from './account-settlement';
import { accountPort } from './account-port';
import { cardTariffs } from './card-tariffs';
import { Catalog } from './catalog';
import { ChargeTimers } from './charge-timers';
import { Charger } from './charger';
import { LinkLifecycle } from './link-lifecycle';
import { toPeriod, type LinkHook, type PeriodHook, type NewPeriodicLink, type Period, type SLink } from './model';
import { PeriodClose } from './period-close';
import { ServiceLinkRepo } from './service-link-repo';
import { TariffLinkRepo } from './tariff-link-repo';

export type { LinkHook, NewPeriodicLink, PeriodHook } from './model';

export interface TarifficationDeps {
  readonly db: Database;
  /** Billing's account locks, timemark queue, blocks and payments, which tariffication's fees run with. */
  readonly billing: Billing;
  readonly clock: Clock;
  /** The core's time zone: periods end at its midnights. */
  readonly timezone: () => string;
  readonly log: Logger;
  /** A system parameter's current value. */
  readonly param: (name: string) => string | undefined;
}

/**
 * Tariffication (billing engine II): service and tariff links, the periodic fee of every service type (at the start,
 * at the end, or flow), one-time charges, accounting periods closing in the manual's order, tariff switching, zero
 * balance, charge policies with their blocks, repay moments and system block on funds lack. Its timemarks run on
 * the core's clock, so the test clock drives months of it in seconds.
 *
 * The facade the rest of the core uses; the jobs are LinkLifecycle, ChargeTimers, PeriodClose and AccountSettlement,
 * each built here from what it needs.
 */
export class Tariffication implements Service {
  readonly name = 'tariffication';
  readonly catalog: Catalog;
  readonly charger: Charger;
  readonly linkHooks: LinkHook[] = [];
  /** Called per account at each period close (documents adds the invoices here). */
  readonly periodHooks: PeriodHook[] = [];
  /** How a new card user gets the card's tariff plan (Billing's card service reaches it through BillingDeps.cardTariffs). */
  readonly cardTariffs: CardTariffs;
  private readonly tlinks: TariffLinkRepo;
  private readonly lifecycle: LinkLifecycle;
  private readonly timers: ChargeTimers;
  private readonly close: PeriodClose;
  private readonly settlement: AccountSettlement;

  constructor(private readonly d: TarifficationDeps) {
    const { db, billing, clock } = d;
    const links = new ServiceLinkRepo(db);
    this.tlinks = new TariffLinkRepo(db);
    this.catalog = new Catalog(db, d.timezone, () => clock.now(), links, this.tlinks);
    this.charger = new Charger(billing, this.catalog, d.param);
    const common = {
      db,
      clock,
      catalog: this.catalog,
      charger: this.charger,
      links,
      accounts: accountPort,
      locks: billing.locks,
      blocks: billing.blocks,
      bus: billing.bus,
    };
    const armPeriod = (p: Period) => this.armPeriod(p);
    this.timers = new ChargeTimers({ ...common, param: d.param, events: billing.events });
    this.lifecycle = new LinkLifecycle({
      ...common,
      tlinks: this.tlinks,
      events: billing.events,
      hooks: this.linkHooks,
      periodHooks: this.periodHooks,
      armPeriod,
    });
    this.close = new PeriodClose({
      ...common,
      log: d.log,
      ledger: billing.ledger,
      tlinks: this.tlinks,
      events: billing.events,
      hooks: this.linkHooks,
      periodHooks: this.periodHooks,
      lifecycle: this.lifecycle,
      armPeriod,
    });
    this.settlement = new AccountSettlement(common);
    this.cardTariffs = cardTariffs({
      catalog: this.catalog,
      addPeriod: (p) => this.addPeriod(p),
      linkTariff: (actor, t) => this.linkTariff(actor, t),
    });
  }

  async start(): Promise<void> {
    const b = this.d.billing;
    b.onTimemarkKind('period_end', async (ev) => {
      await this.closePeriod(ev.id);
    });
    b.onTimemarkKind('flow_tick', (ev) => this.timers.flowTick(ev.id));
    b.onTimemarkKind('timemark', (ev) => this.timers.fundsCheck(ev.id));
    b.onTimemarkKind('once_charge', (ev) => this.lifecycle.onceDue(ev.id));
    b.blocks.hooks.activated = (trx, blk) => this.settlement.freezePolicies(trx, blk);
    b.blocks.hooks.ended = (trx, blk, now) => this.settlement.settleAccount(trx, blk.accountId, 'block', now);
    b.payments.hooks.push((trx, accountId, now, turnOn) => this.settlement.onPayment(trx, accountId, now, turnOn));
    await this.close.resumeInterrupted();
    for (const p of await this.catalog.periods(false)) await this.armPeriod(p);
    await this.lifecycle.armOnce();
  }

  async stop(): Promise<void> {}

  /** Arms an open period's timemarks: its end, the next flow charge, the next charge-policy timemark. */
  async armPeriod(p: Period): Promise<void> {
    await this.timers.armPeriod(p);
  }

  /** Adds an accounting period and arms its timemarks (its end, flow charges, charge-policy timemarks). */
  async addPeriod(p: Parameters<Catalog['addPeriod']>[0]): Promise<number> {
    const id = await this.catalog.addPeriod(p);
    await this.armPeriod((await this.catalog.period(id))!);
    return id;
  }

  // ---- links ----

  /** Links a periodic-fee service (of any type but one-time); `more` adds type-specific data in the same transaction. */
  addPeriodicLink(
    actor: Actor,
    l: NewPeriodicLink,
    more?: (trx: Knex.Transaction, slinkId: number) => Promise<void>,
  ): Promise<number> {
    return this.lifecycle.addPeriodicLink(actor, l, more);
  }

  addOnceLink(
    actor: Actor,
    l: { accountId: number; serviceId: number; tariffLinkId?: number; discountDate?: number; costCoefE6?: number },
  ): Promise<number> {
    return this.lifecycle.addOnceLink(actor, l);
  }

  editPeriodicLink(
    actor: Actor,
    slinkId: number,
    e: {
      startDate: number;
      expireDate: number;
      policyId: number;
      costCoefE6: number;
      houseId: number;
      comment: string;
    },
    /** Type-specific data of the link, written in the same transaction (before the link's row). */
    more?: (trx: Knex.Transaction, link: SLink) => Promise<void>,
  ): Promise<void> {
    return this.lifecycle.editPeriodicLink(actor, slinkId, e, more);
  }

  /** Moves a one-time link not charged yet to another date or coefficient (rpcf_edit_once_slink_ex); due now, it is charged now. */
  editOnceLink(actor: Actor, slinkId: number, discountDate: number, costCoefE6: number): Promise<void> {
    return this.lifecycle.editOnceLink(actor, slinkId, discountDate, costCoefE6);
  }

  /** Removing a link: at-end and flow fees are charged up to now; refunds follow the policy ("on remove service link"). */
  deleteLink(actor: Actor, slinkId: number): Promise<void> {
    return this.lifecycle.deleteLink(actor, slinkId);
  }

  // ---- tariff links ----

  linkTariff(actor: Actor, t: { accountId: number; current: number; next: number; periodId: number }): Promise<number> {
    return this.lifecycle.linkTariff(actor, t);
  }

  async setNextTariff(tlinkId: number, next: number): Promise<void> {
    if (!(await this.catalog.tariff(next))) throw bad(`no tariff plan ${next}`);
    const n = await this.tlinks.setNext(tlinkId, next);
    if (n === 0) throw bad(`no tariff link ${tlinkId}`);
  }

  unlinkTariff(actor: Actor, accountId: number, tlinkId: number): Promise<void> {
    return this.lifecycle.unlinkTariff(actor, accountId, tlinkId);
  }

  // ---- closing a period ----

  /** Closes an accounting period in the manual's order (see PeriodClose); concurrent calls share one close. */
  closePeriod(periodId: number): Promise<{ next: number; accounts: number }> {
    return this.close.closePeriod(periodId);
  }

  /** Closes every open period whose end has passed (a missed timemark, a core that was down), oldest first. */
  closeOverdue(): Promise<number> {
    return this.close.closeOverdue();
  }

  /** Closes a period now (rpcf_expire_discount_period): its end moves to now and it is closed. */
  expirePeriod(periodId: number): Promise<void> {
    return this.close.expirePeriod(periodId);
  }

  static toPeriod = toPeriod;
}
