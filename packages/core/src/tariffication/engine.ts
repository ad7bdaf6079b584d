import { mulDiv, type Clock, type Logger, type Service } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { Billing } from '../billing/billing';
import { audit, SYSTEM_ACTOR, UserAction, type Actor } from '../billing/audit';
import { BillingError, badInput as bad } from '../billing/billing-error';
import { BlockType, NO_END } from '../billing/blocking/block-types';
import { post } from '../billing/ledger';
import type { BlockRow } from '../billing/blocking/block-service';
import { cardTariffs } from './card-tariffs';
import { Catalog } from './catalog';
import { Charger, type SettleMoment } from './charger';
import { PolicyFlag } from './charge-policy';
import { dueFor } from './due';
import { ChargeMethod, ServiceStatus, ServiceType, toLinkPeriod, toPeriod, toSLink, toTLink, type LinkPeriod, type Period, type ServiceRow, type SLink } from './model';

const WEEK = 7 * 86400;
const BATCH = 200;

/**
 * What usage billing (IP traffic, and later time and calls) adds to a link's life: called inside the transaction
 * that creates, settles, moves or removes a link, before the fees of that moment are final.
 */
export interface LinkHook {
  created?(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period, now: number): Promise<void>;
  /** The period is closing: charge what the link used in it. */
  closing?(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period, now: number): Promise<void>;
  /** The link moved from period p to next (its service may have changed with a tariff switch). */
  moved?(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period, next: Period, prevServiceId: number, now: number): Promise<void>;
  removed?(trx: Knex.Transaction, link: SLink, svc: ServiceRow, now: number): Promise<void>;
}

export interface NewPeriodicLink {
  readonly accountId: number;
  readonly serviceId: number;
  readonly tariffLinkId?: number;
  readonly periodId: number;
  readonly startDate?: number;
  readonly expireDate?: number;
  readonly policyId?: number;
  readonly costCoefE6?: number;
  readonly houseId?: number;
  readonly comment?: string;
  readonly unabon?: boolean;
  /** IP traffic links: no prepaid traffic. */
  readonly unprepay?: boolean;
}


/**
 * Tariffication (billing engine II): service and tariff links, the periodic fee of every service type (at the start,
 * at the end, or flow), one-time charges, accounting periods closing in the manual's order, tariff switching, zero
 * balance, charge policies with their blocks, repay moments and system block on funds lack. Its timemarks run on
 * the core's clock, so the test clock drives months of it in seconds.
 */
export class Tariffication implements Service {
  readonly name = 'tariffication';
  readonly catalog: Catalog;
  readonly charger: Charger;
  private readonly closing = new Map<number, Promise<{ next: number; accounts: number }>>();
  readonly linkHooks: LinkHook[] = [];

  constructor(private readonly db: Database, private readonly billing: Billing, private readonly clock: Clock, tz: () => string,
    private readonly log: Logger, private readonly param: (n: string) => string | undefined) {
    this.catalog = new Catalog(db, tz, () => clock.now());
    this.charger = new Charger(billing, this.catalog, param);
  }

  async start(): Promise<void> {
    const b = this.billing;
    b.onTimemarkKind('period_end', async (ev) => { await this.closePeriod(ev.id); });
    b.onTimemarkKind('flow_tick', (ev) => this.flowTick(ev.id));
    b.onTimemarkKind('timemark', (ev) => this.fundsCheck(ev.id));
    b.onTimemarkKind('once_charge', (ev) => this.onceDue(ev.id));
    b.blocks.hooks.activated = (trx, blk) => this.freezePolicies(trx, blk);
    b.blocks.hooks.ended = (trx, blk, now) => this.settleAccount(trx, blk.accountId, 'block', now);
    b.payments.hooks.push((trx, accountId, now, turnOn) => this.onPayment(trx, accountId, now, turnOn));
    b.cards.tariffs = cardTariffs(this);
    for (const p of await this.catalog.periods(false)) await this.armPeriod(p);
    const once: { id: number; discount_date: number }[] = await this.db.knex('service_links').where({ once_charged: false, is_deleted: false })
      .andWhere('discount_date', '>', 0).select('id', 'discount_date');
    for (const o of once) b.events.set({ at: Number(o.discount_date), kind: 'once_charge', id: Number(o.id) });
  }

  async stop(): Promise<void> {}

  // ---- timers ----

  private parts(p: Period): number {
    const L = p.end - p.start;
    if (p.chargesPerWeek > 0) return Math.max(1, Math.round((L * p.chargesPerWeek) / WEEK));
    return Math.max(1, Number(this.param('flow_charges_count') ?? 64));
  }

  /** The time (integer seconds) the end of part i of the period falls at. */
  private boundary(p: Period, i: number, parts: number): number {
    return p.start + Math.ceil(((p.end - p.start) * i) / parts);
  }

