'use strict';
// Our side of bench/netflow-ingest.js: utm5_core plus utm5_traffic_collector, both real processes started from
// bin/, the collector receiving NetFlow on 127.0.0.1:<port> with a socket buffer of <bufsize> bytes.
// Same shape as nfcapd-collector.js: startOurs(port, bufsize) -> { name, count(), stop(), info }.
// count() is the collector's `aggregated` counter (flows classified and added to the aggregate of a service link)
// from the JSON file it rewrites every second (tc_stats_file), read once the counter has stopped moving. It is
// cumulative: the bench takes the difference around each step, after the UDP queue has drained.
//
// Setup: a fresh SQLite database in a temp dir is first seeded through an in-process Core (as utm5_testcase's
// traffic case does): a catch-all traffic class (0.0.0.0/0 -> 0.0.0.0/0), a monthly period, an IP traffic service
// and one user whose link holds the IP group 10.0.0.0/10 (every customer address the generator uses; the other end
// is a public address), so that every record is classified and aggregated. That core is stopped, then
// bin/utm5_core runs on the same config and bin/utm5_traffic_collector logs in to it as `collector` (its default
// password works from loopback). Ready = the collector's stats say connected, with the class and the IP group.
//
// Throws (with the reason) when the collector is not there or does not come up; the bench then prints
// `ours: collector not available (<reason>)` and goes on with nfcapd alone.
// Still to check with the collector's author (WIRING):
//  - the stats fields used: aggregated, records, connected, tclasses, ipGroups (as packages/testcase reads them);
//  - commits: with the default commit interval (60 s) and buffer (10,000 aggregates) the collector sends batches
//    to the core during the run; the generator's 1,920 distinct records make at most that many aggregates;
//  - the seeding uses @utm5/core's in-process API (Core, traffic catalog, tariffication); a URFA script would do
//    the same against bin/utm5_core alone.
const { existsSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { readStats, startProc, waitUdpBound, sleep, tail, cfgText, writeCoreConfig } = require('./procs');

const ROOT = join(__dirname, '..', '..');
const CORE_BIN = join(ROOT, 'bin', 'utm5_core');
const CUSTOMERS = { ip: '10.0.0.0', mask: 10 };

/** The class, the service and the link, through the core's own API on an in-process core that is then stopped. */
async function seed(coreCfg, logFile) {
  const { SystemClock, createLogger, loadConfigFile } = require('@utm5/common');
  const {
    ChargeMethod,
    Core,
    PeriodType,
    ServiceStatus,
    ServiceType,
    coreConfig,
    emptyProfile,
  } = require('@utm5/core');
  const config = loadConfigFile(coreConfig, coreCfg).values;
  const log = createLogger({ program: 'utm5_core', params: { ...config, log_file_main: logFile } });
  const core = await Core.open({ config, log, clock: new SystemClock() });
  await core.start();
  try {
    const actor = { id: -1, login: 'bench' };
    await core.traffic.catalog.addTclass({
      id: 10,
      name: 'bench: everything',
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
    const d = new Date();
    const period = await core.tariffication.addPeriod({
      start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000,
      type: PeriodType.MONTHLY,
    });
    const svc = await core.tariffication.catalog.addService({
      name: 'bench IP traffic',
      type: ServiceType.IPTRAFFIC,
      status: ServiceStatus.COMMON,
      cost: 0,
      method: ChargeMethod.AT_END,
    });
    await core.db.tx((trx) =>
      core.traffic.catalog.setIpTrafficParams(trx, svc, {
        resetPrepaid: true,
        aggregationInterval: 0,
        isDynamic: false,
        sessionsLimit: 0,
        groups: [],
        prepaid: [],
        borders: [{ tclass: 10, size: 0, cost: 1 }],
      }),
    );
    const made = await core.billing.users.add(actor, {
      login: 'bench',
      password: 'bench',
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
    await core.traffic.addLink(actor, { accountId: made.accountId, serviceId: svc, periodId: period }, [CUSTOMERS]);
    await core.traffic.settled();
  } finally {
    await core.stop();
  }
}

async function startOurs(port, bufsize) {
  // UTM5_BENCH_COLLECTOR: another collector program to run instead (a stand-in, to try the harness).
  const standIn = process.env.UTM5_BENCH_COLLECTOR;
  const COLLECTOR_BIN = standIn || join(ROOT, 'bin', 'utm5_traffic_collector');
  if (!existsSync(COLLECTOR_BIN))
    throw new Error(`${standIn ? COLLECTOR_BIN : 'bin/utm5_traffic_collector'} does not exist yet`);
  if (!standIn && !existsSync(join(ROOT, 'packages', 'collector', 'dist', 'main.js'))) {
    throw new Error('packages/collector is not built (npx tsc -b)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'utm5-bench-ours-'));
  const procs = [];
  const statsFile = join(dir, 'collector.stats.json');
  const info = { pids: {}, last: undefined, notes: [] };
  const cleanup = async () => {
    for (const p of [...procs].reverse()) await p.stop(10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { coreCfg, streamPort } = await writeCoreConfig(dir);
    try {
      await seed(coreCfg, join(dir, 'seed.log'));
    } catch (e) {
      throw new Error(`seeding the core's database failed: ${e.message}`);
    }
    const core = startProc('utm5_core', process.execPath, [CORE_BIN, '-c', coreCfg], { cwd: dir });
    procs.push(core);
    info.pids.core = core.pid;
    await core.waitForOutput(/\bstarted, pid \d+/, 60_000);

    const tcCfg = join(dir, 'utm5_traffic_collector.cfg');
    writeFileSync(
      tcCfg,
      cfgText({
        core_host: '127.0.0.1',
        core_port: streamPort,
        tc_login: 'collector',
        tc_password: 'collector',
        tc_name: 'traffic_collector',
        nfbuffer_host: '127.0.0.1',
        nfbuffer_port: port,
        nfbuffer_bufsize: bufsize,
        tc_stats_file: statsFile,
        tc_spool_dir: join(dir, 'spool'),
        tc_pid_file: join(dir, 'collector.pid'),
        log_level: 2,
        log_file_debug: join(dir, 'collector.debug.log'),
        log_file_critical: join(dir, 'collector.crit.log'),
      }),
    );
    const tc = startProc('utm5_traffic_collector', process.execPath, [COLLECTOR_BIN, '-c', tcCfg], { cwd: dir });
    procs.push(tc);
    info.pids.collector = tc.pid;
    await waitUdpBound(port, tc, 60_000);
    const t0 = Date.now();
    for (;;) {
      const s = readStats(statsFile);
      // Fields absent from the stats (a stand-in collector) are not waited for.
      if (s && s.connected !== false && (s.tclasses ?? 1) >= 1 && (s.ipGroups ?? 1) >= 1) break;
      if (!tc.alive()) throw new Error(`utm5_traffic_collector exited (${await tc.exited}): ${tail(tc.output())}`);
      if (Date.now() - t0 > 30_000) {
        throw new Error(
          `utm5_traffic_collector not ready in 30 s (stats: ${s ? JSON.stringify(s) : `no ${statsFile}`}): ${tail(tc.output())}`,
        );
      }
      await sleep(100);
    }
  } catch (e) {
    await cleanup();
    throw e;
  }

  return {
    name: 'ours',
    info,
    /** The settled `aggregated` counter: read until a fresh rewrite of the stats file repeats it (at most 20 s). */
    async count() {
      const tc = procs[1];
      if (!tc.alive()) throw new Error(`utm5_traffic_collector exited (${await tc.exited}): ${tail(tc.output())}`);
      let prev = readStats(statsFile);
      const end = Date.now() + 20_000;
      while (Date.now() < end) {
        await sleep(250);
        const cur = readStats(statsFile);
        if (!cur || !prev || cur.mtimeMs === prev.mtimeMs) {
          prev = prev || cur;
          continue;
        }
        if (cur.aggregated === prev.aggregated && cur.records === prev.records) {
          info.last = cur;
          return Number(cur.aggregated);
        }
        prev = cur;
      }
      info.last = prev;
      info.notes.push('stats file did not settle within 20 s');
      return Number(prev?.aggregated ?? 0);
    },
    stop: cleanup,
  };
}

module.exports = { startOurs };
