import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import { ChargeMethod, type Core, GroupType, PeriodType, ServiceStatus, ServiceType, emptyProfile } from '@utm5/core';
import { ACTOR, CASE_START, DAY, playMonths, runCase, type CaseOptions } from './case-harness';
import { runBin, waitUntil } from './programs';

const MB = 1_048_576;

/** The manual's "Traffic transmission" case: per user, prepaid MB, cost per MB of excess, periodic fee, daily MB per month. */
export const TRAFFIC_USERS = [
  { login: 'cli1', prepaid: 50, cost: 0.2, fee: 3, daily: [0.5, 1, 1.5] },
  { login: 'cli2', prepaid: 50, cost: 0.2, fee: 3, daily: [2, 2.5, 3] },
  { login: 'cli3', prepaid: 50, cost: 0.2, fee: 3, daily: [4, 5, 6] },
  { login: 'cli4', prepaid: 500, cost: 0.15, fee: 100, daily: [10, 20, 30] },
  { login: 'cli5', prepaid: 500, cost: 0.15, fee: 100, daily: [40, 50, 60] },
] as const;

export const TRAFFIC_MONTHS = [
  { month: '2003-04', days: 30, balances: [-3, -5, -17, -100, -205] },
  { month: '2003-05', days: 31, balances: [-6, -13.5, -41, -218, -462.5] },
  { month: '2003-06', days: 30, balances: [-9, -24.5, -70, -378, -757.5] },
] as const;

interface CollectorStats {
  connected: boolean;
  records: number;
  ipGroups: number;
  tclasses: number;
  unacknowledged: number;
  pendingAggregates: number;
}

/**
 * Runs the manual's traffic test case: a core of its own on the test clock at 2003-04-01 with a fresh SQLite
 * database and free loopback ports, utm5_traffic_collector, and each day's volume sent as real NetFlow by
 * utm5_flowgen; after each month's period closes, one balance line per user. Resolves true when all 15 balances
 * equal the manual's.
 */
export function runTrafficCase(o: CaseOptions): Promise<boolean> {
  return runCase('traffic', o, async (env) => {
    const { dir, streamPort } = env;
    const { accounts, bytesPerDay } = await setUp(env.core);
    const nfPort = await freePort();
    const statsFile = join(dir, 'collector.stats.json');
    const collector = env.daemon<CollectorStats>(
      'utm5_traffic_collector',
      {
        core_host: '127.0.0.1',
        core_port: String(streamPort),
        tc_login: 'collector',
        tc_password: 'collector',
        tc_name: 'traffic_collector',
        nfbuffer_host: '127.0.0.1',
        nfbuffer_port: String(nfPort),
        tc_spool_dir: join(dir, 'spool'),
        tc_stats_file: statsFile,
        tc_stats_interval_ms: '20',
        tc_pid_file: join(dir, 'collector.pid'),
      },
      statsFile,
    );
    await collector.until(
      'the collector to connect and load the IP groups',
      20_000,
      (s) => s.connected && s.ipGroups >= TRAFFIC_USERS.length && s.tclasses >= 1,
    );

    let flows = 0;
    let sent = 0;
    return playMonths(
      env,
      { name: 'traffic', what: 'traffic', months: TRAFFIC_MONTHS, users: TRAFFIC_USERS, accounts, o },
      async (day, dayStart, m) => {
        await env.clock.set(dayStart + DAY / 2);
        // One flow per user with the day's volume, from the Internet to the user's address.
        await Promise.all(
          TRAFFIC_USERS.map((_, i) =>
            runBin('utm5_flowgen', [
              '-h',
              '127.0.0.1',
              '-p',
              String(nfPort),
              '-v',
              '5',
              '-c',
              '1',
              '-s',
              '192.0.2.1',
              '-d',
              `10.1.0.${i + 1}`,
              '-b',
              String(bytesPerDay[m]![i]),
            ]),
          ),
        );
        flows += TRAFFIC_USERS.length;
        sent += bytesPerDay[m]!.reduce((a, b) => a + b, 0);
        await collector.until(`day ${day + 1}'s flows at the collector`, 10_000, (s) => s.records >= flows);
        collector.child.proc.kill('SIGHUP'); // commit now instead of at the commit interval
        await waitUntil(`day ${day + 1}'s traffic in the core`, 20_000, async () => {
          const r = await env.core.db.knex('traffic_stats').sum({ b: 'bytes' }).first();
          return Number(r?.b ?? 0) >= sent;
        });
      },
    );
  });
}

/** The case's reference data: the Internet class, a monthly period from April 1, and per user a service and a link. */
async function setUp(core: Core): Promise<{ accounts: number[]; bytesPerDay: number[][] }> {
  const traffic = core.traffic;
  const tar = core.tariffication;
  await traffic.catalog.addTclass({
    id: 1,
    name: 'Internet',
    subclasses: [
      {
        saddr: '0.0.0.0',
        saddrMask: 0,
        sport: 0,
        input: 0,
        srcAs: 0,
        daddr: '0.0.0.0',
        daddrMask: 0,
        dport: 0,
        output: 0,
        dstAs: 0,
        proto: 0,
        tos: 0,
        nexthop: '0.0.0.0',
        tcpFlags: 0,
        ipFrom: '0.0.0.0',
        nfproviderId: 0,
        useFlags: 0,
        skip: false,
      },
    ],
  });
  const period = await tar.addPeriod({ start: CASE_START, type: PeriodType.MONTHLY });
  const accounts: number[] = [];
  for (const [i, u] of TRAFFIC_USERS.entries()) {
    const svc = await tar.catalog.addService({
      name: `IP traffic ${u.login}`,
      type: ServiceType.IPTRAFFIC,
      status: ServiceStatus.COMMON,
      cost: Math.round(u.fee * 1e6),
      method: ChargeMethod.AT_END,
    });
    // Prepaid does not carry over in this case: reset at period end.
    await core.db.tx((trx) =>
      traffic.catalog.setIpTrafficParams(trx, svc, {
        resetPrepaid: true,
        aggregationInterval: 0,
        isDynamic: false,
        sessionsLimit: 0,
        groups: [] as { tclass: number; group: number; type: GroupType }[],
        borders: [{ tclass: 1, size: 0, cost: Math.round(u.cost * 1e6) }],
        prepaid: [{ tclass: 1, size: u.prepaid * MB, max: 0 }],
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
    await traffic.addLink(ACTOR, { accountId: made.accountId, serviceId: svc, periodId: period }, [
      { ip: `10.1.0.${i + 1}`, mask: 32 },
    ]);
    accounts.push(made.accountId);
  }
  // The collector commits on SIGHUP in this case; the interval only bounds a lost signal.
  await traffic.catalog.editCollector(1, { commitInterval: 1 });
  await traffic.settled();
  const bytesPerDay = TRAFFIC_MONTHS.map((_, m) => TRAFFIC_USERS.map((u) => Math.round(u.daily[m]! * MB)));
  return { accounts, bytesPerDay };
}
