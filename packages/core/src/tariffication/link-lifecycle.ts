// Over ~400 lines: periodic and one-time links share one add/edit/remove path (locks, hooks, periods); split it only
// with them.
import { mulDiv, type Clock } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { AccountLocks } from '../billing/account-locks';
import { audit, UserAction, type Actor } from '../billing/audit';
import { BillingError } from '../billing/billing-error';
import type { BlockService } from '../billing/blocking/block-service';
import { NO_END } from '../billing/blocking/block-types';
import type { TimeEvents } from '../billing/timemarks/time-events';
import type { EventSink } from '../events/event-sink';
import type { AccountPort } from './account-port';
import type { Catalog } from './catalog';
import type { Charger } from './charger';
import { raiseLinkEvent } from './link-events';
import {
  ChargeMethod,
  ServiceStatus,
  ServiceType,
  type LinkHook,
  type PeriodHook,
  type NewPeriodicLink,
  type Period,
  type SLink,
} from './model';
import type { ServiceLinkRepo } from './service-link-repo';
import type { TariffLinkRepo } from './tariff-link-repo';

export interface LinkLifecycleDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly catalog: Pick<Catalog, 'period' | 'service' | 'tariff' | 'tariffServices'>;
  readonly charger: Charger;
  readonly links: ServiceLinkRepo;
  readonly tlinks: TariffLinkRepo;
  readonly accounts: AccountPort;
  readonly locks: Pick<AccountLocks, 'with'>;
  readonly events: Pick<TimeEvents, 'set' | 'cancel'>;
  readonly blocks: Pick<BlockService, 'checkFunds'>;
  /** Usage billing's part in a link's life; read at each call, so hooks added after construction count. */
  readonly hooks: readonly LinkHook[];
  /** Period boundaries and one-time charges per account (invoices). */
  readonly periodHooks: readonly PeriodHook[];
  /** Arms a period's timemarks again once a link may have given it new ones. */
  readonly armPeriod: (p: Period) => Promise<void>;
  /** The billing events: 'link' add, edit, delete. */
  readonly bus: EventSink;
}

/**
 * Service links and tariff links from creation to removal: periodic and one-time links (the one-time charge at its
 * date), edits, removal with its settlement, tariff links attaching their plan's default services.
 */
export class LinkLifecycle {
  constructor(private readonly d: LinkLifecycleDeps) {}

  private async openPeriod(k: Knex | Knex.Transaction, id: number): Promise<Period> {
    const p = await this.d.catalog.period(id, k);
    if (!p) throw new BillingError('UTM_BAD_INPUT', `no accounting period ${id} (see get_discount_periods)`);
    if (p.isClosed)
      throw new BillingError('UTM_BAD_INPUT', `accounting period ${id} is closed; its successor is ${p.nextId}`);
    return p;
  }

  /**
   * Creates a periodic link inside a transaction (also used when a tariff link attaches its services); `more` adds
   * type-specific data (IP groups, login, numbers) before the link's 'add' event, so a listener reads them.
   */
  async createPeriodic(
    trx: Knex.Transaction,
    actor: Actor,
    l: NewPeriodicLink,
    now: number,
    viaTariff: boolean,
    more?: (trx: Knex.Transaction, slinkId: number) => Promise<void>,
  ): Promise<number> {
    const { charger, links } = this.d;
    const acc = await this.d.accounts.owner(trx, l.accountId);
    const svc = await this.d.catalog.service(l.serviceId, trx);
    if (!svc) throw new BillingError('UTM_BAD_INPUT', `no service ${l.serviceId}`);
    if (svc.type === ServiceType.ONCE)
      throw new BillingError('UTM_BAD_INPUT', `service ${svc.id} is one-time: link it with add_once_slink_ex`);
    if (svc.status === ServiceStatus.TEMPLATE)
      throw new BillingError('UTM_BAD_INPUT', `service ${svc.id} is a template: link a tariff plan built from it`);
    if (svc.status === ServiceStatus.TARIFF && !viaTariff && !(l.tariffLinkId && l.tariffLinkId > 0)) {
      throw new BillingError(
        'UTM_BAD_INPUT',
        `service ${svc.id} belongs to tariff plan ${svc.tariffId}: it is linked through a tariff link`,
      );
    }
    if (!svc.multipleLinking) {
      const dup = await links.liveLinkTo(trx, acc.id, svc.id);
      if (dup !== undefined) {
        throw new BillingError(
          'UTM_BAD_INPUT',
          `account ${acc.id} already has service ${svc.id} (link ${dup}) and the service does not allow multiple linking`,
        );
      }
    }
    const p = await this.openPeriod(trx, l.periodId);
    const policyId = l.policyId && l.policyId > 0 ? l.policyId : svc.policyId > 0 ? svc.policyId : 1;
    const slinkId = await links.insert(trx, {
      accountId: acc.id,
      userId: acc.userId,
      serviceId: svc.id,
      tariffLinkId: l.tariffLinkId ?? 0,
      periodId: p.id,
      startDate: l.startDate ?? now,
      expireDate: l.expireDate ?? NO_END,
      policyId,
      costCoefE6: l.costCoefE6 ?? 1_000_000,
      houseId: l.houseId ?? 0,
      comment: (l.comment ?? '').slice(0, 255),
      unabon: l.unabon ?? false,
      unprepay: l.unprepay ?? false,
      createdAt: now,
    });
    await links.addPeriodRecord(trx, slinkId, p.id, 0);
    const made = (await charger.link(trx, slinkId))!;
    for (const h of this.d.hooks) await h.created?.(trx, made, svc, p, now);
    if (svc.method === ChargeMethod.AT_START) {
      await charger.startCharge(
        trx,
        (await charger.link(trx, slinkId))!,
        svc,
        p,
        { slinkId, periodId: p.id, ordinal: 0, charged: 0, settled: false, skipped: false },
        now,
      );
    }
    await audit(
      trx,
      actor,
      UserAction.ACCOUNT_CHANGED,
      'slink_add',
      `service ${svc.id} '${svc.name}' linked to account ${acc.id} (link ${slinkId})`,
      { userId: acc.userId, accountId: acc.id },
      now,
      this.d.bus,
    );
    await more?.(trx, slinkId);
    await this.d.bus.emit(trx, { kind: 'link', op: 'add', serviceType: svc.type, accountId: acc.id, slinkId }, now);
    return slinkId;
  }