  async armPeriod(p: Period): Promise<void> {
    if (p.isClosed) return;
    const ev = this.billing.events;
    ev.set({ at: p.end, kind: 'period_end', id: p.id });
    const now = this.clock.now();
    const parts = this.parts(p);
    for (let i = 1; i < parts; i++) {
      const t = this.boundary(p, i, parts);
      if (t > now || (t === now && now > p.start)) {
        ev.set({ at: t, kind: 'flow_tick', id: p.id });
        break;
      }
    }
    const next = await this.nextTimemark(p, now);
    if (next !== undefined) ev.set({ at: next, kind: 'timemark', id: p.id });
  }

  private async nextTimemark(p: Period, after: number): Promise<number | undefined> {
    const rows: { timemarks: string; flags: number }[] = await this.db.knex('charge_policies as c').join('service_links as l', 'l.policy_id', 'c.id')
      .where({ 'l.discount_period_id': p.id, 'l.is_deleted': false }).distinct('c.timemarks', 'c.flags');
    let best: number | undefined;
    for (const r of rows) {
      if (!(Number(r.flags) & PolicyFlag.BLOCK_ON_FUNDS_LACK)) continue;
      for (const off of String(r.timemarks).split(',').filter(Boolean).map(Number)) {
        const t = p.start + off;
        if (off > 0 && t > after && t < p.end && (best === undefined || t < best)) best = t;
      }
    }
    return best;
  }

  /** Adds an accounting period and arms its timemarks (its end, flow charges, charge-policy timemarks). */
  async addPeriod(p: Parameters<Catalog['addPeriod']>[0]): Promise<number> {
    const id = await this.catalog.addPeriod(p);
    await this.armPeriod((await this.catalog.period(id))!);
    return id;
  }

  // ---- links ----

  private async account(k: Knex | Knex.Transaction, id: number): Promise<{ id: number; userId: number }> {
    const a = await k('accounts').where({ id, is_deleted: false }).first('id', 'user_id');
    if (!a) throw new BillingError('UTM_NO_ACCOUNT', `no account ${id}`);
    return { id: Number(a.id), userId: Number(a.user_id) };
  }

  private async openPeriod(k: Knex | Knex.Transaction, id: number): Promise<Period> {
    const p = await this.catalog.period(id, k);
    if (!p) throw bad(`no accounting period ${id} (see get_discount_periods)`);
    if (p.isClosed) throw bad(`accounting period ${id} is closed; its successor is ${p.nextId}`);
    return p;
  }

  /** Creates a periodic link inside a transaction (also used when a tariff link attaches its services). */
  private async createPeriodic(trx: Knex.Transaction, actor: Actor, l: NewPeriodicLink, now: number, viaTariff: boolean): Promise<number> {
    const acc = await this.account(trx, l.accountId);
    const svc = await this.catalog.service(l.serviceId, trx);
    if (!svc) throw bad(`no service ${l.serviceId}`);
    if (svc.type === ServiceType.ONCE) throw bad(`service ${svc.id} is one-time: link it with add_once_slink_ex`);
    if (svc.status === ServiceStatus.TEMPLATE) throw bad(`service ${svc.id} is a template: link a tariff plan built from it`);
    if (svc.status === ServiceStatus.TARIFF && !viaTariff && !(l.tariffLinkId && l.tariffLinkId > 0)) {
      throw bad(`service ${svc.id} belongs to tariff plan ${svc.tariffId}: it is linked through a tariff link`);
    }
    if (!svc.multipleLinking) {
      const dup = await trx('service_links').where({ account_id: acc.id, service_id: svc.id, is_deleted: false }).first('id');
      if (dup) throw bad(`account ${acc.id} already has service ${svc.id} (link ${dup.id}) and the service does not allow multiple linking`);
    }
    const p = await this.openPeriod(trx, l.periodId);
    const policyId = l.policyId && l.policyId > 0 ? l.policyId : svc.policyId > 0 ? svc.policyId : 1;
    const [id] = await trx('service_links').insert({
      account_id: acc.id, user_id: acc.userId, service_id: svc.id, tariff_link_id: l.tariffLinkId ?? 0, discount_period_id: p.id,
      start_date: l.startDate ?? now, expire_date: l.expireDate ?? NO_END, policy_id: policyId, cost_coef_e6: l.costCoefE6 ?? 1_000_000,
      house_id: l.houseId ?? 0, comment: (l.comment ?? '').slice(0, 255), unabon: l.unabon ?? false, unprepay: l.unprepay ?? false, created_at: now,
    });
    const slinkId = Number(id);
    await trx('slink_periods').insert({ slink_id: slinkId, period_id: p.id, ordinal: 0 });
    const made = (await this.charger.link(trx, slinkId))!;
    for (const h of this.linkHooks) await h.created?.(trx, made, svc, p, now);
    if (svc.method === ChargeMethod.AT_START) {
      await this.charger.startCharge(trx, (await this.charger.link(trx, slinkId))!, svc, p, { slinkId, periodId: p.id, ordinal: 0, charged: 0, settled: false, skipped: false }, now);
    }
    await audit(trx, actor, UserAction.ACCOUNT_CHANGED, 'slink_add', `service ${svc.id} '${svc.name}' linked to account ${acc.id} (link ${slinkId})`,
      { userId: acc.userId, accountId: acc.id }, now);
    return slinkId;
  }

