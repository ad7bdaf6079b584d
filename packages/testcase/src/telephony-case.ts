import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PeriodType, emptyProfile, type Core } from '@utm5/core';
import { UrfaApi } from '@utm5/urfaclient';
import { ACTOR, runCase, type CaseOptions } from './case-harness';
import { BIN, startBin } from './programs';
import { naiveCost, type DayPart, type NaiveTariff } from './tel-naive-rater';

/** The case's time zone: the manual's customers are in Moscow (MSD, UTC+4, in July 2005). */
export const TEL_TIMEZONE = 'Europe/Moscow';
/** 2005-07-01 00:00 Moscow time: the case's clock starts here, with the links and their monthly period. */
export const TEL_START = 1_120_161_600;
/** 2005-07-31 23:00 Moscow time: the clock when the calls are imported (after every call of the month). */
const TEL_IMPORT_AT = 1_122_836_400;
const TEL_END = TEL_START + 31 * 86400;

/** The manual's zones in its order, with their prefixes. */
export const TEL_ZONES = [
  { name: 'Moscow', prefixes: ['7095'] },
  { name: 'Saint Petersburg', prefixes: ['7812'] },
  { name: 'MTS (mobile)', prefixes: ['7910', '7915', '7916', '7917'] },
  { name: 'Chelyabinsk', prefixes: ['7351'] },
  { name: 'Tyumen', prefixes: ['7345'] },
  { name: 'Italy', prefixes: ['81039'] },
  { name: 'France', prefixes: ['81033'] },
  { name: 'Sudan', prefixes: ['810249'] },
] as const;

const p = (night: number, day: number, weekend: number): Record<DayPart, number> => ({ night, day, weekend });
/** The manual's tariffs: rounding, unit and fee, and per zone the working-day night, working-day day and weekend prices. */
export const TEL_TARIFFS: readonly (NaiveTariff & { name: string; fee: number; number: string })[] = [
  {
    name: 'Tariff #1',
    number: '5409652',
    fee: 10,
    freeTime: 5,
    firstPeriodLength: 60,
    firstPeriodStep: 10,
    secondPeriodStep: 1,
    unitSize: 60,
    prices: [
      p(0.1, 0.2, 0.1),
      p(0.2, 0.4, 0.3),
      p(0.2, 0.3, 0.2),
      p(0.4, 0.6, 0.4),
      p(0.5, 0.8, 0.6),
      p(1, 1.3, 1.1),
      p(1.2, 1.6, 1.2),
      p(2.1, 2.9, 2.5),
    ],
  },
  {
    name: 'Tariff #2',
    number: '5409653',
    fee: 5,
    freeTime: 0,
    firstPeriodLength: 60,
    firstPeriodStep: 10,
    secondPeriodStep: 1,
    unitSize: 60,
    prices: [
      p(0.08, 0.15, 0.08),
      p(0.15, 0.22, 0.2),
      p(0.2, 0.3, 0.2),
      p(0.35, 0.5, 0.4),
      p(0.4, 0.7, 0.4),
      p(1.2, 1.5, 1.2),
      p(1.5, 1.9, 1.5),
      p(2.4, 3.1, 2.3),
    ],
  },
];

/**
 * The generated calls' start (Moscow local time) and duration: across 09:00, across midnight into a working day and
 * into and out of the weekend, within the free time, just over it, below, at and above the starting period, long.
 * 2005-07-01 was a Friday.
 */
const SCENARIOS: readonly [string, number][] = [
  ['2005-07-01 11:20:00', 730],
  ['2005-07-04 08:59:30', 95],
  ['2005-07-05 23:59:00', 150],
  ['2005-07-08 23:58:00', 300],
  ['2005-07-10 23:59:10', 125],
  ['2005-07-12 14:00:00', 4],
  ['2005-07-13 10:00:00', 5],
  ['2005-07-14 03:00:00', 6],
  ['2005-07-15 12:00:00', 59],
  ['2005-07-16 15:00:00', 60],
  ['2005-07-18 09:00:00', 61],
  ['2005-07-19 19:00:00', 1],
  ['2005-07-20 08:30:00', 3600],
];

/** One call of the generated file: the customer (tariff index), the zone index, and the line's fields. */
export interface CaseCall {
  readonly customer: number;
  readonly zone: number;
  readonly calling: string;
  readonly called: string;
  readonly local: string;
  readonly start: number;
  readonly duration: number;
}

/** Unix time of a Moscow local time of July 2005 (UTC+4 then). */
function moscow(local: string): number {
  return Date.parse(`${local.replace(' ', 'T')}+04:00`) / 1000;
}

