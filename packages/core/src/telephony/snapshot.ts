import type { TimeRange } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import { ServiceType } from '../tariffication/model';
import { loadTimeRange } from '../tariffication/time-range-rows';
import { DirectionIndex } from './directions';
import { NumberIndex } from './number-index';
import type {
  TelBorder,
  TelClassTariff,
  TelDirection,
  TelLink,
  TelNumber,
  TelTariff,
  TelZone,
  ZoneType,
} from './model';

/**
 * What rating and authorization read, in memory: zones, the direction index, every telephony service's tariff and the
 * numbers of live telephony links with their lookup index. Rebuilt after a change (TelephonyModule.changed); the call
 * pipeline re-reads the links it charges (their period moves at period close without a reload).
 */
export interface TelSnapshot {
  readonly zones: ReadonlyMap<number, TelZone>;
  readonly directions: DirectionIndex;
  /** By service id. */
  readonly tariffs: ReadonlyMap<number, TelTariff>;
  /** The numbers of live telephony links, by id. */
  readonly numbers: readonly TelNumber[];
  /** Live telephony links by slink id. */
  readonly links: ReadonlyMap<number, TelLink>;
  /** The numbers by number, login and tech prefix (rule 9 of the brief). */
  readonly index: NumberIndex;
}

export const EMPTY_SNAPSHOT: TelSnapshot = {
  zones: new Map(),
  directions: new DirectionIndex([]),
  tariffs: new Map(),
  numbers: [],
  links: new Map(),
  index: new NumberIndex([]),
};

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v ?? 0);
const str = (v: unknown): string => String(v ?? '');

/** A class's key in per-service maps. */
const classKey = (serviceId: number, tariffClass: number) => `${serviceId}:${tariffClass}`;

function toDirection(r: Row): TelDirection {
  return {
    id: num(r['id']),
    zoneId: num(r['zone_id']),
    name: str(r['name']),
    calledPrefix: str(r['called_prefix']),
    callingPrefix: str(r['calling_prefix']),
    calledRegexp: Boolean(r['called_regexp']),
    callingRegexp: Boolean(r['calling_regexp']),
    incomingTrunk: str(r['incoming_trunk']),
    outgoingTrunk: str(r['outgoing_trunk']),
    pbxId: str(r['pbx_id']),
    skip: Boolean(r['skip']),
  };
}

export function toTelNumber(r: Row): TelNumber {
  return {
    id: num(r['id']),
    slinkId: num(r['slink_id']),
    login: str(r['login']),
    number: str(r['number']),
    incomingTrunk: str(r['incoming_trunk']),
    outgoingTrunk: str(r['outgoing_trunk']),
    pbxId: str(r['pbx_id']),
    allowedCid: str(r['allowed_cid']),
  };
}