  /** Links a periodic-fee service (of any type but one-time); `more` adds type-specific data in the same transaction. */
  async addPeriodicLink(actor: Actor, l: NewPeriodicLink, more?: (trx: Knex.Transaction, slinkId: number) => Promise<void>): Promise<number> {
    const id = await this.billing.locks.with(l.accountId, () => this.db.tx(async (trx) => {
      const now = this.clock.now();
      const slink = await this.createPeriodic(trx, actor, l, now, false);
      await more?.(trx, slink);
      await this.billing.blocks.checkFunds(trx, l.accountId, now, { payment: false });
      return slink;
    }));
    const p = await this.catalog.period(l.periodId);
    if (p) await this.armPeriod(p);
    return id;
  }

  async addOnceLink(actor: Actor, l: { accountId: number; serviceId: number; tariffLinkId?: number; discountDate?: number; costCoefE6?: number }): Promise<number> {
    return this.billing.locks.with(l.accountId, () => this.db.tx(async (trx) => {
      const now = this.clock.now();
      const acc = await this.account(trx, l.accountId);
      const svc = await this.catalog.service(l.serviceId, trx);
      if (!svc || svc.type !== ServiceType.ONCE) throw bad(`service ${l.serviceId} is not a one-time service`);
      const when = l.discountDate && l.discountDate > 0 ? l.discountDate : now;
      const [id] = await trx('service_links').insert({
        account_id: acc.id, user_id: acc.userId, service_id: svc.id, tariff_link_id: l.tariffLinkId ?? 0, discount_period_id: 0,
        start_date: when, expire_date: NO_END, policy_id: 0, cost_coef_e6: l.costCoefE6 ?? 1_000_000, created_at: now, discount_date: when,
      });
      const slinkId = Number(id);
      await audit(trx, actor, UserAction.ACCOUNT_CHANGED, 'slink_add', `one-time service ${svc.id} '${svc.name}' for account ${acc.id} at ${when}`,
        { userId: acc.userId, accountId: acc.id }, now);
      if (when <= now) await this.chargeOnce(trx, slinkId, now);
      else this.billing.events.set({ at: when, kind: 'once_charge', id: slinkId });
      return slinkId;
    }));
  }

  /** A one-time service is charged once, at its date; a negative cost is a contribution; it may drop the user from a group. */
  private async chargeOnce(trx: Knex.Transaction, slinkId: number, now: number): Promise<void> {
    const link = await this.charger.link(trx, slinkId);
    if (!link || link.onceCharged || link.isDeleted) return;
    const svc = await this.charger.service(trx, link.serviceId);
    const base = mulDiv(svc.cost, link.costCoefE6, 1_000_000);
    await this.charger.move(trx, link, svc, 0, base, now, `${svc.name}: one-time`, 'charge');
    await trx('service_links').where({ id: slinkId }).update({ once_charged: true });
    if (svc.dropFromGroup > 0) await trx('user_group_members').where({ user_id: link.userId, group_id: svc.dropFromGroup }).delete();
    await this.billing.blocks.checkFunds(trx, link.accountId, now, { payment: base < 0 });
  }

  private async onceDue(slinkId: number): Promise<void> {
    const link = await this.charger.link(this.db.knex, slinkId);
    if (!link) return;
    await this.billing.locks.with(link.accountId, () => this.db.tx((trx) => this.chargeOnce(trx, slinkId, this.clock.now())));
  }

  async editPeriodicLink(actor: Actor, slinkId: number, e: { startDate: number; expireDate: number; policyId: number; costCoefE6: number; houseId: number; comment: string }): Promise<void> {
    const link = await this.charger.link(this.db.knex, slinkId);
    if (!link || link.isDeleted) throw bad(`no service link ${slinkId}`);
    await this.billing.locks.with(link.accountId, () => this.db.tx(async (trx) => {
      await trx('service_links').where({ id: slinkId }).update({
        start_date: e.startDate, expire_date: e.expireDate, policy_id: e.policyId > 0 ? e.policyId : link.policyId, cost_coef_e6: e.costCoefE6,
        house_id: e.houseId, comment: e.comment.slice(0, 255),
      });
      await audit(trx, actor, UserAction.ACCOUNT_CHANGED, 'slink_change', `service link ${slinkId} changed`, { userId: link.userId, accountId: link.accountId }, this.clock.now());
    }));
  }