/** The generated calls: every scenario twice per customer, to zones rotating so that every zone is called. */
export function caseCalls(): CaseCall[] {
  const calls: CaseCall[] = [];
  for (const [customer, t] of TEL_TARIFFS.entries()) {
    for (const pass of [1, 5]) {
      for (const [i, [local, duration]] of SCENARIOS.entries()) {
        const zone = (i + pass + customer) % TEL_ZONES.length;
        const prefixes = TEL_ZONES[zone]!.prefixes;
        const prefix = prefixes[i % prefixes.length]!;
        const called = `${prefix}${String(1_000_000 + i * 1000 + pass * 10 + customer)}`;
        calls.push({ customer, zone, calling: t.number, called, local, start: moscow(local), duration });
      }
    }
  }
  return calls;
}

/** The generated CDR file's format and the send_cdr keys that read it. */
const OWN_FORMAT: Record<string, string> = {
  pbx_calling_sid: '0',
  pbx_called_sid: '1',
  pbx_duration: '2',
  pbx_time: '3',
  pbx_time_format: '%Y-%N-%D %H:%M:%S',
  pbx_delimiter: ';',
  timezone: TEL_TIMEZONE,
};

export interface TelephonyCaseOptions extends CaseOptions {
  /** A CDR file of the sysadmin's own, imported with `cdrConfig` instead of the generated calls. */
  readonly cdr?: string;
  readonly cdrConfig?: string;
}

interface ReportedCall {
  id: number;
  account: number;
  calling: string;
  start: number;
  duration: number;
  rounded: number;
  cost: number;
  zoneId: number;
}

const LOCAL = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TEL_TIMEZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
/** A unix time as the case's local time, 2005-07-01T11:20:00. */
const fmt = (unix: number): string => LOCAL.format(new Date(unix * 1000)).replace(' ', 'T');

/**
 * Runs the manual's telephony test case: a core of its own (SQLite, loopback, test clock in July 2005, time zone
 * Europe/Moscow), zones, directions, time ranges, the two tariffs' telephony services and the customers' links with
 * their numbers set up over URFA, the calls imported by the real utm5_send_cdr, then rated calls read back over URFA
 * (rpcf_get_tel_report) and each call's cost checked against an independent naive rating, and each balance against
 * the calls' total plus the periodic fee.
 */
export function runTelephonyCase(o: TelephonyCaseOptions): Promise<boolean> {
  if ((o.cdr === undefined) !== (o.cdrConfig === undefined))
    return Promise.reject(
      new Error('--cdr and --cdr-config go together: the file and the send_cdr config that reads it'),
    );
  return runCase(
    'telephony',
    o,
    async (env) => {
      const api = await UrfaApi.open(join(BIN, '..', 'xml', 'api.xml'), {
        host: '127.0.0.1',
        port: env.urfaPort,
        login: 'init',
        password: 'init',
      });
      try {
        const setup = await setUp(env.core, api);
        await env.clock.set(TEL_IMPORT_AT);
        const own = o.cdr === undefined ? caseCalls() : [];
        const cdrFile = o.cdr ?? join(env.dir, 'src.cdr');
        if (o.cdr === undefined)
          writeFileSync(cdrFile, own.map((c) => `${c.calling};${c.called};${c.duration};${c.local}`).join('\n') + '\n');
        const cfg = join(env.dir, 'utm5_send_cdr.cfg');
        const format =
          o.cdrConfig === undefined
            ? Object.entries(OWN_FORMAT)
                .map(([k, v]) => `${k}=${v}`)
                .join('\n')
            : configWithoutConnection(o.cdrConfig);
        const connection = {
          core_host: '127.0.0.1',
          core_port: String(env.urfaPort),
          core_login: 'init',
          core_password: 'init',
        };
        writeFileSync(
          cfg,
          `${format}\n${Object.entries(connection)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n')}\n`,
        );
        o.progress?.(`importing ${cdrFile} through utm5_send_cdr`);
        const send = startBin('utm5_send_cdr', ['-c', cfg, '-s', cdrFile]);
        const code = await send.exited;
        o.progress?.(`utm5_send_cdr: ${send.output().trim()}`);
        if (code !== 0 && o.cdr === undefined)
          throw new Error(`utm5_send_cdr failed (${code}): ${send.output().trim()}`);
        return await check(env.core, api, setup, own, o);
      } finally {
        await api.close();
      }
    },
    { start: TEL_START, timezone: TEL_TIMEZONE },
  );
}

const CONNECTION_KEYS = ['core_host', 'core_port', 'core_login', 'core_password'];

