import type { Clock, Logger } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { TrafficItem } from '@utm5/protocol';
import type { Billing } from '../billing/billing';
import type { Charger } from '../tariffication/charger';
import type { LinkHook } from '../tariffication/engine';
import { ServiceType, toSLink, type Period, type ServiceRow, type SLink } from '../tariffication/model';
import { TrafficCatalog, type IpTrafficParams } from './catalog';
import { addTraffic, nextPrepaid, type ClassUsage, type TrafficPlan } from './pricing';

export interface IngestResult {
  accepted: number;
  /** Items for links that are gone or are not IP traffic links, or malformed items: logged, not charged. */
  dropped: number;
}

const MAX_ITEM_BYTES = 2 ** 50;

function validItem(x: unknown): x is TrafficItem {
  const i = x as TrafficItem;
  return (
    typeof i === 'object' &&
    i !== null &&
    Number.isSafeInteger(i.s) &&
    i.s > 0 &&
    Number.isSafeInteger(i.c) &&
    i.c >= 0 &&
    typeof i.ip === 'string' &&
    i.ip.length <= 64 &&
    Number.isSafeInteger(i.t) &&
    Number.isSafeInteger(i.b) &&
    i.b >= 0 &&
    i.b < MAX_ITEM_BYTES &&
    Number.isSafeInteger(i.p) &&
    i.p >= 0
  );
}

/**
 * IP traffic tariffication: traffic records from collectors are priced on the link's accounting period (prepaid
 * first, then the borders, groups of type sum or max), written to the hourly statistics, and accrued on the link;
 * the account is charged when the accrued sum reaches the minimal traffic charge, when the aggregation timeout has
 * passed since the last charge, on SIGHUP, when the link goes, and at period close. Prepaid traffic is granted per
 * period, carried over (capped) or reset at close.
 */
export class TrafficBilling implements LinkHook {
  private plans = new Map<number, { params: IpTrafficParams; plan: TrafficPlan }>();
  /** Told, inside the batch's transaction, which links consumed traffic (Dynashape decides again after the commit). */
  readonly consumed: ((trx: Knex.Transaction, slinkIds: readonly number[]) => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly billing: Billing,
    private readonly charger: Charger,
    readonly catalog: TrafficCatalog,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly param: (n: string) => string | undefined,
  ) {}

  /** Service parameters changed: price from the new ones. */
  forgetPlans(): void {
    this.plans.clear();
  }

  private async planOf(
    k: Knex | Knex.Transaction,
    serviceId: number,
  ): Promise<{ params: IpTrafficParams; plan: TrafficPlan }> {
    let p = this.plans.get(serviceId);
    if (!p) {
      const params = await this.catalog.ipTrafficParams(serviceId, k);
      p = { params, plan: TrafficCatalog.plan(params, Number(this.param('bytes_in_kbyte') ?? '1024') || 1024) };
      this.plans.set(serviceId, p);
    }
    return p;
  }

  private async usage(k: Knex | Knex.Transaction, slinkId: number, periodId: number): Promise<Map<number, ClassUsage>> {
    const rows: Record<string, unknown>[] = await k('slink_traffic').where({ slink_id: slinkId, period_id: periodId });
    return new Map(
      rows.map((r) => [Number(r['tclass_id']), { bytes: Number(r['bytes']), prepaid: Number(r['prepaid']) }]),
    );
  }

  private async grant(
    trx: Knex.Transaction,
    link: SLink,
    periodId: number,
    prepaid: Map<number, number>,
  ): Promise<void> {
    for (const [tclass, amount] of prepaid) {
      await trx('slink_traffic').insert({
        slink_id: link.id,
        period_id: periodId,
        tclass_id: tclass,
        bytes: 0,
        prepaid: amount,
      });
    }
  }

  // ---- link life (hooks of the tariffication engine) ----

  async created(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period): Promise<void> {
    if (svc.type !== ServiceType.IPTRAFFIC) return;
    const { params } = await this.planOf(trx, svc.id);
    if (link.unprepay) return;
    await this.grant(trx, link, p.id, new Map(params.prepaid.map((q) => [q.tclass, q.size])));
  }