  /** Removing a link: at-end and flow fees are charged up to now; refunds follow the policy ("on remove service link"). */
  async deleteLink(actor: Actor, slinkId: number): Promise<void> {
    const link = await this.charger.link(this.db.knex, slinkId);
    if (!link || link.isDeleted) throw bad(`no service link ${slinkId}`);
    await this.billing.locks.with(link.accountId, () => this.db.tx((trx) => this.removeLinkTx(trx, actor, link, this.clock.now())));
  }

  private async removeLinkTx(trx: Knex.Transaction, actor: Actor, link: SLink, now: number): Promise<void> {
    await trx('service_links').where({ id: link.id }).update({ removed_at: now });
    if (link.periodId > 0) {
      const removed = (await this.charger.link(trx, link.id))!;
      const svc = await this.charger.service(trx, link.serviceId);
      const p = await this.catalog.period(link.periodId, trx);
      const lpRow = await trx('slink_periods').where({ slink_id: link.id, period_id: link.periodId }).first();
      for (const h of this.linkHooks) await h.removed?.(trx, removed, svc, now);
      if (p && lpRow) await this.charger.settle(trx, removed, svc, p, toLinkPeriod(lpRow), 'removal', now);
    }
    await trx('service_links').where({ id: link.id }).update({ is_deleted: true });
    this.billing.events.cancel('once_charge', link.id);
    await audit(trx, actor, UserAction.ACCOUNT_CHANGED, 'slink_remove', `service link ${link.id} removed`, { userId: link.userId, accountId: link.accountId }, now);
    await this.billing.blocks.checkFunds(trx, link.accountId, now, { payment: false });
  }

  // ---- tariff links ----

  async linkTariff(actor: Actor, t: { accountId: number; current: number; next: number; periodId: number }): Promise<number> {
    const id = await this.billing.locks.with(t.accountId, () => this.db.tx(async (trx) => {
      const now = this.clock.now();
      const acc = await this.account(trx, t.accountId);
      for (const tp of [t.current, t.next]) {
        const row = await this.catalog.tariff(tp, trx);
        if (!row) throw bad(`no tariff plan ${tp}`);
      }
      const p = await this.openPeriod(trx, t.periodId);
      const [x] = await trx('tariff_links').insert({
        account_id: acc.id, user_id: acc.userId, tariff_current: t.current, tariff_next: t.next, discount_period_id: p.id, link_date: now,
      });
      const tlinkId = Number(x);
      await trx('tariff_history').insert({ account_id: acc.id, tariff_id: t.current, link_date: now });
      for (const svc of await this.catalog.tariffServices(t.current, trx)) {
        if (!svc.linkByDefault) continue;
        if (svc.type === ServiceType.ONCE) {
          await this.onceInTx(trx, actor, acc.id, acc.userId, svc.id, tlinkId, now);
        } else {
          await this.createPeriodic(trx, actor, { accountId: acc.id, serviceId: svc.id, tariffLinkId: tlinkId, periodId: p.id }, now, true);
        }
      }
      await audit(trx, actor, UserAction.ACCOUNT_CHANGED, 'tlink_add', `tariff plan ${t.current} (next ${t.next}) linked to account ${acc.id}`,
        { userId: acc.userId, accountId: acc.id }, now);
      await this.billing.blocks.checkFunds(trx, acc.id, now, { payment: false });
      return tlinkId;
    }));
    const p = await this.catalog.period(t.periodId);
    if (p) await this.armPeriod(p);
    return id;
  }

  private async onceInTx(trx: Knex.Transaction, actor: Actor, accountId: number, userId: number, serviceId: number, tlinkId: number, now: number): Promise<void> {
    const [id] = await trx('service_links').insert({
      account_id: accountId, user_id: userId, service_id: serviceId, tariff_link_id: tlinkId, discount_period_id: 0, start_date: now,
      expire_date: NO_END, created_at: now, discount_date: now,
    });
    await this.chargeOnce(trx, Number(id), now);
    void actor;
  }

  async setNextTariff(tlinkId: number, next: number): Promise<void> {
    if (!(await this.catalog.tariff(next))) throw bad(`no tariff plan ${next}`);
    const n = await this.db.knex('tariff_links').where({ id: tlinkId, is_deleted: false }).update({ tariff_next: next });
    if (n === 0) throw bad(`no tariff link ${tlinkId}`);
  }