/** The sysadmin's send_cdr config as it is, less its connection keys (the case's own core's replace them). */
function configWithoutConnection(path: string): string {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => !CONNECTION_KEYS.includes(line.split('=')[0]!.trim()))
    .join('\n');
}

interface SetUp {
  readonly zoneIds: number[];
  readonly accounts: number[];
  readonly users: number[];
}

/** A time range's entries per weekday (0 Sunday), from..to within the day. */
function entries(days: readonly number[], from: number, to: [number, number, number]) {
  return {
    sec_start: days.map(() => 0),
    sec_stop: days.map(() => to[2]),
    min_start: days.map(() => 0),
    min_stop: days.map(() => to[1]),
    hour_start: days.map(() => from),
    hour_stop: days.map(() => to[0]),
    wday_start: days.map((d) => d),
    wday_stop: days.map((d) => d),
    internal_id: [],
    mday: [],
    month: [],
  };
}

const WORKDAYS = [1, 2, 3, 4, 5];
const WEEKEND = [6, 0];

async function setUp(core: Core, api: UrfaApi): Promise<SetUp> {
  const num = async (name: string, inputs: Parameters<UrfaApi['call']>[1], out: string): Promise<number> => {
    const v = Number((await api.call(name, inputs)).get(out));
    if (!(v > 0)) throw new Error(`${name} refused the case's reference data (${out}=${v})`);
    return v;
  };
  const zoneIds: number[] = [];
  for (const z of TEL_ZONES) {
    const zone = await num('rpcf_add_tel_zone', { name: z.name, zone_type: 0 }, 'zone_id');
    zoneIds.push(zone);
    for (const prefix of z.prefixes)
      await num(
        'rpcf_add_tel_direction',
        { zone_id: zone, name: `${z.name} ${prefix}`, called_prefix: prefix, dir_type: 0 },
        'dir_id',
      );
  }
  const ranges: Record<DayPart, ReturnType<typeof entries>> = {
    night: entries(WORKDAYS, 0, [8, 59, 59]),
    day: entries(WORKDAYS, 9, [23, 59, 59]),
    weekend: entries(WEEKEND, 0, [23, 59, 59]),
  };
  for (const [name, e] of Object.entries(ranges))
    await api.call('rpcf_add_time_range', { tr_name: `tel ${name}`, priority: 1, ...e });
  const got = await api.call('rpcf_get_time_ranges');
  const rangeId = (name: string): number => {
    for (let i = 0; i < Number(got.get('size_tr')); i++)
      if (got.get('tr_name', [i]) === `tel ${name}`) return Number(got.get('range_id', [i]));
    throw new Error(`time range 'tel ${name}' not found after rpcf_add_time_range`);
  };
  const parts: DayPart[] = ['night', 'day', 'weekend'];
  const rangeIds = parts.map(rangeId);
  const period = await core.tariffication.addPeriod({ start: TEL_START, type: PeriodType.MONTHLY });
  const accounts: number[] = [];
  const users: number[] = [];
  for (const [i, t] of TEL_TARIFFS.entries()) {
    const service = await num(
      'rpcf_add_tel_service',
      {
        parent_id: 0,
        tariff_id: 0,
        service_name: t.name,
        comment: "the manual's telephony test case",
        link_by_default: 0,
        is_dynamic: 0,
        contract_type: 0,
        service_cost: t.fee,
        discount_method: 1,
        radius_sessions_limit: 0,
        tariff_class_count: zoneIds.length,
        tariff_class: zoneIds,
        border_count_array: zoneIds.map(() => 0),
        border: zoneIds.map(() => []),
        cost_mult: zoneIds.map(() => []),
        timerange_count_array: zoneIds.map(() => parts.length),
        timerange_id: zoneIds.map(() => rangeIds),
        cost: t.prices.map((pr) => parts.map((d) => pr[d])),
        prepaid_array: zoneIds.map(() => 0),
        fixed_cost_array: zoneIds.map(() => 0),
        free_time: t.freeTime,
        first_period_length: t.firstPeriodLength,
        first_period_step: t.firstPeriodStep,
        second_period_step: t.secondPeriodStep,
        time_unit_size: t.unitSize,
        discount_free_time: 0,
        minimum_charge: 0,
      },
      'service_id',
    );
    const made = await core.billing.users.add(ACTOR, {
      login: `tel${i + 1}`,
      password: `tel${i + 1}`,
      profile: emptyProfile(810),
      params: [],
      groups: [],
      account: {
        balance: 0,
        credit: 0,
        vatRateE6: 0,
        saleTaxRateE6: 0,
        intStatus: true,
        unlimited: false,
        autoEnableInet: true,
        externalId: '',
        isBlocked: 0,
      },
    });
    await num(
      'rpcf_add_tel_service_link',
      {
        user_id: made.userId,
        account_id: made.accountId,
        service_id: service,
        tplink_id: 0,
        discount_period_id: period,
        start_date: TEL_START,
        expire_date: TEL_END + 365 * 86400,
        policy_id: 0,
        recalc_fee: 0,
        login_count: 1,
        login: [''],
        number: [t.number],
        incoming_trunk: [''],
        outgoing_trunk: [''],
        pbx_id: [''],
        password: [''],
        allowed_cid: [''],
      },
      'slink_id',
    );
    accounts.push(made.accountId);
    users.push(made.userId);
  }
  return { zoneIds, accounts, users };
}