  /** Links a periodic-fee service (of any type but one-time); `more` adds type-specific data in the same transaction. */
  async addPeriodicLink(
    actor: Actor,
    l: NewPeriodicLink,
    more?: (trx: Knex.Transaction, slinkId: number) => Promise<void>,
  ): Promise<number> {
    const id = await this.d.locks.with(l.accountId, () =>
      this.d.db.tx(async (trx) => {
        const now = this.d.clock.now();
        const slink = await this.createPeriodic(trx, actor, l, now, false, more);
        await this.d.blocks.checkFunds(trx, l.accountId, now, { payment: false });
        return slink;
      }),
    );
    const p = await this.d.catalog.period(l.periodId);
    if (p) await this.d.armPeriod(p);
    return id;
  }

  async addOnceLink(
    actor: Actor,
    l: { accountId: number; serviceId: number; tariffLinkId?: number; discountDate?: number; costCoefE6?: number },
  ): Promise<number> {
    return this.d.locks.with(l.accountId, () =>
      this.d.db.tx(async (trx) => {
        const now = this.d.clock.now();
        const acc = await this.d.accounts.owner(trx, l.accountId);
        const svc = await this.d.catalog.service(l.serviceId, trx);
        if (!svc || svc.type !== ServiceType.ONCE)
          throw new BillingError('UTM_BAD_INPUT', `service ${l.serviceId} is not a one-time service`);
        const when = l.discountDate && l.discountDate > 0 ? l.discountDate : now;
        const slinkId = await this.d.links.insert(trx, {
          accountId: acc.id,
          userId: acc.userId,
          serviceId: svc.id,
          tariffLinkId: l.tariffLinkId ?? 0,
          periodId: 0,
          startDate: when,
          expireDate: NO_END,
          policyId: 0,
          costCoefE6: l.costCoefE6 ?? 1_000_000,
          createdAt: now,
          discountDate: when,
        });
        await audit(
          trx,
          actor,
          UserAction.ACCOUNT_CHANGED,
          'slink_add',
          `one-time service ${svc.id} '${svc.name}' for account ${acc.id} at ${when}`,
          { userId: acc.userId, accountId: acc.id },
          now,
          this.d.bus,
        );
        await this.d.bus.emit(
          trx,
          { kind: 'link', op: 'add', serviceType: ServiceType.ONCE, accountId: acc.id, slinkId },
          now,
        );
        if (when <= now) await this.chargeOnce(trx, slinkId, now);
        else this.d.events.set({ at: when, kind: 'once_charge', id: slinkId });
        return slinkId;
      }),
    );
  }