  async unlinkTariff(actor: Actor, accountId: number, tlinkId: number): Promise<void> {
    await this.billing.locks.with(accountId, () => this.db.tx(async (trx) => {
      const now = this.clock.now();
      const t = await trx('tariff_links').where({ id: tlinkId, account_id: accountId, is_deleted: false }).first();
      if (!t) throw bad(`account ${accountId} has no tariff link ${tlinkId}`);
      const links: Record<string, unknown>[] = await trx('service_links').where({ tariff_link_id: tlinkId, is_deleted: false });
      for (const l of links) await this.removeLinkTx(trx, actor, toSLink(l), now);
      await trx('tariff_links').where({ id: tlinkId }).update({ is_deleted: true, unlink_date: now });
      await trx('tariff_history').where({ account_id: accountId, unlink_date: 0, tariff_id: Number(t.tariff_current) }).update({ unlink_date: now });
    }));
  }

  // ---- hooks from billing ----

  /** The charge-policy flags of the account's links as they are when a block begins. */
  private async freezePolicies(trx: Knex.Transaction, blk: BlockRow): Promise<void> {
    const links: { id: number; flags: number }[] = await trx('service_links as l').join('charge_policies as c', 'c.id', 'l.policy_id')
      .where({ 'l.account_id': blk.accountId, 'l.is_deleted': false }).andWhere('l.discount_period_id', '>', 0).select('l.id', 'c.flags');
    for (const l of links) {
      await trx('block_policies').insert({ block_id: blk.id, slink_id: Number(l.id), flags: Number(l.flags) }).onConflict(['block_id', 'slink_id']).ignore();
    }
  }

  /** Refunds at a repay moment for every period of the account's links not yet settled. */
  private async settleAccount(trx: Knex.Transaction, accountId: number, moment: SettleMoment, now: number): Promise<void> {
    const rows: Record<string, unknown>[] = await trx('slink_periods as sp').join('service_links as l', 'l.id', 'sp.slink_id')
      .where({ 'l.account_id': accountId, 'sp.settled': false }).select('sp.*');
    for (const r of rows) {
      const lp = toLinkPeriod(r);
      const link = (await this.charger.link(trx, lp.slinkId))!;
      const p = await this.catalog.period(lp.periodId, trx);
      if (!p) continue;
      await this.charger.settle(trx, link, await this.charger.service(trx, link.serviceId), p, lp, moment, now);
    }
  }

  /**
   * After a payment: refunds "on payment"; and an account blocked for lack of funds for its fees is charged the rest
   * of the period and unblocked once the funds cover it.
   */
  private async onPayment(trx: Knex.Transaction, accountId: number, now: number, turnOnInet: boolean): Promise<void> {
    await this.settleAccount(trx, accountId, 'payment', now);
    const blk = await this.billing.blocks.active(trx, accountId);
    if (!blk || blk.reason !== 'funds_lack') return;
    const skipped: Record<string, unknown>[] = await trx('slink_periods as sp').join('service_links as l', 'l.id', 'sp.slink_id')
      .join('discount_periods as p', 'p.id', 'sp.period_id')
      .where({ 'l.account_id': accountId, 'sp.skipped': true, 'p.is_closed': false, 'l.is_deleted': false }).select('sp.*');
    const acc = await trx('accounts').where({ id: accountId }).first('balance', 'credit', 'vat_rate_e6', 'sale_tax_rate_e6', 'unlimited');
    const plan: { link: SLink; lp: LinkPeriod; p: Period; base: number }[] = [];
    let need = 0;
    for (const r of skipped) {
      const lp = toLinkPeriod(r);
      const link = (await this.charger.link(trx, lp.slinkId))!;
      const p = (await this.catalog.period(lp.periodId, trx))!;
      const svc = await this.charger.service(trx, link.serviceId);
      const base = mulDiv(await this.charger.fullCost(trx, link, svc, lp.ordinal), p.end - now, p.end - p.start);
      plan.push({ link, lp, p, base });
      need += acc.unlimited ? 0 : base + mulDiv(base, Number(acc.vat_rate_e6) + Number(acc.sale_tax_rate_e6), 100_000_000);
    }
    if (Number(acc.balance) + Number(acc.credit) < need) return;
    for (const x of plan) {
      const svc = await this.charger.service(trx, x.link.serviceId);
      await this.charger.move(trx, x.link, svc, x.p.id, x.base, now, `${svc.name}: fee for the rest of the period`);
      await trx('slink_periods').where({ slink_id: x.link.id, period_id: x.p.id }).update({ skipped: false });
    }
    await this.billing.blocks.unblock(trx, accountId, now, SYSTEM_ACTOR, { type: BlockType.SYSTEM, turnOnInet, why: 'funds cover the fees' });
  }