/** The rated calls of an account over rpcf_get_tel_report, parts summed per call. */
async function reportedCalls(api: UrfaApi, account: number, user: number): Promise<ReportedCall[]> {
  const r = await api.call('rpcf_get_tel_report', {
    user_id: user,
    account_id: account,
    apid: 0,
    time_start: 0,
    time_end: 2 ** 31 - 1,
  });
  const byId = new Map<number, ReportedCall>();
  for (let i = 0; i < Number(r.get('dhs_log_size')); i++) {
    for (let j = 0; j < Number(r.get('count', [i]) ?? r.get('count_array', [i])); j++) {
      const at = [i, j];
      const id = Number(r.get('id', at));
      const start = Number(r.get('start_time', at));
      const c = byId.get(id) ?? {
        id,
        account: Number(r.get('account_id', at)),
        calling: r.get('Calling_Station_Id', at) ?? '',
        start,
        duration: Number(r.get('acct_sess_time', at)),
        rounded: 0,
        cost: 0,
        zoneId: Number(r.get('zone_id', at)),
      };
      c.start = Math.min(c.start, start);
      c.rounded += Number(r.get('duration', at));
      c.cost += Number(r.get('sum_cost', at));
      byId.set(id, c);
    }
  }
  return [...byId.values()].sort((a, b) => a.start - b.start || a.id - b.id);
}

const EPS = 0.0005;

async function check(
  core: Core,
  api: UrfaApi,
  setup: SetUp,
  own: readonly CaseCall[],
  o: TelephonyCaseOptions,
): Promise<boolean> {
  const bad: string[] = [];
  for (const [i, t] of TEL_TARIFFS.entries()) {
    const calls = (await reportedCalls(api, setup.accounts[i]!, setup.users[i]!)).filter(
      (c) => c.account === setup.accounts[i],
    );
    let total = 0;
    for (const c of calls) {
      const zone = setup.zoneIds.indexOf(c.zoneId);
      total += c.cost;
      const zname = zone >= 0 ? `${TEL_ZONES[zone]!.name} (${zone + 1})` : `none (${c.zoneId})`;
      o.out(
        `call number=${t.number} start=${fmt(c.start)} duration=${c.duration} rounded=${c.rounded} cost=${c.cost.toFixed(3)} zone=${zname}`,
      );
      if (zone < 0) continue;
      const want = naiveCost(t, zone, c.start, c.duration, TEL_TIMEZONE);
      if (Math.abs(want.cost - c.cost) > EPS || want.rounded !== c.rounded)
        bad.push(
          `number=${t.number} start=${fmt(c.start)} duration=${c.duration}: core rounded=${c.rounded} cost=${c.cost.toFixed(6)}, naive rounded=${want.rounded} cost=${want.cost.toFixed(6)}`,
        );
    }
    o.out(`total number=${t.number} cost=${total.toFixed(3)}`);
    for (const w of own.filter((x) => x.customer === i)) {
      const got = calls.find(
        (c) => c.start === w.start && c.duration === w.duration && c.zoneId === setup.zoneIds[w.zone],
      );
      if (!got)
        bad.push(
          `number=${t.number} start=${w.local} duration=${w.duration} to ${w.called}: not rated in zone ${TEL_ZONES[w.zone]!.name}`,
        );
    }
    const balance = (await core.billing.accounts.get(setup.accounts[i]!))!.balance / 1e6;
    const want = -(total + t.fee);
    o.out(`balance number=${t.number} balance=${balance.toFixed(3)}`);
    if (Math.abs(balance - want) > EPS)
      bad.push(`number=${t.number}: balance ${balance.toFixed(6)}, calls' total plus fee make ${want.toFixed(6)}`);
  }
  for (const b of bad) o.out(`differs: ${b}`);
  o.out(bad.length === 0 ? 'telephony test case passed' : `telephony test case FAILED: ${bad.length} differences`);
  return bad.length === 0;
}
