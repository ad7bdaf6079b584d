import type { Clock, Logger } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { AccountLocks } from '../billing/account-locks';
import { audit, SYSTEM_ACTOR, UserAction } from '../billing/audit';
import { BillingError } from '../billing/billing-error';
import type { BlockService } from '../billing/blocking/block-service';
import type { Ledger } from '../billing/ledger';
import type { EventSink } from '../events/event-sink';
import { raiseLinkEvent } from './link-events';
import type { TimeEvents } from '../billing/timemarks/time-events';
import type { AccountPort } from './account-port';
import type { Catalog } from './catalog';
import { ACCOUNT_BATCH } from './charge-timers';
import type { Charger } from './charger';
import type { LinkLifecycle } from './link-lifecycle';
import {
  ChargeMethod,
  ServiceType,
  type LinkHook,
  type Period,
  type PeriodHook,
  type SLink,
  type TLink,
} from './model';
import type { ServiceLinkRepo } from './service-link-repo';
import type { TariffLinkRepo } from './tariff-link-repo';

export interface PeriodCloseDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly log: Logger;
  readonly catalog: Pick<Catalog, 'period' | 'periods' | 'createNext' | 'moveEnd' | 'tariff' | 'tariffServices'>;
  readonly charger: Charger;
  readonly links: ServiceLinkRepo;
  readonly tlinks: TariffLinkRepo;
  readonly accounts: AccountPort;
  readonly locks: Pick<AccountLocks, 'with'>;
  readonly events: Pick<TimeEvents, 'cancel'>;
  readonly blocks: Pick<BlockService, 'checkFunds'>;
  /** Balances reset at period end are posted here (balance events). */
  readonly ledger: Pick<Ledger, 'post'>;
  /** The billing events: 'link' delete of links that end, edit of links that take the next plan's service. */
  readonly bus: EventSink;
  /** Usage billing's part in a link's life; read at each call, so hooks added after construction count. */
  readonly hooks: readonly LinkHook[];
  /** Period boundaries per account (invoices); read at each close, like hooks. */
  readonly periodHooks: readonly PeriodHook[];
  /** A tariff switch makes the next plan's default links as a new tariff link does. */
  readonly lifecycle: Pick<LinkLifecycle, 'createPeriodic' | 'addOnceInTx'>;
  /** Arms the timemarks of the period that follows a closed one. */
  readonly armPeriod: (p: Period) => Promise<void>;
}

/**
 * The end of an accounting period: fees settled, tariff plans switched, balances reset, links moved to the next
 * period with its start-of-period fees. One close runs per period however many triggers meet.
 */
export class PeriodClose {
  private readonly closing = new Map<number, Promise<{ next: number; accounts: number }>>();

  constructor(private readonly d: PeriodCloseDeps) {}

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
  /** Closes what an interrupted close left (see closeOnce); run at start, before any period is armed. */
  async resumeInterrupted(): Promise<number> {
    const k = this.d.db.knex;
    const ids = new Set<number>();
    for (const table of ['service_links', 'tariff_links']) {
      const rows = await k(`${table} as l`)
        .join('discount_periods as p', 'p.id', 'l.discount_period_id')
        .where({ 'p.is_closed': true, 'l.is_deleted': false })
        .distinct('l.discount_period_id as id');
      for (const r of rows) ids.add(Number(r['id']));
    }
    for (const id of [...ids].sort((a, b) => a - b)) await this.closePeriod(id);
    return ids.size;
  }

  async closeOverdue(): Promise<number> {
    const now = this.d.clock.now();
    const due = (await this.d.catalog.periods(false))
      .filter((p) => p.end <= now)
      .sort((a, b) => a.end - b.end || a.id - b.id);
    for (const p of due) await this.closePeriod(p.id);
    return due.length;
  }

