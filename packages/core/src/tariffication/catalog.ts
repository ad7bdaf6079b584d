// Over ~400 lines: the reference data of tariffication (periods, services, tariffs, policies, schemes, time ranges)
// has one owner.
import type { Database, Knex } from '@utm5/db';
import { BillingError, badInput as bad } from '../billing/billing-error';
import { ChargeMethod, ServiceStatus, ServiceType, toPeriod, toService, type Period, type ServiceRow } from './model';
import { MIN_CUSTOM_DURATION, PeriodType, periodEnd } from './period-calendar';
import type { CoeffItem } from './coefficients';
import type { RangeDay, RangeEntry, TimeRange } from '@utm5/common';
import { ServiceLinkRepo } from './service-link-repo';
import { TariffLinkRepo } from './tariff-link-repo';

export interface NewService {
  readonly name: string;
  readonly comment?: string;
  readonly type: number;
  readonly status: number;
  readonly parentId?: number;
  readonly tariffId?: number;
  readonly linkByDefault?: boolean;
  readonly multipleLinking?: boolean;
  readonly cost: number; // micro
  readonly method?: number;
  readonly schemeId?: number;
  readonly policyId?: number;
  readonly startDate?: number;
  readonly expireDate?: number;
  readonly contractType?: number;
  readonly dropFromGroup?: number;
}

/** Writes the type's own part of a service (IP traffic, dial-up ...) in the transaction the catalog opens. */
export type ServicePart = (trx: Knex.Transaction, serviceId: number) => Promise<void>;

/**
 * The tariffication reference data: accounting periods, services and templates, tariff plans, charge policies,
 * coefficient schemes and time ranges. Objects in use are not removed (the manual's rule for each).
 */
export class Catalog {
  /**
   * The link repositories sit here, the one module every tariffication user already reaches, until the engine
   * builds them itself and passes them in.
   */
  constructor(
    private readonly db: Database,
    private readonly tz: () => string,
    private readonly now: () => number,
    readonly links: ServiceLinkRepo = new ServiceLinkRepo(db),
    readonly tariffLinks: TariffLinkRepo = new TariffLinkRepo(db),
  ) {}

  // ---- accounting periods ----

  async addPeriod(p: {
    start: number;
    end?: number;
    type: number;
    customDuration?: number;
    chargesPerWeek?: number;
    invoiceMonth?: number;
    staticId?: number;
  }): Promise<number> {
    if (!(p.type >= PeriodType.DAILY && p.type <= PeriodType.CUSTOM))
      throw bad(`period type ${p.type} must be 1 daily .. 5 annual or 6 custom`);
    const custom = p.customDuration ?? 0;
    if (p.type === PeriodType.CUSTOM && custom < MIN_CUSTOM_DURATION)
      throw bad(`a custom period lasts at least ${MIN_CUSTOM_DURATION} seconds (got ${custom})`);
    const cpw = p.chargesPerWeek ?? 0;
    if (cpw < 0 || cpw > 10080) throw bad(`charges per week ${cpw} must be 0..10080`);
    const end = p.end && p.end > p.start ? p.end : periodEnd(p.type, p.start, 0, p.start, custom, this.tz());
    return this.db.tx(async (trx) => {
      const [id] = await trx('discount_periods').insert({
        static_id: 0,
        start_date: p.start,
        end_date: end,
        periodic_type: p.type,
        custom_duration: custom,
        charges_per_week: cpw,
        invoice_month: p.invoiceMonth ?? 0,
        anchor: p.start,
        ordinal: 0,
      });
      const pid = Number(id);
      await trx('discount_periods')
        .where({ id: pid })
        .update({ static_id: p.staticId && p.staticId > 0 ? p.staticId : pid });
      return pid;
    });
  }

