import type { Knex } from '@utm5/db';
import { badInput as bad } from '../billing/billing-error';
import { directionRepo } from './direction-repo';
import { zoneRepo } from './zone-repo';

type K = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/** One tariff class of a telephony service as its add/edit functions carry it. */
export interface TelClassDef {
  /** A zone id (> 0) or minus a direction id (< 0). */
  readonly tariffClass: number;
  /** From `border` seconds of the class's calls in the period on, prices are multiplied by `mult`. */
  readonly borders: readonly { border: number; mult: number }[];
  /** Micro-units per the service's time_unit_size seconds, per time range. */
  readonly prices: readonly { rangeId: number; price: number }[];
  /** Seconds per accounting period. */
  readonly prepaid: number;
  /** Micro-units per call. */
  readonly fixedCost: number;
}

/** The telephony part of a service (tel_services and its class tables). */
export interface TelServiceDef {
  readonly freeTime: number;
  readonly firstPeriodLength: number;
  readonly firstPeriodStep: number;
  readonly secondPeriodStep: number;
  readonly unitSize: number;
  readonly discountFreeTime: boolean;
  /** Micro-units per accounting period. */
  readonly minimumCharge: number;
  /** Simultaneous calls per link; 0 unlimited. */
  readonly maxSessions: number;
  readonly classes: readonly TelClassDef[];
}

const INT_MAX = 2_147_483_647;

function nonNegative(where: string, field: string, v: number, integer = true): void {
  if (!Number.isFinite(v) || v < 0 || (integer && (!Number.isInteger(v) || v > INT_MAX)))
    throw bad(`${where}: ${field} ${v} must be ${integer ? 'an integer ' : ''}>= 0`);
}

/** The name a class goes by in messages. */
export const className = (c: number): string => (c > 0 ? `zone ${c}` : `direction ${-c}`);

async function checkClass(trx: Knex.Transaction, where: string, c: TelClassDef): Promise<void> {
  const w = `${where}, tariff class ${c.tariffClass} (${className(c.tariffClass)})`;
  if (!Number.isInteger(c.tariffClass) || c.tariffClass === 0)
    throw bad(`${where}: tariff_class ${c.tariffClass} must be a zone id or minus a direction id`);
  if (c.tariffClass > 0) await zoneRepo.require(trx, c.tariffClass, w);
  else await directionRepo.require(trx, -c.tariffClass, w);
  const seen = new Set<number>();
  for (const b of c.borders) {
    nonNegative(w, 'border', b.border);
    nonNegative(w, `cost_mult of border ${b.border}`, b.mult, false);
    if (seen.has(b.border)) throw bad(`${w}: border ${b.border} is given twice`);
    seen.add(b.border);
  }
  const ranges = new Set<number>();
  for (const p of c.prices) {
    if (ranges.has(p.rangeId)) throw bad(`${w}: time range ${p.rangeId} is priced twice`);
    ranges.add(p.rangeId);
    if (!(await trx('time_ranges').where({ id: p.rangeId }).first('id'))) throw bad(`${w}: no time range ${p.rangeId}`);
    nonNegative(w, `cost of time range ${p.rangeId}`, p.price);
  }
  nonNegative(w, 'prepaid_array', c.prepaid);
  nonNegative(w, 'fixed_cost_array', c.fixedCost, false);
}

async function check(trx: Knex.Transaction, where: string, s: TelServiceDef): Promise<void> {
  nonNegative(where, 'free_time', s.freeTime);
  nonNegative(where, 'first_period_length', s.firstPeriodLength);
  nonNegative(where, 'first_period_step', s.firstPeriodStep);
  nonNegative(where, 'second_period_step', s.secondPeriodStep);
  nonNegative(where, 'time_unit_size', s.unitSize);
  if (s.unitSize === 0)
    throw bad(`${where}: time_unit_size must be at least 1 second (the price is per that many seconds)`);
  nonNegative(where, 'minimum_charge', s.minimumCharge, false);
  nonNegative(where, 'radius_sessions_limit', s.maxSessions);
  if (s.classes.length === 0)
    throw bad(`${where}: needs at least one tariff class (a zone or a direction with its prices)`);
  const seen = new Set<number>();
  for (const c of s.classes) {
    if (seen.has(c.tariffClass)) throw bad(`${where}: tariff class ${c.tariffClass} is given twice`);
    seen.add(c.tariffClass);
    await checkClass(trx, where, c);
  }
}