  /** Closes a period now (rpcf_expire_discount_period): its end moves to now and it is closed. */
  async expirePeriod(periodId: number): Promise<void> {
    const p = await this.d.catalog.period(periodId);
    if (!p || p.isClosed) throw new BillingError('UTM_BAD_INPUT', `no open accounting period ${periodId}`);
    const now = this.d.clock.now();
    if (now < p.end) await this.d.catalog.moveEnd(periodId, Math.max(now, p.start + 1));
    this.d.events.cancel('period_end', periodId);
    await this.closePeriod(periodId);
  }

  private async closeOnce(periodId: number): Promise<{ next: number; accounts: number }> {
    const { db, catalog } = this.d;
    const p = await catalog.period(periodId);
    if (!p) return { next: 0, accounts: 0 };
    const now = this.d.clock.now();
    // Accounts are closed in batches of their own transactions: a close cut short (a crash, kill -9) leaves the
    // period marked closed with the accounts of the batches not committed still in it. Those are closed now, into
    // the next period the first run made.
    const accountIds: number[] = [
      ...new Set([...(await this.d.links.accountsInPeriod(p.id)), ...(await this.d.tlinks.accountsInPeriod(p.id))]),
    ].sort((a, b) => a - b);
    if (p.isClosed && accountIds.length === 0) return { next: p.nextId, accounts: 0 };
    const resumed = p.isClosed ? await catalog.period(p.nextId) : undefined;
    if (p.isClosed && !resumed)
      throw new BillingError('UTM_BAD_INPUT', `closed period ${p.id} has no next period ${p.nextId}`);
    if (resumed)
      this.d.log.warn(
        `accounting period ${p.id}: its close was interrupted; closing the ${accountIds.length} accounts left`,
      );
    const next = resumed ?? (await db.tx((trx) => catalog.createNext(trx, p)));
    await this.d.charger.memoized(async () => {
      for (let b = 0; b < accountIds.length; b += ACCOUNT_BATCH) {
        const batch = accountIds.slice(b, b + ACCOUNT_BATCH);
        await this.d.locks.with(batch, () =>
          db.tx(async (trx) => {
            for (const accountId of batch) await this.closeAccount(trx, accountId, p, next, now);
          }),
        );
      }
    });
    this.d.log.info(
      `accounting period ${p.id} closed (${accountIds.length} accounts); period ${next.id} runs to ${next.end}`,
    );
    await this.d.armPeriod(next);
    return { next: next.id, accounts: accountIds.length };
  }

  private async closeAccount(
    trx: Knex.Transaction,
    accountId: number,
    p: Period,
    next: Period,
    now: number,
  ): Promise<void> {
    const { charger, links, tlinks } = this.d;
    const before: SLink[] = await links.ofAccountInPeriod(trx, accountId, p.id);
    // 1. settle the period's fees
    for (const link of before) {
      const lp = await links.periodRecord(trx, link.id, p.id);
      if (!lp) continue;
      const svc = await charger.service(trx, link.serviceId);
      for (const h of this.d.hooks) await h.closing?.(trx, link, svc, p, now);
      await charger.settle(trx, link, svc, p, lp, 'close', now);
    }
    for (const h of this.d.periodHooks) await h.settled?.(trx, accountId, p, now);
    // 2. prepaid carry-over happens as the links move (5), once the tariff switch has chosen their services.
    // 3. tariff switch, 4. zero balance
    let zero = false;
    for (const t of await tlinks.ofAccountInPeriod(trx, accountId, p.id)) {
      const tariff = await this.d.catalog.tariff(t.current, trx);
      if (tariff?.['zero_balance']) zero = true;
      if (t.next !== t.current) await this.switchTariff(trx, t, p, now);
    }
    if (zero) {
      const bal = (await this.d.accounts.funds(trx, accountId)).balance;
      if (bal !== 0)
        await this.d.ledger.post(trx, {
          accountId,
          ts: now,
          kind: 'zero_balance',
          amount: -bal,
          periodId: p.id,
          comment: 'balance reset at period end',
        });
    }
    // 5. expired links end; the rest move to the next period with a new period record
    const moved: { link: SLink; ordinal: number }[] = [];
    for (const link of await links.ofAccountInPeriod(trx, accountId, p.id)) {
      if (link.expireDate <= next.start) {
        await raiseLinkEvent(trx, this.d.bus, charger, 'delete', link, now);
        await links.end(trx, link.id, link.expireDate);
        continue;
      }
      const prev = await links.periodRecord(trx, link.id, p.id);
      await links.update(trx, link.id, { periodId: next.id });
      if (await links.periodRecord(trx, link.id, next.id)) continue; // made during the switch and charged at its creation
      const ordinal = prev ? prev.ordinal + 1 : 0;
      await links.addPeriodRecord(trx, link.id, next.id, ordinal);
      const prevServiceId = before.find((l) => l.id === link.id)?.serviceId ?? link.serviceId;
      const nextSvc = await charger.service(trx, link.serviceId);
      for (const h of this.d.hooks)
        await h.moved?.(trx, { ...link, periodId: next.id }, nextSvc, p, next, prevServiceId, now);
      moved.push({ link: { ...link, periodId: next.id }, ordinal });
    }
    await tlinks.movePeriod(trx, accountId, p.id, next.id);
    // 6. the new period's start-of-period fees
    for (const { link, ordinal } of moved) {
      const svc = await charger.service(trx, link.serviceId);
      if (svc.method !== ChargeMethod.AT_START) continue;
      await charger.startCharge(
        trx,
        link,
        svc,
        next,
        { slinkId: link.id, periodId: next.id, ordinal, charged: 0, settled: false, skipped: false },
        now,
      );
    }
    for (const h of this.d.periodHooks) await h.opened?.(trx, accountId, next, now);
    await this.d.blocks.checkFunds(trx, accountId, now, { payment: false });
  }