  /**
   * A charge policy's timemark: accounts whose funds do not cover what their links with "system block on funds
   * lack" will still cost this period are blocked.
   */
  private async fundsCheck(periodId: number): Promise<void> {
    const p = await this.catalog.period(periodId);
    if (!p || p.isClosed) return;
    const now = this.clock.now();
    const rows: Record<string, unknown>[] = await this.db.knex('service_links as l').join('charge_policies as c', 'c.id', 'l.policy_id')
      .join('slink_periods as sp', (j) => j.on('sp.slink_id', 'l.id').andOn('sp.period_id', 'l.discount_period_id'))
      .where({ 'l.discount_period_id': periodId, 'l.is_deleted': false }).select('l.account_id', 'l.id', 'c.flags', 'sp.*');
    const byAccount = new Map<number, Record<string, unknown>[]>();
    for (const r of rows) {
      if (!(Number(r['flags']) & PolicyFlag.BLOCK_ON_FUNDS_LACK)) continue;
      const a = Number(r['account_id']);
      byAccount.set(a, [...(byAccount.get(a) ?? []), r]);
    }
    for (const [accountId, links] of byAccount) {
      await this.billing.locks.with(accountId, () => this.db.tx(async (trx) => {
        if (await this.billing.blocks.active(trx, accountId)) return;
        let need = 0;
        for (const r of links) {
          const lp = toLinkPeriod(r);
          const link = (await this.charger.link(trx, lp.slinkId))!;
          const svc = await this.charger.service(trx, link.serviceId);
          need += Math.max(0, dueFor(await this.charger.dueInput(trx, link, svc, p, lp, p.end)) - lp.charged);
        }
        const acc = await trx('accounts').where({ id: accountId }).first('balance', 'credit');
        if (Number(acc.balance) + Number(acc.credit) < need) {
          await this.billing.blocks.block(trx, accountId, BlockType.SYSTEM, now, NO_END, now, SYSTEM_ACTOR, 'funds lack at a timemark', 'funds_lack');
        }
      }));
    }
    const next = await this.nextTimemark(p, now);
    if (next !== undefined) this.billing.events.set({ at: next, kind: 'timemark', id: p.id });
  }

  private async flowTick(periodId: number): Promise<void> {
    const p = await this.catalog.period(periodId);
    if (!p || p.isClosed) return;
    const now = this.clock.now();
    const parts = this.parts(p);
    let i = 0;
    for (let k = 1; k < parts; k++) if (this.boundary(p, k, parts) <= now) i = k;
    const rows: Record<string, unknown>[] = await this.db.knex('service_links as l').join('services as s', 's.id', 'l.service_id')
      .join('slink_periods as sp', (j) => j.on('sp.slink_id', 'l.id').andOn('sp.period_id', 'l.discount_period_id'))
      .where({ 'l.discount_period_id': periodId, 'l.is_deleted': false, 's.discount_method': ChargeMethod.FLOW }).select('l.account_id', 'sp.*');
    const byAccount = new Map<number, number[]>();
    for (const r of rows) {
      const a = Number(r['account_id']);
      byAccount.set(a, [...(byAccount.get(a) ?? []), Number(r['slink_id'])]);
    }
    const accounts = [...byAccount.keys()];
    await this.charger.memoized(async () => {
      for (let b = 0; b < accounts.length; b += BATCH) {
        const batch = accounts.slice(b, b + BATCH);
        await this.billing.locks.with(batch, () => this.db.tx(async (trx) => {
          for (const a of batch) {
            for (const slinkId of byAccount.get(a)!) {
              // Re-read under the lock: a payment or a block may have moved it since the list was taken.
              const lp = toLinkPeriod((await trx('slink_periods').where({ slink_id: slinkId, period_id: periodId }).first())!);
              const link = (await this.charger.link(trx, slinkId))!;
              await this.charger.flowTick(trx, link, await this.charger.service(trx, link.serviceId), p, lp, i, parts, now);
            }
            await this.billing.blocks.checkFunds(trx, a, now, { payment: false });
          }
        }));
      }
    });
    if (i + 1 < parts) this.billing.events.set({ at: this.boundary(p, i + 1, parts), kind: 'flow_tick', id: p.id });
  }

  // ---- closing a period ----

  /**
   * Closes an accounting period in the manual's order, per account: fees settled (blocked time recalculated, at-end
   * and flow fees charged, refunds at period end); tariff plans switched; balances reset where the plan says so; the
   * next period created and the links moved to it; then the new period's start-of-period fees.
   */
  async closePeriod(periodId: number): Promise<{ next: number; accounts: number }> {
    // The period's timemark, the period_closer system service and rpcf_expire_discount_period may meet: one close runs.
    const running = this.closing.get(periodId);
    if (running) return running;
    const job = this.closeOnce(periodId).finally(() => this.closing.delete(periodId));
    this.closing.set(periodId, job);
    return job;
  }