/** The telephony part of services: one row in tel_services, and per tariff class its prepaid time, prices, borders. */
export const telServiceRepo = {
  /** Replaces the telephony part of service `serviceId` (`where` names it in refusals). */
  async save(trx: Knex.Transaction, serviceId: number, where: string, s: TelServiceDef): Promise<void> {
    await check(trx, where, s);
    for (const t of ['tel_services', 'tel_service_classes', 'tel_service_prices', 'tel_service_borders'])
      await trx(t).where({ service_id: serviceId }).delete();
    await trx('tel_services').insert({
      service_id: serviceId,
      free_time: s.freeTime,
      first_period_length: s.firstPeriodLength,
      first_period_step: s.firstPeriodStep,
      second_period_step: s.secondPeriodStep,
      time_unit_size: s.unitSize,
      discount_free_time: s.discountFreeTime,
      minimum_charge: s.minimumCharge,
      max_sessions: s.maxSessions,
    });
    for (const c of s.classes) {
      const key = { service_id: serviceId, tariff_class: c.tariffClass };
      await trx('tel_service_classes').insert({ ...key, prepaid: c.prepaid, fixed_cost: Math.round(c.fixedCost) });
      for (const p of c.prices) await trx('tel_service_prices').insert({ ...key, range_id: p.rangeId, price: p.price });
      for (const b of c.borders)
        await trx('tel_service_borders').insert({ ...key, border: b.border, cost_mult: b.mult });
    }
  },

  /** The telephony part of a service, classes in the order of their keys (zones ascending, then directions). */
  async get(k: K, serviceId: number): Promise<TelServiceDef | undefined> {
    const r = await k('tel_services').where({ service_id: serviceId }).first();
    if (!r) return undefined;
    const where = { service_id: serviceId };
    const classes: Row[] = await k('tel_service_classes').where(where).orderBy('tariff_class');
    const prices: Row[] = await k('tel_service_prices').where(where).orderBy('range_id');
    const borders: Row[] = await k('tel_service_borders').where(where).orderBy('border');
    const of = (rows: Row[], c: number) => rows.filter((x) => Number(x['tariff_class']) === c);
    const order = (a: number, b: number) => (a > 0 && b > 0 ? a - b : a > 0 ? -1 : b > 0 ? 1 : b - a);
    return {
      freeTime: Number(r.free_time),
      firstPeriodLength: Number(r.first_period_length),
      firstPeriodStep: Number(r.first_period_step),
      secondPeriodStep: Number(r.second_period_step),
      unitSize: Number(r.time_unit_size),
      discountFreeTime: Boolean(r.discount_free_time),
      minimumCharge: Number(r.minimum_charge),
      maxSessions: Number(r.max_sessions),
      classes: classes
        .map((c) => Number(c['tariff_class']))
        .sort(order)
        .map((tc) => {
          const c = of(classes, tc)[0]!;
          return {
            tariffClass: tc,
            borders: of(borders, tc).map((b) => ({ border: Number(b['border']), mult: Number(b['cost_mult']) })),
            prices: of(prices, tc).map((p) => ({ rangeId: Number(p['range_id']), price: Number(p['price']) })),
            prepaid: Number(c['prepaid']),
            fixedCost: Number(c['fixed_cost']),
          };
        }),
    };
  },

  async isTelService(k: K, serviceId: number): Promise<boolean> {
    return Boolean(await k('tel_services').where({ service_id: serviceId }).first('service_id'));
  },
};