  /**
   * A tariff switch at period end: each link whose service has a counterpart from the same template in the next plan
   * keeps its data and takes the new service; links without one are removed; the next plan's attach-by-default
   * services not yet linked are added.
   */
  private async switchTariff(trx: Knex.Transaction, t: TLink, p: Period, now: number): Promise<void> {
    const { charger, links, tlinks, lifecycle } = this.d;
    const nextServices = await this.d.catalog.tariffServices(t.next, trx);
    const kept = new Set<number>();
    for (const link of await links.ofTariffLink(trx, t.id)) {
      const svc = await charger.service(trx, link.serviceId);
      const match = nextServices.find((s) => s.parentId === svc.parentId && svc.parentId > 0);
      if (match) {
        await links.update(trx, link.id, { serviceId: match.id });
        await raiseLinkEvent(trx, this.d.bus, charger, 'edit', { ...link, serviceId: match.id }, now);
        kept.add(match.id);
      } else {
        await raiseLinkEvent(trx, this.d.bus, charger, 'delete', link, now);
        await links.end(trx, link.id, p.end);
      }
    }
    await tlinks.setCurrent(trx, t.id, t.next);
    await tlinks.historyClose(trx, t.accountId, t.current, now);
    await tlinks.historyOpen(trx, t.accountId, t.next, now);
    // New links for the next plan start in the next period: they are made when the links move (ordinal 0 there).
    const nextPeriod = (await this.d.catalog.period(p.id, trx))!.nextId;
    for (const svc of nextServices) {
      if (!svc.linkByDefault || kept.has(svc.id)) continue;
      if (svc.type === ServiceType.ONCE) await lifecycle.addOnceInTx(trx, t.accountId, t.userId, svc.id, t.id, now);
      else
        await lifecycle.createPeriodic(
          trx,
          SYSTEM_ACTOR,
          { accountId: t.accountId, serviceId: svc.id, tariffLinkId: t.id, periodId: nextPeriod, startDate: now },
          now,
          true,
        );
    }
    await audit(
      trx,
      SYSTEM_ACTOR,
      UserAction.ACCOUNT_CHANGED,
      'tariff_switch',
      `tariff plan ${t.current} -> ${t.next} (tariff link ${t.id})`,
      { userId: t.userId, accountId: t.accountId },
      now,
      this.d.bus,
    );
  }
}