  /** A one-time link made by a tariff link (at its creation or a tariff switch): charged at once. */
  async addOnceInTx(
    trx: Knex.Transaction,
    accountId: number,
    userId: number,
    serviceId: number,
    tlinkId: number,
    now: number,
  ): Promise<void> {
    const id = await this.d.links.insert(trx, {
      accountId,
      userId,
      serviceId,
      tariffLinkId: tlinkId,
      periodId: 0,
      startDate: now,
      expireDate: NO_END,
      createdAt: now,
      discountDate: now,
    });
    await this.d.bus.emit(trx, { kind: 'link', op: 'add', serviceType: ServiceType.ONCE, accountId, slinkId: id }, now);
    await this.chargeOnce(trx, id, now);
  }

  /** A one-time service is charged once, at its date; a negative cost is a contribution; it may drop the user from a group. */
  private async chargeOnce(trx: Knex.Transaction, slinkId: number, now: number): Promise<void> {
    const { charger } = this.d;
    const link = await charger.link(trx, slinkId);
    if (!link || link.onceCharged || link.isDeleted) return;
    const svc = await charger.service(trx, link.serviceId);
    const base = mulDiv(svc.cost, link.costCoefE6, 1_000_000);
    await charger.move(trx, link, svc, 0, base, now, `${svc.name}: one-time`, 'charge');
    await this.d.links.markOnceCharged(trx, slinkId);
    for (const h of this.d.periodHooks) await h.onceCharged?.(trx, link, now);
    if (svc.dropFromGroup > 0) await this.d.accounts.dropFromGroup(trx, link.userId, svc.dropFromGroup);
    await this.d.blocks.checkFunds(trx, link.accountId, now, { payment: base < 0 });
  }

  /** The timemark of a one-time link's date. */
  async onceDue(slinkId: number): Promise<void> {
    const link = await this.d.charger.link(this.d.db.knex, slinkId);
    if (!link) return;
    await this.d.locks.with(link.accountId, () =>
      this.d.db.tx((trx) => this.chargeOnce(trx, slinkId, this.d.clock.now())),
    );
  }

  /** Arms the timemarks of the one-time links not charged yet (at start). */
  async armOnce(): Promise<void> {
    for (const o of await this.d.links.pendingOnce())
      this.d.events.set({ at: o.discountDate, kind: 'once_charge', id: o.id });
  }

  async editPeriodicLink(
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
    more?: (trx: Knex.Transaction, link: SLink) => Promise<void>,
  ): Promise<void> {
    const link = await this.d.charger.link(this.d.db.knex, slinkId);
    if (!link || link.isDeleted) throw new BillingError('UTM_BAD_INPUT', `no service link ${slinkId}`);
    await this.d.locks.with(link.accountId, () =>
      this.d.db.tx(async (trx) => {
        await more?.(trx, link);
        await this.d.links.update(trx, slinkId, {
          startDate: e.startDate,
          expireDate: e.expireDate,
          policyId: e.policyId > 0 ? e.policyId : link.policyId,
          costCoefE6: e.costCoefE6,
          houseId: e.houseId,
          comment: e.comment.slice(0, 255),
        });
        await audit(
          trx,
          actor,
          UserAction.ACCOUNT_CHANGED,
          'slink_change',
          `service link ${slinkId} changed`,
          { userId: link.userId, accountId: link.accountId },
          this.d.clock.now(),
          this.d.bus,
        );
        await raiseLinkEvent(trx, this.d.bus, this.d.charger, 'edit', link, this.d.clock.now());
      }),
    );
  }

  /** Moves a one-time link not charged yet to another date or coefficient (rpcf_edit_once_slink_ex); due now, it is charged now. */
  async editOnceLink(actor: Actor, slinkId: number, discountDate: number, costCoefE6: number): Promise<void> {
    const link = await this.d.charger.link(this.d.db.knex, slinkId);
    if (!link || link.isDeleted || link.periodId !== 0)
      throw new BillingError('UTM_BAD_INPUT', `no one-time service link ${slinkId}`);
    if (link.onceCharged)
      throw new BillingError('UTM_BAD_INPUT', `one-time service link ${slinkId} is already charged`);
    await this.d.locks.with(link.accountId, () =>
      this.d.db.tx(async (trx) => {
        const now = this.d.clock.now();
        const when = discountDate > 0 ? discountDate : now;
        await this.d.links.update(trx, slinkId, { discountDate: when, startDate: when, costCoefE6 });
        await audit(
          trx,
          actor,
          UserAction.ACCOUNT_CHANGED,
          'slink_change',
          `one-time service link ${slinkId} moved to ${when}`,
          { userId: link.userId, accountId: link.accountId },
          now,
          this.d.bus,
        );
        await this.d.bus.emit(
          trx,
          { kind: 'link', op: 'edit', serviceType: ServiceType.ONCE, accountId: link.accountId, slinkId },
          now,
        );
        this.d.events.cancel('once_charge', slinkId);
        if (when <= now) await this.chargeOnce(trx, slinkId, now);
        else this.d.events.set({ at: when, kind: 'once_charge', id: slinkId });
      }),
    );
  }