  /** Closes every open period whose end has passed (a missed timemark, a core that was down), oldest first. */
  async closeOverdue(): Promise<number> {
    const now = this.clock.now();
    const due = (await this.catalog.periods(false)).filter((p) => p.end <= now).sort((a, b) => a.end - b.end || a.id - b.id);
    for (const p of due) await this.closePeriod(p.id);
    return due.length;
  }

  private async closeOnce(periodId: number): Promise<{ next: number; accounts: number }> {
    const p = await this.catalog.period(periodId);
    if (!p || p.isClosed) return { next: p?.nextId ?? 0, accounts: 0 };
    const now = this.clock.now();
    const next = await this.db.tx((trx) => this.catalog.createNext(trx, p));
    const accountIds: number[] = [...new Set([
      ...(await this.db.knex('service_links').where({ discount_period_id: p.id, is_deleted: false }).distinct('account_id')).map((r: { account_id: number }) => Number(r.account_id)),
      ...(await this.db.knex('tariff_links').where({ discount_period_id: p.id, is_deleted: false }).distinct('account_id')).map((r: { account_id: number }) => Number(r.account_id)),
    ])].sort((a, b) => a - b);
    await this.charger.memoized(async () => {
      for (let b = 0; b < accountIds.length; b += BATCH) {
        const batch = accountIds.slice(b, b + BATCH);
        await this.billing.locks.with(batch, () => this.db.tx(async (trx) => {
          for (const accountId of batch) await this.closeAccount(trx, accountId, p, next, now);
        }));
      }
    });
    this.log.info(`accounting period ${p.id} closed (${accountIds.length} accounts); period ${next.id} runs to ${next.end}`);
    await this.armPeriod(next);
    return { next: next.id, accounts: accountIds.length };
  }

  private async closeAccount(trx: Knex.Transaction, accountId: number, p: Period, next: Period, now: number): Promise<void> {
    const links: SLink[] = ((await trx('service_links').where({ account_id: accountId, discount_period_id: p.id, is_deleted: false })) as Record<string, unknown>[]).map(toSLink);
    // 1. settle the period's fees
    for (const link of links) {
      const lpRow = await trx('slink_periods').where({ slink_id: link.id, period_id: p.id }).first();
      if (!lpRow) continue;
      const svc = await this.charger.service(trx, link.serviceId);
      for (const h of this.linkHooks) await h.closing?.(trx, link, svc, p, now);
      await this.charger.settle(trx, link, svc, p, toLinkPeriod(lpRow), 'close', now);
    }
    // 2. prepaid carry-over happens as the links move (5), once the tariff switch has chosen their services.
    // 3. tariff switch, 4. zero balance
    const tlinks = ((await trx('tariff_links').where({ account_id: accountId, discount_period_id: p.id, is_deleted: false })) as Record<string, unknown>[]).map(toTLink);
    let zero = false;
    for (const t of tlinks) {
      const tariff = await this.catalog.tariff(t.current, trx);
      if (tariff?.['zero_balance']) zero = true;
      if (t.next !== t.current) await this.switchTariff(trx, t, p, now);
    }
    if (zero) {
      const acc = await trx('accounts').where({ id: accountId }).first('balance');
      const bal = Number(acc.balance);
      if (bal !== 0) await post(trx, { accountId, ts: now, kind: 'zero_balance', amount: -bal, periodId: p.id, comment: 'balance reset at period end' });
    }
    // 5. expired links end; the rest move to the next period with a new period record
    const moved: { link: SLink; ordinal: number }[] = [];
    for (const link of ((await trx('service_links').where({ account_id: accountId, discount_period_id: p.id, is_deleted: false })) as Record<string, unknown>[]).map(toSLink)) {
      if (link.expireDate <= next.start) {
        await trx('service_links').where({ id: link.id }).update({ is_deleted: true, removed_at: link.expireDate });
        continue;
      }
      const prev = await trx('slink_periods').where({ slink_id: link.id, period_id: p.id }).first('ordinal');
      await trx('service_links').where({ id: link.id }).update({ discount_period_id: next.id });
      const exists = await trx('slink_periods').where({ slink_id: link.id, period_id: next.id }).first('slink_id');
      if (exists) continue; // made during the switch and charged at its creation
      const ordinal = prev ? Number(prev.ordinal) + 1 : 0;
      await trx('slink_periods').insert({ slink_id: link.id, period_id: next.id, ordinal });
      const before = links.find((l) => l.id === link.id)?.serviceId ?? link.serviceId;
      const nextSvc = await this.charger.service(trx, link.serviceId);
      for (const h of this.linkHooks) await h.moved?.(trx, { ...link, periodId: next.id }, nextSvc, p, next, before, now);
      moved.push({ link: { ...link, periodId: next.id }, ordinal });
    }
    await trx('tariff_links').where({ account_id: accountId, discount_period_id: p.id, is_deleted: false }).update({ discount_period_id: next.id });
    // 6. the new period's start-of-period fees
    for (const { link, ordinal } of moved) {
      const svc = await this.charger.service(trx, link.serviceId);
      if (svc.method !== ChargeMethod.AT_START) continue;
      await this.charger.startCharge(trx, link, svc, next, { slinkId: link.id, periodId: next.id, ordinal, charged: 0, settled: false, skipped: false }, now);
    }
    await this.billing.blocks.checkFunds(trx, accountId, now, { payment: false });
  }

