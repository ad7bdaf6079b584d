import { nullLogger } from '@utm5/common';
import type { Knex } from '@utm5/db';
import type { Backend } from '@utm5/db/testing';
import { ServiceStatus, ServiceType } from '../tariffication/model';
import { PeriodType } from '../tariffication/period-calendar';
import { TelCalls } from '../telephony/calls';
import { MinimumCharge } from '../telephony/minimum-charge';
import type { CallRecord } from '../telephony/model';
import { loadSnapshot, type TelSnapshot } from '../telephony/snapshot';
import { TelReports } from '../telephony/tel-reports';
import { ADMIN, M, T0 } from './billing-fixture';
import { tarifFixture } from './tariffication-fixture';

/** A whole-week time range entry (every second of every day). */
export const ALL_WEEK = {
  wdayStart: 0,
  hourStart: 0,
  minStart: 0,
  secStart: 0,
  wdayStop: 6,
  hourStop: 23,
  minStop: 59,
  secStop: 59,
};

export interface TelServiceSpec {
  readonly freeTime?: number;
  readonly firstPeriodLength?: number;
  readonly firstPeriodStep?: number;
  readonly secondPeriodStep?: number;
  readonly unitSize?: number;
  readonly discountFreeTime?: boolean;
  readonly minimumCharge?: number;
  /** tariff class -> its prices by range id, borders (seconds -> mult), prepaid seconds, fixed cost. */
  readonly classes: readonly {
    readonly tariffClass: number;
    readonly prices: readonly { readonly rangeId: number; readonly price: number }[];
    readonly borders?: readonly { readonly border: number; readonly mult: number }[];
    readonly prepaid?: number;
    readonly fixedCost?: number;
  }[];
}

/** A call record with defaults for what a test does not name. */
export const call = (r: Partial<CallRecord>): CallRecord => ({
  calling: '',
  called: '',
  incomingTrunk: '',
  outgoingTrunk: '',
  sessionId: '',
  pbxId: '',
  login: '',
  disconnectCause: '',
  start: T0 + 3600,
  duration: 60,
  ...r,
});

/**
 * Billing, tariffication and the call pipeline on a fresh database of a backend, with the telephony tables written
 * straight (the telephony catalog's URFA functions are another helper's), for the pipeline's DB tests.
 */
export async function telFixture(backend: Backend, name: string) {
  const f = await tarifFixture({}, backend.fresh(name));
  const { db, b, t, clock } = f;
  await clock.set(T0 + 86_400);
  t.linkHooks.push(new MinimumCharge(t.charger));
  const period = await t.addPeriod({ start: T0, type: PeriodType.MONTHLY });
  let snap: TelSnapshot | undefined;
  const calls = new TelCalls({
    db,
    tariffication: t,
    billing: b,
    snapshot: () => snap!,
    clock,
    timezone: 'UTC',
    log: nullLogger,
  });
  let n = 0;
  const k: Knex = db.knex;
  return {
    db,
    k,
    b,
    t,
    clock,
    period,
    calls,
    reports: new TelReports(db),
    async reload() {
      snap = await loadSnapshot(db, 'UTC');
      return snap;
    },
    async range(name: string, priority: number, entries = [ALL_WEEK]) {
      return t.catalog.saveTimeRange(0, name, priority, entries, []);
    },
    async zone(name: string, type = 0) {
      const [id] = await k('tel_zones').insert({ name, zone_type: type });
      return Number(id);
    },
    async direction(d: { zoneId?: number; name?: string; called?: string; skip?: boolean; calledRegexp?: boolean }) {
      const [id] = await k('tel_directions').insert({
        zone_id: d.zoneId ?? 0,
        name: d.name ?? `dir ${d.called ?? ''}`,
        called_prefix: d.called ?? '',
        called_regexp: d.calledRegexp ?? false,
        skip: d.skip ?? false,
      });
      return Number(id);
    },
    async service(s: TelServiceSpec) {
      const id = await t.catalog.addService({
        name: `tel${++n}`,
        type: ServiceType.TELEPHONY,
        status: ServiceStatus.COMMON,
        cost: 0,
      });
      await k('tel_services').insert({
        service_id: id,
        free_time: s.freeTime ?? 0,
        first_period_length: s.firstPeriodLength ?? 0,
        first_period_step: s.firstPeriodStep ?? 1,
        second_period_step: s.secondPeriodStep ?? 1,
        time_unit_size: s.unitSize ?? 60,
        discount_free_time: s.discountFreeTime ?? false,
        minimum_charge: s.minimumCharge ?? 0,
      });
      for (const c of s.classes) {
        await k('tel_service_classes').insert({
          service_id: id,
          tariff_class: c.tariffClass,
          prepaid: c.prepaid ?? 0,
          fixed_cost: c.fixedCost ?? 0,
        });
        for (const p of c.prices)
          await k('tel_service_prices').insert({
            service_id: id,
            tariff_class: c.tariffClass,
            range_id: p.rangeId,
            price: p.price,
          });
        for (const x of c.borders ?? [])
          await k('tel_service_borders').insert({
            service_id: id,
            tariff_class: c.tariffClass,
            border: x.border,
            cost_mult: x.mult,
          });
      }
      return id;
    },
    /** A user with an account holding `balance` units and a link to the service with these numbers. */
    async link(
      serviceId: number,
      numbers: readonly { number?: string; login?: string; pbxId?: string }[],
      balance = 100,
    ) {
      const { accountId } = await f.user({ balance: M(balance) });
      const slinkId = await t.addPeriodicLink(ADMIN, { accountId, serviceId, periodId: period });
      for (const x of numbers)
        await k('tel_numbers').insert({
          slink_id: slinkId,
          number: x.number ?? '',
          login: x.login ?? '',
          pbx_id: x.pbxId ?? '',
        });
      return { accountId, slinkId };
    },
    /** Telephony charges of an account in micro-units, oldest first. */
    async charges(accountId: number) {
      const rows: Record<string, unknown>[] = await k('account_ledger')
        .where({ account_id: accountId, kind: 'charge', service_type: ServiceType.TELEPHONY })
        .orderBy('id');
      return rows.map((r) => -Number(r['amount'])).filter((x) => x !== 0);
    },
    done: () => f.done(),
  };
}

export type TelFixture = Awaited<ReturnType<typeof telFixture>>;
