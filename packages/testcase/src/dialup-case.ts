import { join } from 'node:path';
import type { RangeEntry } from '@utm5/common';
import { freePort } from '@utm5/common/testing';
import { ChargeMethod, type Core, PeriodType, ServiceStatus, ServiceType, emptyProfile } from '@utm5/core';
import { ACTOR, CASE_START, playMonths, runCase, type CaseOptions } from './case-harness';
import { runBin, waitUntil } from './programs';

const HOUR = 3600;
const SECRET = 'testcase';

/** The manual's "Dial-up access" case: per user, hours a day in the day range and as many in the night range; one price list and fee for all. */
export const DIALUP_USERS = [
  { login: 'dialup1', hoursPerDay: 0.1 },
  { login: 'dialup2', hoursPerDay: 0.2 },
  { login: 'dialup3', hoursPerDay: 0.3 },
] as const;
/** Conventional units per hour: day 08:00-19:59, night 20:00-07:59; and the monthly periodic fee. */
export const DIALUP_PRICES = { day: 1, night: 2, fee: 10 } as const;

/** Balances after each month, cumulative (the manual's "Rest" rows added up). */
export const DIALUP_MONTHS = [
  { month: '2003-04', days: 30, balances: [-19, -28, -37] },
  { month: '2003-05', days: 31, balances: [-38.3, -56.6, -74.9] },
  { month: '2003-06', days: 30, balances: [-57.3, -84.6, -111.9] },
] as const;

/**
 * Each day a user's day and night hours are one session across a range boundary, half on either side, so that the
 * core must split it to the second: across 20:00 (day into night) in April and June, across 08:00 (night into day,
 * where the night range's entry that wraps past midnight stops) in May. One boundary per month, so a session priced
 * whole at its start or its end shows in that month's balances instead of cancelling out.
 */
const BOUNDARIES = [20 * HOUR, 8 * HOUR] as const;

interface RadiusStats {
  connected: boolean;
  nas: number;
  logins: number;
}

/**
 * Runs the manual's dial-up test case: a core of its own on the test clock at 2003-04-01 with a fresh SQLite database
 * and free loopback ports, utm5_radius, and each day's connection time sent as real Accounting Start and Stop packets
 * by utm5_radgen; after each month's period closes, one balance line per user. Resolves true when all 9 balances equal
 * the manual's.
 */
export function runDialupCase(o: CaseOptions): Promise<boolean> {
  return runCase('dialup', o, async (env) => {
    const { dir, streamPort } = env;
    const accounts = await setUp(env.core);
    const [authPort, acctPort] = [await freePort(), await freePort()];
    const statsFile = join(dir, 'radius.stats.json');
    const radiusd = env.daemon<RadiusStats>(
      'utm5_radius',
      {
        core_host: '127.0.0.1',
        core_port: String(streamPort),
        radius_auth_host: '127.0.0.1',
        radius_auth_port: String(authPort),
        radius_acct_host: '127.0.0.1',
        radius_acct_port: String(acctPort),
        radius_spool_dir: join(dir, 'spool'),
        radius_stats_file: statsFile,
        radius_pid_file: join(dir, 'radius.pid'),
        radius_ping_interval: '1',
      },
      statsFile,
    );
    await radiusd.until(
      'utm5_radius to connect and load the NAS and logins',
      20_000,
      (s) => s.connected && s.nas >= 1 && s.logins >= DIALUP_USERS.length,
    );

    /** One Accounting-Request through utm5_radgen, as the NAS 127.0.0.1 sends it; radgen waits for the answer. */
    const acct = (status: 1 | 2, i: number, sid: string, eventTime: number, sessionTime?: number) =>
      runBin('utm5_radgen', [
        '-h',
        '127.0.0.1',
        '-p',
        String(acctPort),
        '-s',
        SECRET,
        '-c',
        '4',
        '-a',
        `0:1:0:${DIALUP_USERS[i]!.login}`,
        '-a',
        `0:40:1:${status}`,
        '-a',
        `0:44:0:${sid}`,
        '-a',
        `0:8:1:10.0.0.${i + 1}`,
        '-a',
        `0:55:1:${eventTime}`,
        ...(sessionTime === undefined ? [] : ['-a', `0:46:1:${sessionTime}`]),
      ]);
    const halves = DIALUP_USERS.map((u) => Math.round(u.hoursPerDay * HOUR));
    let stopped = 0;
    return playMonths(
      env,
      { name: 'dialup', what: 'sessions', months: DIALUP_MONTHS, users: DIALUP_USERS, accounts, o },
      async (day, dayStart, month) => {
        const boundary = dayStart + BOUNDARIES[month % 2]!;
        const sid = (i: number) => `${DIALUP_USERS[i]!.login}-${day + 1}`;
        // The clock at the first Start, then at the last Stop; each packet carries its own Event-Timestamp, and the
        // Stop its Acct-Session-Time, from which the core dates the session's start.
        await env.clock.set(boundary - Math.max(...halves));
        await Promise.all(halves.map((h, i) => acct(1, i, sid(i), boundary - h)));
        await env.clock.set(boundary + Math.max(...halves));
        await Promise.all(halves.map((h, i) => acct(2, i, sid(i), boundary + h, 2 * h)));
        stopped += DIALUP_USERS.length;
        await waitUntil(`day ${day + 1}'s sessions in the core`, 20_000, async () => {
          radiusd.check();
          const r = await env.core.db.knex('radius_sessions').where('stopped_at', '>', 0).count({ n: '*' }).first();
          return Number(r?.n ?? 0) >= stopped;
        });
      },
    );
  });
}