  async period(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<Period | undefined> {
    const r = await k('discount_periods').where({ id }).first();
    return r ? toPeriod(r) : undefined;
  }

  async periods(all: boolean): Promise<Period[]> {
    const q = this.db.knex('discount_periods').orderBy('id');
    const rows: Record<string, unknown>[] = all ? await q : await q.where({ is_closed: false });
    return rows.map(toPeriod);
  }

  /** The period that follows `p` in its chain, created now. */
  async createNext(trx: Knex.Transaction, p: Period): Promise<Period> {
    const ordinal = p.ordinal + 1;
    const end = periodEnd(p.type, p.anchor, ordinal, p.end, p.customDuration, this.tz());
    const [id] = await trx('discount_periods').insert({
      static_id: p.staticId,
      start_date: p.end,
      end_date: end,
      periodic_type: p.type,
      custom_duration: p.customDuration,
      charges_per_week: p.chargesPerWeek,
      invoice_month: p.invoiceMonth,
      anchor: p.anchor,
      ordinal,
    });
    await trx('discount_periods')
      .where({ id: p.id })
      .update({ next_id: Number(id), is_closed: true });
    return (await this.period(Number(id), trx))!;
  }

  /** Moves an open period's end (a period expired early ends now). */
  async moveEnd(id: number, end: number): Promise<void> {
    await this.db.knex('discount_periods').where({ id }).update({ end_date: end });
  }

  // ---- services ----

  async service(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<ServiceRow | undefined> {
    const r = await k('services').where({ id, is_deleted: false }).first();
    return r ? toService(r) : undefined;
  }

  async services(which = -1): Promise<ServiceRow[]> {
    let q = this.db.knex('services').where({ is_deleted: false });
    if (which >= 0) q = q.andWhere({ service_type: which });
    return ((await q.orderBy('id')) as Record<string, unknown>[]).map(toService);
  }

  private checkService(s: NewService): void {
    if (!s.name.trim()) throw bad('a service needs a name');
    if (!(s.type >= ServiceType.ONCE && s.type <= ServiceType.VOD)) throw bad(`service type ${s.type} must be 1..8`);
    const m = s.method ?? ChargeMethod.AT_START;
    if (![1, 2, 3].includes(m)) throw bad(`charge method ${m} must be 1 at the start, 2 at the end or 3 flow`);
  }

  private columns(s: NewService) {
    return {
      name: s.name,
      comment: s.comment ?? '',
      service_type: s.type,
      status: s.status,
      parent_id: s.parentId ?? 0,
      tariff_id: s.tariffId ?? 0,
      link_by_default: s.linkByDefault ?? false,
      multiple_linking: s.multipleLinking ?? false,
      cost: s.cost,
      discount_method: s.method ?? ChargeMethod.AT_START,
      scheme_id: s.schemeId ?? 0,
      policy_id: s.policyId ?? 0,
      start_date: s.startDate ?? 0,
      expire_date: s.expireDate ?? 2000000000,
      contract_type: s.contractType ?? 0,
      drop_from_group: s.dropFromGroup ?? 0,
    };
  }

  /**
   * Adds a service. A tariff plan service (tariffId > 0) must come from a template (parentId), one per template per
   * plan, and takes the template's parameters where not given.
   */
  async addService(s: NewService): Promise<number> {
    this.checkService(s);
    if ((s.tariffId ?? 0) > 0) {
      const tpl = await this.service(s.parentId ?? 0);
      if (!tpl || tpl.status !== ServiceStatus.TEMPLATE)
        throw bad(`a tariff plan service must be made from a template (parent_id ${s.parentId ?? 0} is not one)`);
      if (tpl.type !== s.type) throw bad(`the service type ${s.type} differs from its template's ${tpl.type}`);
      const clash = await this.db
        .knex('services')
        .where({ tariff_id: s.tariffId, parent_id: tpl.id, is_deleted: false })
        .first('id');
      if (clash) throw bad(`tariff plan ${s.tariffId} already has a service (${clash.id}) from template ${tpl.id}`);
      if (!(await this.db.knex('tariffs').where({ id: s.tariffId, is_deleted: false }).first('id')))
        throw bad(`no tariff plan ${s.tariffId}`);
    }
    const [id] = await this.db
      .knex('services')
      .insert(this.columns({ ...s, status: (s.tariffId ?? 0) > 0 ? ServiceStatus.TARIFF : s.status }));
    return Number(id);
  }

  async editService(id: number, s: NewService): Promise<void> {
    this.checkService(s);
    const cur = await this.service(id);
    if (!cur) throw bad(`no service ${id}`);
    if ((s.schemeId ?? 0) !== cur.schemeId && (await this.used(id))) {
      throw bad(`service ${id} has service links: its coefficient scheme cannot change`);
    }
    await this.db
      .knex('services')
      .where({ id })
      .update(this.columns({ ...s, status: cur.status, type: cur.type }));
  }

  async used(serviceId: number): Promise<boolean> {
    return this.links.anyOfService(serviceId);
  }

  async removeService(id: number): Promise<void> {
    const cur = await this.service(id);
    if (!cur) throw bad(`no service ${id}`);
    if (await this.used(id)) throw new BillingError('UTM_IN_USE', `service ${id} has service links; remove them first`);
    if (
      cur.status === ServiceStatus.TEMPLATE &&
      (await this.db.knex('services').where({ parent_id: id, is_deleted: false }).first('id'))
    ) {
      throw new BillingError('UTM_IN_USE', `template ${id} has services made from it; remove them first`);
    }
    await this.db.knex('services').where({ id }).update({ is_deleted: true });
  }

  /**
   * Adds (prev undefined) or edits a service, then writes the part of its type in a transaction of its own. The part
   * lives in another module's catalog, so a refused part undoes the row: a refusal leaves nothing half-made.
   */
  async saveServiceWithPart(prev: ServiceRow | undefined, s: NewService, part: ServicePart): Promise<number> {
    let id: number;
    if (prev) await this.editService((id = prev.id), s);
    else id = await this.addService(s);
    try {
      await this.db.tx((trx) => part(trx, id));
    } catch (err) {
      if (prev) await this.editService(id, prev);
      else await this.removeService(id);
      throw err;
    }
    return id;
  }

  async setServicePolicy(id: number, policyId: number): Promise<void> {
    if (policyId && !(await this.db.knex('charge_policies').where({ id: policyId }).first()))
      throw bad(`no charge policy ${policyId}`);
    const n = await this.db.knex('services').where({ id, is_deleted: false }).update({ policy_id: policyId });
    if (n === 0) throw bad(`no service ${id}`);
  }

  async setMultipleLinking(id: number, on: boolean): Promise<void> {
    const n = await this.db.knex('services').where({ id, is_deleted: false }).update({ multiple_linking: on });
    if (n === 0) throw bad(`no service ${id}`);
  }

  // ---- tariff plans ----

  async addTariff(
    t: { name: string; comments: string; zeroBalance: boolean; expireDate?: number; isBlocked?: boolean },
    who: number,
  ): Promise<number> {
    if (!t.name.trim()) throw bad('a tariff plan needs a name');
    const now = this.now();
    const [id] = await this.db.knex('tariffs').insert({
      name: t.name,
      comments: t.comments,
      zero_balance: t.zeroBalance,
      expire_date: t.expireDate ?? 2000000000,
      is_blocked: t.isBlocked ?? false,
      create_date: now,
      who_create: who,
      change_date: now,
      who_change: who,
    });
    return Number(id);
  }

  async editTariff(
    id: number,
    t: { name: string; comments: string; zeroBalance: boolean; expireDate?: number; isBlocked?: boolean },
    who: number,
  ): Promise<void> {
    const n = await this.db
      .knex('tariffs')
      .where({ id, is_deleted: false })
      .update({
        name: t.name,
        comments: t.comments,
        zero_balance: t.zeroBalance,
        ...(t.expireDate ? { expire_date: t.expireDate } : {}),
        ...(t.isBlocked !== undefined ? { is_blocked: t.isBlocked } : {}),
        change_date: this.now(),
        who_change: who,
      });
    if (n === 0) throw bad(`no tariff plan ${id}`);
  }

  async tariff(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<Record<string, unknown> | undefined> {
    return k('tariffs').where({ id, is_deleted: false }).first();
  }

  async tariffs(): Promise<Record<string, unknown>[]> {
    return this.db
      .knex('tariffs as t')
      .leftJoin('system_users as c', 'c.id', 't.who_create')
      .leftJoin('system_users as m', 'm.id', 't.who_change')
      .where('t.is_deleted', false)
      .orderBy('t.id')
      .select('t.*', 'c.login as create_login', 'm.login as change_login');
  }

  async tariffServices(tariffId: number, k: Knex | Knex.Transaction = this.db.knex): Promise<ServiceRow[]> {
    return (
      (await k('services').where({ tariff_id: tariffId, is_deleted: false }).orderBy('id')) as Record<string, unknown>[]
    ).map(toService);
  }

  async removeTariff(id: number): Promise<void> {
    if (await this.tariffLinks.planInUse(id))
      throw new BillingError('UTM_IN_USE', `tariff plan ${id} has tariff links; unlink them first`);
    await this.db.tx(async (trx) => {
      await trx('services').where({ tariff_id: id }).update({ is_deleted: true });
      await trx('tariffs').where({ id }).update({ is_deleted: true });
    });
  }

  async delServiceFromTariff(tariffId: number, serviceId: number): Promise<void> {
    const s = await this.service(serviceId);
    if (!s || s.tariffId !== tariffId) throw bad(`service ${serviceId} is not in tariff plan ${tariffId}`);
    await this.removeService(serviceId);
  }

  // ---- charge policies ----

  async policies(): Promise<{ id: number; name: string; flags: number; timemarks: number[] }[]> {
    const rows: { id: number; name: string; flags: number; timemarks: string }[] = await this.db
      .knex('charge_policies')
      .orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      flags: Number(r.flags),
      timemarks: r.timemarks ? r.timemarks.split(',').map(Number) : [],
    }));
  }