  /** Removing a link: at-end and flow fees are charged up to now; refunds follow the policy ("on remove service link"). */
  async deleteLink(actor: Actor, slinkId: number): Promise<void> {
    const link = await this.d.charger.link(this.d.db.knex, slinkId);
    if (!link || link.isDeleted) throw new BillingError('UTM_BAD_INPUT', `no service link ${slinkId}`);
    await this.d.locks.with(link.accountId, () =>
      this.d.db.tx((trx) => this.removeLinkTx(trx, actor, link, this.d.clock.now())),
    );
  }

  private async removeLinkTx(trx: Knex.Transaction, actor: Actor, link: SLink, now: number): Promise<void> {
    const { charger, links } = this.d;
    await raiseLinkEvent(trx, this.d.bus, charger, 'delete', link, now);
    await links.markRemoving(trx, link.id, now);
    if (link.periodId > 0) {
      const removed = (await charger.link(trx, link.id))!;
      const svc = await charger.service(trx, link.serviceId);
      const p = await this.d.catalog.period(link.periodId, trx);
      const lp = await links.periodRecord(trx, link.id, link.periodId);
      for (const h of this.d.hooks) await h.removed?.(trx, removed, svc, now);
      if (p && lp) await charger.settle(trx, removed, svc, p, lp, 'removal', now);
    }
    await links.markDeleted(trx, link.id);
    this.d.events.cancel('once_charge', link.id);
    await audit(
      trx,
      actor,
      UserAction.ACCOUNT_CHANGED,
      'slink_remove',
      `service link ${link.id} removed`,
      { userId: link.userId, accountId: link.accountId },
      now,
      this.d.bus,
    );
    await this.d.blocks.checkFunds(trx, link.accountId, now, { payment: false });
  }

  // ---- tariff links ----

  async linkTariff(
    actor: Actor,
    t: { accountId: number; current: number; next: number; periodId: number },
  ): Promise<number> {
    const id = await this.d.locks.with(t.accountId, () =>
      this.d.db.tx(async (trx) => {
        const now = this.d.clock.now();
        const acc = await this.d.accounts.owner(trx, t.accountId);
        for (const tp of [t.current, t.next]) {
          const row = await this.d.catalog.tariff(tp, trx);
          if (!row) throw new BillingError('UTM_BAD_INPUT', `no tariff plan ${tp}`);
        }
        const p = await this.openPeriod(trx, t.periodId);
        const tlinkId = await this.d.tlinks.insert(trx, {
          accountId: acc.id,
          userId: acc.userId,
          current: t.current,
          next: t.next,
          periodId: p.id,
          linkDate: now,
        });
        await this.d.tlinks.historyOpen(trx, acc.id, t.current, now);
        for (const svc of await this.d.catalog.tariffServices(t.current, trx)) {
          if (!svc.linkByDefault) continue;
          if (svc.type === ServiceType.ONCE) {
            await this.addOnceInTx(trx, acc.id, acc.userId, svc.id, tlinkId, now);
          } else {
            await this.createPeriodic(
              trx,
              actor,
              { accountId: acc.id, serviceId: svc.id, tariffLinkId: tlinkId, periodId: p.id },
              now,
              true,
            );
          }
        }
        await audit(
          trx,
          actor,
          UserAction.ACCOUNT_CHANGED,
          'tlink_add',
          `tariff plan ${t.current} (next ${t.next}) linked to account ${acc.id}`,
          { userId: acc.userId, accountId: acc.id },
          now,
          this.d.bus,
        );
        await this.d.blocks.checkFunds(trx, acc.id, now, { payment: false });
        return tlinkId;
      }),
    );
    const p = await this.d.catalog.period(t.periodId);
    if (p) await this.d.armPeriod(p);
    return id;
  }

  async unlinkTariff(actor: Actor, accountId: number, tlinkId: number): Promise<void> {
    await this.d.locks.with(accountId, () =>
      this.d.db.tx(async (trx) => {
        const now = this.d.clock.now();
        const t = await this.d.tlinks.ofAccount(trx, tlinkId, accountId);
        if (!t) throw new BillingError('UTM_BAD_INPUT', `account ${accountId} has no tariff link ${tlinkId}`);
        for (const l of await this.d.links.ofTariffLink(trx, tlinkId)) await this.removeLinkTx(trx, actor, l, now);
        await this.d.tlinks.markUnlinked(trx, tlinkId, now);
        await this.d.tlinks.historyClose(trx, accountId, t.current, now);
      }),
    );
  }
}