/** Per weekday, hh:mm:ss .. hh:mm:ss (a stop before the start runs into the next day). */
function daily(from: [number, number, number], to: [number, number, number]): RangeEntry[] {
  const wrap = to[0] * HOUR + to[1] * 60 + to[2] < from[0] * HOUR + from[1] * 60 + from[2] ? 1 : 0;
  return [0, 1, 2, 3, 4, 5, 6].map((d) => ({
    wdayStart: d,
    hourStart: from[0],
    minStart: from[1],
    secStart: from[2],
    wdayStop: (d + wrap) % 7,
    hourStop: to[0],
    minStop: to[1],
    secStop: to[2],
  }));
}

/** The case's reference data: a NAS, the day and night ranges, a monthly period from April 1, and per user a dial-up service and link. */
async function setUp(core: Core): Promise<number[]> {
  const tar = core.tariffication;
  const radius = core.radius;
  await radius.catalog.addNas({ name: 'testcase-nas', ip: '127.0.0.1', secret: SECRET });
  const day = await tar.catalog.saveTimeRange(0, 'day', 0, daily([8, 0, 0], [19, 59, 59]), []);
  const night = await tar.catalog.saveTimeRange(0, 'night', 0, daily([20, 0, 0], [7, 59, 59]), []);
  const period = await tar.addPeriod({ start: CASE_START, type: PeriodType.MONTHLY });
  const accounts: number[] = [];
  for (const u of DIALUP_USERS) {
    const svc = await tar.catalog.addService({
      name: `Dial-up ${u.login}`,
      type: ServiceType.DIALUP,
      status: ServiceStatus.COMMON,
      cost: DIALUP_PRICES.fee * 1e6,
      method: ChargeMethod.AT_END,
    });
    await core.db.tx((trx) =>
      radius.catalog.setDialupParams(trx, svc, {
        poolName: '',
        maxSessions: 0,
        isDynamic: false,
        prices: [
          { rangeId: day, pricePerHour: DIALUP_PRICES.day * 1e6 },
          { rangeId: night, pricePerHour: DIALUP_PRICES.night * 1e6 },
        ],
      }),
    );
    const made = await core.billing.users.add(ACTOR, {
      login: u.login,
      password: u.login,
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
    await tar.addPeriodicLink(ACTOR, { accountId: made.accountId, serviceId: svc, periodId: period }, (trx, id) =>
      radius.catalog.setDialupLink(trx, id, { login: u.login, password: u.login, allowedCid: '' }),
    );
    accounts.push(made.accountId);
  }
  radius.changed();
  await radius.settled();
  return accounts;
}