  async savePolicy(id: number, p: { name: string; flags: number; timemarks: number[] }): Promise<number> {
    const row = {
      name: p.name,
      flags: p.flags,
      timemarks: p.timemarks.filter((x) => Number.isInteger(x) && x >= 0).join(','),
    };
    if (id > 0) {
      const n = await this.db.knex('charge_policies').where({ id }).update(row);
      if (n === 0) throw bad(`no charge policy ${id}`);
      return id;
    }
    const [nid] = await this.db.knex('charge_policies').insert(row);
    return Number(nid);
  }

  async removePolicy(id: number): Promise<void> {
    const used =
      (await this.db.knex('services').where({ policy_id: id, is_deleted: false }).first('id')) ??
      (await this.links.anyWithPolicy(id));
    if (used) throw new BillingError('UTM_IN_USE', `charge policy ${id} is in use`);
    await this.db.knex('charge_policies').where({ id }).delete();
  }

  // ---- coefficient schemes ----

  async schemeItems(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<CoeffItem[]> {
    const rows: { delay: number; duration: number; coeff_e6: number }[] = await k('coeff_scheme_items')
      .where({ scheme_id: id })
      .orderBy('delay');
    return rows.map((r) => ({ delay: Number(r.delay), duration: Number(r.duration), coeffE6: Number(r.coeff_e6) }));
  }

  async schemes(): Promise<
    { id: number; name: string; comment: string; create: number; change: number; items: CoeffItem[] }[]
  > {
    const rows: { id: number; name: string; comment: string; create_date: number; change_date: number }[] =
      await this.db.knex('coeff_schemes').orderBy('id');
    return Promise.all(
      rows.map(async (r) => ({
        id: Number(r.id),
        name: r.name,
        comment: r.comment,
        create: Number(r.create_date),
        change: Number(r.change_date),
        items: await this.schemeItems(Number(r.id)),
      })),
    );
  }

  /** Adds (id 0) or replaces a scheme; a changed scheme applies to new links only (links keep the one they got). */
  async saveScheme(id: number, name: string, comment: string, items: readonly CoeffItem[]): Promise<number> {
    for (const it of items) {
      if (it.delay < 0 || it.duration < 0 || !(it.coeffE6 >= 0))
        throw bad('coefficient items need delay >= 0, duration >= 0 and a coefficient >= 0');
    }
    const now = this.now();
    return this.db.tx(async (trx) => {
      let sid = id;
      if (sid > 0 && (await trx('coeff_schemes').where({ id: sid }).first())) {
        await trx('coeff_schemes').where({ id: sid }).update({ name, comment, change_date: now });
        await trx('coeff_scheme_items').where({ scheme_id: sid }).delete();
      } else {
        const [nid] = await trx('coeff_schemes').insert({ name, comment, create_date: now, change_date: now });
        sid = Number(nid);
      }
      if (items.length)
        await trx('coeff_scheme_items').insert(
          items.map((it) => ({ scheme_id: sid, delay: it.delay, duration: it.duration, coeff_e6: it.coeffE6 })),
        );
      return sid;
    });
  }

  async removeScheme(id: number): Promise<void> {
    const used = await this.links.serviceOfSchemeInUse(id);
    if (used !== undefined)
      throw new BillingError('UTM_IN_USE', `coefficient scheme ${id} is used by service ${used}, which has links`);
    await this.db.tx(async (trx) => {
      await trx('services').where({ scheme_id: id }).update({ scheme_id: 0 });
      await trx('coeff_scheme_items').where({ scheme_id: id }).delete();
      await trx('coeff_schemes').where({ id }).delete();
    });
  }

  // ---- time ranges ----

  async timeRanges(): Promise<(TimeRange & { entryIds: number[]; dayIds: number[] })[]> {
    const ranges: { id: number; name: string; priority: number }[] = await this.db.knex('time_ranges').orderBy('id');
    const entries: Record<string, number>[] = await this.db.knex('time_range_entries').orderBy('id');
    const days: Record<string, number>[] = await this.db.knex('time_range_days').orderBy('id');
    return ranges.map((r) => {
      const es = entries.filter((e) => Number(e['range_id']) === Number(r.id));
      const ds = days.filter((d) => Number(d['range_id']) === Number(r.id));
      return {
        id: Number(r.id),
        name: r.name,
        priority: Number(r.priority),
        entries: es.map((e) => ({
          secStart: Number(e['sec_start']),
          secStop: Number(e['sec_stop']),
          minStart: Number(e['min_start']),
          minStop: Number(e['min_stop']),
          hourStart: Number(e['hour_start']),
          hourStop: Number(e['hour_stop']),
          wdayStart: Number(e['wday_start']),
          wdayStop: Number(e['wday_stop']),
        })),
        days: ds.map((d) => ({ mday: Number(d['mday']), month: Number(d['month']) })),
        entryIds: es.map((e) => Number(e['id'])),
        dayIds: ds.map((d) => Number(d['id'])),
      };
    });
  }

  async saveTimeRange(
    id: number,
    name: string,
    priority: number,
    entries: readonly RangeEntry[],
    days: readonly RangeDay[],
  ): Promise<number> {
    for (const e of entries) {
      const ok =
        [e.secStart, e.secStop, e.minStart, e.minStop].every((v) => v >= 0 && v <= 59) &&
        [e.hourStart, e.hourStop].every((v) => v >= 0 && v <= 23) &&
        [e.wdayStart, e.wdayStop].every((v) => v >= 0 && v <= 6);
      if (!ok) throw bad('time range entries need seconds and minutes 0..59, hours 0..23 and weekdays 0..6');
    }
    for (const d of days)
      if (d.mday < 1 || d.mday > 31 || d.month < 1 || d.month > 12)
        throw bad('time range days need mday 1..31 and month 1..12');
    return this.db.tx(async (trx) => {
      let rid = id;
      if (rid > 0) {
        const n = await trx('time_ranges').where({ id: rid }).update({ name, priority });
        if (n === 0) throw bad(`no time range ${rid}`);
        await trx('time_range_entries').where({ range_id: rid }).delete();
        await trx('time_range_days').where({ range_id: rid }).delete();
      } else {
        const [nid] = await trx('time_ranges').insert({ name, priority });
        rid = Number(nid);
      }
      for (const e of entries) {
        await trx('time_range_entries').insert({
          range_id: rid,
          sec_start: e.secStart,
          sec_stop: e.secStop,
          min_start: e.minStart,
          min_stop: e.minStop,
          hour_start: e.hourStart,
          hour_stop: e.hourStop,
          wday_start: e.wdayStart,
          wday_stop: e.wdayStop,
        });
      }
      for (const d of days) await trx('time_range_days').insert({ range_id: rid, mday: d.mday, month: d.month });
      return rid;
    });
  }

  async removeTimeRange(id: number): Promise<void> {
    await this.db.tx(async (trx) => {
      await trx('time_range_entries').where({ range_id: id }).delete();
      await trx('time_range_days').where({ range_id: id }).delete();
      await trx('time_ranges').where({ id }).delete();
    });
  }
}