/** Every telephony service's tariff: its rounding, its classes with their prices, borders and prepaid time. */
async function loadTariffs(k: Knex): Promise<Map<number, TelTariff>> {
  const services: Row[] = await k('tel_services').orderBy('service_id');
  const classes: Row[] = await k('tel_service_classes');
  const prices: Row[] = await k('tel_service_prices');
  const borders: Row[] = await k('tel_service_borders').orderBy('border');
  const emergency: Row[] = await k('tel_emergency');

  const ranges = new Map<number, TimeRange>();
  for (const id of new Set(prices.map((p) => num(p['range_id']))))
    ranges.set(id, { id, name: '', ...(await loadTimeRange(k, id)) });

  const priceOf = new Map<string, TelClassTariff['prices'][number][]>();
  for (const p of prices) {
    const key = classKey(num(p['service_id']), num(p['tariff_class']));
    (priceOf.get(key) ?? priceOf.set(key, []).get(key)!).push({
      range: ranges.get(num(p['range_id']))!,
      price: num(p['price']),
    });
  }
  const bordersOf = new Map<string, TelBorder[]>();
  for (const b of borders) {
    const key = classKey(num(b['service_id']), num(b['tariff_class']));
    (bordersOf.get(key) ?? bordersOf.set(key, []).get(key)!).push({
      border: num(b['border']),
      mult: num(b['cost_mult']),
    });
  }
  // A class is what any of the tables names: prices without a class row still price (no prepaid, no fixed cost).
  const classRows = new Map<string, Row>();
  for (const r of [...prices, ...borders]) {
    const key = classKey(num(r['service_id']), num(r['tariff_class']));
    if (!classRows.has(key)) classRows.set(key, { service_id: r['service_id'], tariff_class: r['tariff_class'] });
  }
  for (const c of classes) classRows.set(classKey(num(c['service_id']), num(c['tariff_class'])), c);
  const classesOf = new Map<number, Map<number, TelClassTariff>>();
  for (const [key, c] of classRows) {
    const sid = num(c['service_id']);
    const tc = num(c['tariff_class']);
    const m = classesOf.get(sid) ?? classesOf.set(sid, new Map()).get(sid)!;
    m.set(tc, {
      tariffClass: tc,
      prices: priceOf.get(key) ?? [],
      borders: bordersOf.get(key) ?? [],
      prepaid: num(c['prepaid']),
      fixedCost: num(c['fixed_cost']),
    });
  }
  const emergencyOf = new Map<number, Set<number>>();
  for (const e of emergency) {
    const sid = num(e['service_id']);
    (emergencyOf.get(sid) ?? emergencyOf.set(sid, new Set()).get(sid)!).add(num(e['zone_id']));
  }
  return new Map(
    services.map((s) => {
      const id = num(s['service_id']);
      const t: TelTariff = {
        serviceId: id,
        freeTime: num(s['free_time']),
        firstPeriodLength: num(s['first_period_length']),
        firstPeriodStep: num(s['first_period_step']),
        secondPeriodStep: num(s['second_period_step']),
        unitSize: num(s['time_unit_size']) || 60,
        discountFreeTime: Boolean(s['discount_free_time']),
        minimumCharge: num(s['minimum_charge']),
        maxSessions: num(s['max_sessions']),
        classes: classesOf.get(id) ?? new Map(),
        emergencyZones: emergencyOf.get(id) ?? new Set(),
      };
      return [id, t];
    }),
  );
}

/**
 * The live telephony links (not deleted, in an accounting period) with their current period: what rule 9 of the
 * brief may attribute a call to.
 */
export async function liveTelLinks(k: Knex | Knex.Transaction): Promise<Map<number, TelLink>> {
  const rows: Row[] = await k('service_links as l')
    .join('services as s', 's.id', 'l.service_id')
    .where({ 'l.is_deleted': false, 's.service_type': ServiceType.TELEPHONY })
    .andWhere('l.discount_period_id', '>', 0)
    .orderBy('l.id')
    .select('l.id', 'l.account_id', 'l.service_id', 'l.discount_period_id');
  return new Map(
    rows.map((r) => [
      num(r['id']),
      {
        slinkId: num(r['id']),
        accountId: num(r['account_id']),
        serviceId: num(r['service_id']),
        periodId: num(r['discount_period_id']),
      },
    ]),
  );
}

/** Reads the snapshot from the database. */
export async function loadSnapshot(db: Database, _timezone: string): Promise<TelSnapshot> {
  const k = db.knex;
  const zones = new Map<number, TelZone>(
    ((await k('tel_zones').where({ is_deleted: false }).orderBy('id')) as Row[]).map((r) => [
      num(r['id']),
      { id: num(r['id']), name: str(r['name']), type: num(r['zone_type']) as ZoneType },
    ]),
  );
  const dirs = ((await k('tel_directions').where({ is_deleted: false }).orderBy('id')) as Row[]).map(toDirection);
  const tariffs = await loadTariffs(k);
  const links = await liveTelLinks(k);
  const numbers = ((await k('tel_numbers').orderBy('id')) as Row[])
    .map(toTelNumber)
    .filter((n) => links.has(n.slinkId));
  return { zones, directions: new DirectionIndex(dirs), tariffs, numbers, links, index: new NumberIndex(numbers) };
}