  /**
   * A tariff switch at period end: each link whose service has a counterpart from the same template in the next plan
   * keeps its data and takes the new service; links without one are removed; the next plan's attach-by-default
   * services not yet linked are added.
   */
  private async switchTariff(trx: Knex.Transaction, t: ReturnType<typeof toTLink>, p: Period, now: number): Promise<void> {
    const nextServices = await this.catalog.tariffServices(t.next, trx);
    const links: SLink[] = ((await trx('service_links').where({ tariff_link_id: t.id, is_deleted: false })) as Record<string, unknown>[]).map(toSLink);
    const kept = new Set<number>();
    for (const link of links) {
      const svc = await this.charger.service(trx, link.serviceId);
      const match = nextServices.find((s) => s.parentId === svc.parentId && svc.parentId > 0);
      if (match) {
        await trx('service_links').where({ id: link.id }).update({ service_id: match.id });
        kept.add(match.id);
      } else {
        await trx('service_links').where({ id: link.id }).update({ is_deleted: true, removed_at: p.end });
      }
    }
    await trx('tariff_links').where({ id: t.id }).update({ tariff_current: t.next });
    await trx('tariff_history').where({ account_id: t.accountId, tariff_id: t.current, unlink_date: 0 }).update({ unlink_date: now });
    await trx('tariff_history').insert({ account_id: t.accountId, tariff_id: t.next, link_date: now });
    // New links for the next plan start in the next period: they are made when the links move (ordinal 0 there).
    const nextPeriod = (await this.catalog.period(p.id, trx))!.nextId;
    for (const svc of nextServices) {
      if (!svc.linkByDefault || kept.has(svc.id)) continue;
      if (svc.type === ServiceType.ONCE) await this.onceInTx(trx, SYSTEM_ACTOR, t.accountId, t.userId, svc.id, t.id, now);
      else await this.createPeriodic(trx, SYSTEM_ACTOR, { accountId: t.accountId, serviceId: svc.id, tariffLinkId: t.id, periodId: nextPeriod, startDate: now }, now, true);
    }
    await audit(trx, SYSTEM_ACTOR, UserAction.ACCOUNT_CHANGED, 'tariff_switch', `tariff plan ${t.current} -> ${t.next} (tariff link ${t.id})`,
      { userId: t.userId, accountId: t.accountId }, now);
  }

  /** Closes a period now (rpcf_expire_discount_period): its end moves to now and it is closed. */
  async expirePeriod(periodId: number): Promise<void> {
    const p = await this.catalog.period(periodId);
    if (!p || p.isClosed) throw bad(`no open accounting period ${periodId}`);
    const now = this.clock.now();
    if (now < p.end) await this.db.knex('discount_periods').where({ id: periodId }).update({ end_date: Math.max(now, p.start + 1) });
    this.billing.events.cancel('period_end', periodId);
    await this.closePeriod(periodId);
  }

  static toPeriod = toPeriod;

  /** Moves a one-time link not charged yet to another date or coefficient (rpcf_edit_once_slink_ex); due now, it is charged now. */
  async editOnceLink(actor: Actor, slinkId: number, discountDate: number, costCoefE6: number): Promise<void> {
    const link = await this.charger.link(this.db.knex, slinkId);
    if (!link || link.isDeleted || link.periodId !== 0) throw bad(`no one-time service link ${slinkId}`);
    if (link.onceCharged) throw bad(`one-time service link ${slinkId} is already charged`);
    await this.billing.locks.with(link.accountId, () => this.db.tx(async (trx) => {
      const now = this.clock.now();
      const when = discountDate > 0 ? discountDate : now;
      await trx('service_links').where({ id: slinkId }).update({ discount_date: when, start_date: when, cost_coef_e6: costCoefE6 });
      await audit(trx, actor, UserAction.ACCOUNT_CHANGED, 'slink_change', `one-time service link ${slinkId} moved to ${when}`,
        { userId: link.userId, accountId: link.accountId }, now);
      this.billing.events.cancel('once_charge', slinkId);
      if (when <= now) await this.chargeOnce(trx, slinkId, now);
      else this.billing.events.set({ at: when, kind: 'once_charge', id: slinkId });
    }));
  }
}