  async closing(trx: Knex.Transaction, link: SLink, svc: ServiceRow, p: Period, now: number): Promise<void> {
    if (svc.type === ServiceType.IPTRAFFIC) await this.chargeLink(trx, link, svc, p.id, now, true);
  }

  async moved(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    p: Period,
    next: Period,
    prevServiceId: number,
  ): Promise<void> {
    if (svc.type !== ServiceType.IPTRAFFIC || link.unprepay) return;
    const { params } = await this.planOf(trx, svc.id);
    const used = await this.usage(trx, link.id, p.id);
    const discard = prevServiceId !== svc.id && this.param('discard_prepaid_on_tariff_change') === '1';
    const grants = new Map<number, number>();
    for (const q of params.prepaid)
      grants.set(q.tclass, nextPrepaid(q.size, q.max, params.resetPrepaid || discard, used.get(q.tclass)));
    await this.grant(trx, link, next.id, grants);
  }

  async removed(trx: Knex.Transaction, link: SLink, svc: ServiceRow, now: number): Promise<void> {
    if (svc.type === ServiceType.IPTRAFFIC && link.periodId > 0)
      await this.chargeLink(trx, link, svc, link.periodId, now, true);
  }

  // ---- traffic ----

  /**
   * Prices a batch of traffic records in a transaction of its own, under the locks of their accounts, which keep
   * period closing and other charges of these accounts out until the batch is committed (rpcf_put_unif_iptr).
   */
  async ingestLocked(items: readonly TrafficItem[], collectorId: number, now: number): Promise<IngestResult> {
    return this.billing.locks.with(
      items.map((x) => x.a),
      () => this.db.tx((trx) => this.ingest(trx, items, collectorId, now)),
    );
  }

