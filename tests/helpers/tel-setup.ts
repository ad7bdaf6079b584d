import { TestClock, SystemClock } from '@utm5/common';
import { PeriodType, ServiceStatus, ServiceType, emptyProfile } from '@utm5/core';
import { withCore } from './core-db';
import type { CoreInstance } from './core-instance';
import { PLAIN_ACCOUNT } from './traffic-setup';

const ACTOR = { id: -1, login: 'test' };

export interface TelUser {
  /** The link's number (ending in '#': a tech prefix). */
  readonly number: string;
  readonly balance: number;
}

/**
 * Sets up telephony on a stopped test core's database through the core's API and straight table writes (the
 * telephony catalog's URFA functions are not used here): a monthly period from `start`, an all-week time range, a
 * zone 'mobile' (international, called prefix 7) at `price` micro-units a minute with a border at 120 s (x0.5), a
 * zone 'city' (local, prefix 4) at twice that, one telephony service, and per user an account linked to it with
 * its number.
 */
export async function setUpTelephony(
  inst: CoreInstance,
  users: readonly TelUser[],
  start: number,
  price: number,
): Promise<{ accounts: number[]; slinks: number[]; zones: { mobile: number; city: number } }> {
  return withCore(
    inst,
    async (core) => {
      const k = core.db.knex;
      const period = await core.tariffication.addPeriod({ start, type: PeriodType.MONTHLY });
      const range = await core.tariffication.catalog.saveTimeRange(
        0,
        'all week',
        1,
        [{ wdayStart: 0, hourStart: 0, minStart: 0, secStart: 0, wdayStop: 6, hourStop: 23, minStop: 59, secStop: 59 }],
        [],
      );
      const [mobile] = await k('tel_zones').insert({ name: 'mobile', zone_type: 3 });
      const [city] = await k('tel_zones').insert({ name: 'city', zone_type: 0 });
      await k('tel_directions').insert([
        { zone_id: mobile, name: 'mobile 7', called_prefix: '7' },
        { zone_id: city, name: 'city 4', called_prefix: '4' },
      ]);
      const svc = await core.tariffication.catalog.addService({
        name: 'telephony',
        type: ServiceType.TELEPHONY,
        status: ServiceStatus.COMMON,
        cost: 0,
      });
      await k('tel_services').insert({ service_id: svc, time_unit_size: 60 });
      for (const [zone, p] of [
        [Number(mobile), price],
        [Number(city), 2 * price],
      ] as const) {
        await k('tel_service_classes').insert({ service_id: svc, tariff_class: zone });
        await k('tel_service_prices').insert({ service_id: svc, tariff_class: zone, range_id: range, price: p });
      }
      await k('tel_service_borders').insert({ service_id: svc, tariff_class: mobile, border: 120, cost_mult: 0.5 });
      const accounts: number[] = [];
      const slinks: number[] = [];
      for (const [i, u] of users.entries()) {
        const made = await core.billing.users.add(ACTOR, {
          login: `teluser${i}`,
          password: `teluser${i}`,
          profile: emptyProfile(810),
          params: [],
          groups: [],
          account: { ...PLAIN_ACCOUNT, balance: Math.round(u.balance * 1e6) },
        });
        const slink = await core.tariffication.addPeriodicLink(ACTOR, {
          accountId: made.accountId,
          serviceId: svc,
          periodId: period,
        });
        await k('tel_numbers').insert({ slink_id: slink, number: u.number });
        accounts.push(made.accountId);
        slinks.push(slink);
      }
      return { accounts, slinks, zones: { mobile: Number(mobile), city: Number(city) } };
    },
    (config) => (config.test_clock ? new TestClock(start) : new SystemClock()),
  );
}

/** One number of a telephony link as rpcf_add_tel_service_link takes it (trunks, PBX id and allowed CID empty). */
export interface TelLinkNumber {
  readonly login: string;
  readonly number: string;
  readonly password?: string;
}

/** rpcf_add_tel_service_link's input: `service` linked to an account from `start` on, with its numbers. */
export function telLinkInput(
  ids: { user: string; account: string; service: number; period: string },
  start: number,
  numbers: readonly TelLinkNumber[],
) {
  const each = (f: (n: TelLinkNumber) => string) => numbers.map(f);
  return {
    user_id: ids.user,
    account_id: ids.account,
    service_id: ids.service,
    tplink_id: 0,
    discount_period_id: ids.period,
    start_date: start,
    expire_date: 2000000000,
    policy_id: 0,
    recalc_fee: 0,
    login_count: numbers.length,
    login: each((n) => n.login),
    number: each((n) => n.number),
    incoming_trunk: each(() => ''),
    outgoing_trunk: each(() => ''),
    pbx_id: each(() => ''),
    password: each((n) => n.password ?? ''),
    allowed_cid: each(() => ''),
  };
}