  /** Prices a batch of traffic records inside the transaction that commits them (the Stream record handler). */
  async ingest(
    trx: Knex.Transaction,
    items: readonly unknown[],
    collectorId: number,
    now: number,
  ): Promise<IngestResult> {
    const bySlink = new Map<number, TrafficItem[]>();
    let dropped = 0;
    for (const it of items) {
      if (!validItem(it)) {
        dropped++;
        continue;
      }
      (bySlink.get(it.s) ?? bySlink.set(it.s, []).get(it.s)!).push(it);
    }
    let accepted = 0;
    const ids = [...bySlink.keys()].sort((a, b) => a - b);
    // Locked rows keep a period close on another connection (MySQL) from moving these links mid-batch.
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < ids.length; i += 500)
      rows.push(
        ...(await trx('service_links')
          .whereIn('id', ids.slice(i, i + 500))
          .forUpdate()),
      );
    const links = new Map(rows.map((r) => [Number(r['id']), toSLink(r)]));
    for (const id of ids) {
      const list = bySlink.get(id)!;
      const link = links.get(id);
      const svc =
        link && !link.isDeleted && link.periodId > 0 ? await this.charger.service(trx, link.serviceId) : undefined;
      if (!link || !svc || svc.type !== ServiceType.IPTRAFFIC) {
        dropped += list.length;
        continue;
      }
      await this.priceLink(trx, link, svc, list, collectorId, now);
      accepted += list.length;
    }
    if (dropped > 0)
      this.log.warn(
        `traffic: ${dropped} record(s) dropped (malformed, or for a service link that is gone or not IP traffic)`,
      );
    const used = ids.filter((id) => links.has(id));
    if (used.length > 0) for (const fn of this.consumed) fn(trx, used);
    return { accepted, dropped };
  }

  private async priceLink(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    items: readonly TrafficItem[],
    collectorId: number,
    now: number,
  ): Promise<void> {
    const { params, plan } = await this.planOf(trx, svc.id);
    const usage = await this.usage(trx, link.id, link.periodId);
    const existing = new Set(usage.keys());
    const interval = params.aggregationInterval > 0 ? params.aggregationInterval : 0;
    let accrued = 0;
    const stats: Record<string, unknown>[] = [];
    for (const it of items) {
      const cost = addTraffic(plan, usage, it.c, it.b);
      accrued += cost;
      stats.push({
        ts: interval > 0 ? Math.floor(it.t / interval) * interval : it.t,
        account_id: link.accountId,
        slink_id: link.id,
        tclass_id: it.c,
        ip: it.ip,
        bytes: it.b,
        packets: it.p,
        cost: Math.round(cost),
        collector_id: collectorId,
      });
    }
    for (let i = 0; i < stats.length; i += 200) await trx('traffic_stats').insert(stats.slice(i, i + 200));
    for (const [tclass, u] of usage) {
      if (existing.has(tclass))
        await trx('slink_traffic')
          .where({ slink_id: link.id, period_id: link.periodId, tclass_id: tclass })
          .update({ bytes: u.bytes });
      else
        await trx('slink_traffic').insert({
          slink_id: link.id,
          period_id: link.periodId,
          tclass_id: tclass,
          bytes: u.bytes,
          prepaid: 0,
        });
    }
    if (accrued > 0) {
      await trx('slink_periods')
        .where({ slink_id: link.id, period_id: link.periodId })
        .update({ traffic_accrued: trx.raw('traffic_accrued + ?', [accrued]) });
    }
    if ((await this.chargeLink(trx, link, svc, link.periodId, now, false)) > 0)
      await this.billing.blocks.checkFunds(trx, link.accountId, now, { payment: false });
  }

  /**
   * Charges what the link accrued beyond what it was charged in the period, in whole micro-units: always when
   * forced, otherwise once it reaches the minimal traffic charge or the aggregation timeout has passed since the
   * last charge.
   */
  async chargeLink(
    trx: Knex.Transaction,
    link: SLink,
    svc: ServiceRow,
    periodId: number,
    now: number,
    force: boolean,
  ): Promise<number> {
    const lp = await trx('slink_periods')
      .where({ slink_id: link.id, period_id: periodId })
      .first('traffic_accrued', 'traffic_charged', 'traffic_charged_at');
    if (!lp) return 0;
    const due = Math.round(Number(lp.traffic_accrued)) - Number(lp.traffic_charged);
    const last = Number(lp.traffic_charged_at);
    if (due <= 0) return 0;
    const threshold = Math.round(Number(this.param('min_traffic_charge') ?? '5') * 1_000_000);
    const timeout = Number(this.param('traffic_aggregation_timeout') ?? '900');
    if (!force && last === 0) {
      // The timeout counts from the first traffic, not from the epoch.
      await trx('slink_periods').where({ slink_id: link.id, period_id: periodId }).update({ traffic_charged_at: now });
      if (due < threshold) return 0;
    } else if (!force && due < threshold && now - last < timeout) return 0;
    await this.charger.move(trx, link, svc, periodId, due, now, `${svc.name}: IP traffic`, 'charge', false);
    await trx('slink_periods')
      .where({ slink_id: link.id, period_id: periodId })
      .update({ traffic_charged: trx.raw('traffic_charged + ?', [due]), traffic_charged_at: now });
    return due;
  }

  /**
   * Charges every link with traffic accrued and not charged: those past the aggregation timeout, or all of them
   * when forced (SIGHUP). Runs account by account under the account locks.
   */
  async chargeDue(force: boolean): Promise<number> {
    const now = this.clock.now();
    const timeout = Number(this.param('traffic_aggregation_timeout') ?? '900');
    let q = this.db
      .knex('slink_periods')
      .join('service_links', 'service_links.id', 'slink_periods.slink_id')
      .where('service_links.is_deleted', false)
      .whereRaw('service_links.discount_period_id = slink_periods.period_id')
      .whereRaw('slink_periods.traffic_accrued >= slink_periods.traffic_charged + 0.5');
    if (!force) q = q.andWhere('slink_periods.traffic_charged_at', '<=', now - timeout);
    const due: { slink_id: number; account_id: number }[] = await q.select(
      'slink_periods.slink_id',
      'service_links.account_id',
    );
    let charged = 0;
    for (const d of due) {
      await this.billing.locks.with(Number(d.account_id), () =>
        this.db.tx(async (trx) => {
          const link = await this.charger.link(trx, Number(d.slink_id));
          if (!link || link.isDeleted) return;
          const amount = await this.chargeLink(
            trx,
            link,
            await this.charger.service(trx, link.serviceId),
            link.periodId,
            now,
            true,
          );
          if (amount > 0) {
            charged++;
            await this.billing.blocks.checkFunds(trx, link.accountId, now, { payment: false });
          }
        }),
      );
    }
    return charged;
  }
}
