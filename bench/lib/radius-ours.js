'use strict';
// Ours for bench/radius.js: bin/utm5_core and bin/utm5_radius, both real processes, set up as
// tests/helpers/radius-setup.ts and tests/radius.test.ts do for the tests, with the bench's users.
//
// Setup: a fresh SQLite database in a temp dir, seeded through an in-process Core (then stopped): the NAS
// 127.0.0.1 with the bench's secret, an "always" time range, a monthly period, one dial-up service (price 1.00 an
// hour around the clock) and per user an account (balance 1,000,000.00: money never cuts a session short),
// a user and a dial-up service link with the user's login and password. Accounts are `unlimited` (the account
// flag: the session time is not computed from the balance; Session-Timeout is radius_default_session_timeout,
// 86400, the fixed reply FreeRADIUS gives from its users file) unless the user is marked `priced`: then utm5_radius
// computes the seconds the balance pays for at the service's prices (capped at 86400) for every Access-Accept.
// Why dial-up and not IP traffic links: an Access-Accept for an IP traffic login holds the IP group's address for
// radius_ippool_acct_timeout (>= 1 s, default 30 s) until the Accounting-Start comes, so a /32 group can be
// authorized about once in 30 s; a PAP flood at one user per request would be rejects, not accepts.
// Then bin/utm5_core runs on that config and bin/utm5_radius (log_level=1) logs in to it as `radius` (its default
// password works from loopback). Ready = the daemon's stats file says connected, 1 NAS and every login.
//
// startOurs({ users, secret }) -> { name, authPort, acctPort, pids, stats(), waitStats(pred, ms), complaints(), stop() }
// stats(): the daemon's counters (radius_stats_file, rewritten every 200 ms): authRequests, accepts, rejects,
// acctRequests, acctResponses, eventsSpooled, eventsAcked, unacknowledged, connected, logins, ...
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { readStats, startProc, freeUdpPort, waitUdpBound, sleep, tail, cfgText, writeCoreConfig } = require('./procs');

const ROOT = join(__dirname, '..', '..');
const CORE_BIN = join(ROOT, 'bin', 'utm5_core');
const RADIUS_BIN = join(ROOT, 'bin', 'utm5_radius');
const ACTOR = { id: -1, login: 'bench' };

async function seed(coreCfg, logFile, users, secret) {
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
  const core = await Core.open({ config: { ...config, urfa_bind_host: [] }, log, clock: new SystemClock() });
  await core.start();
  try {
    const radius = core.radius;
    const tar = core.tariffication;
    await radius.catalog.addNas({ name: 'bench-nas', ip: '127.0.0.1', secret });
    const period = await tar.addPeriod({ start: Math.floor(Date.now() / 1000) - 3600, type: PeriodType.MONTHLY });
    const rangeId = await tar.catalog.saveTimeRange(
      0,
      'always',
      0,
      [{ wdayStart: 0, hourStart: 0, minStart: 0, secStart: 0, wdayStop: 6, hourStop: 23, minStop: 59, secStop: 59 }],
      [],
    );
    const svc = await tar.catalog.addService({
      name: 'bench dial-up',
      type: ServiceType.DIALUP,
      status: ServiceStatus.COMMON,
      cost: 0,
      method: ChargeMethod.AT_END,
    });
    await core.db.tx((trx) =>
      radius.catalog.setDialupParams(trx, svc, {
        poolName: '',
        maxSessions: 0,
        isDynamic: false,
        prices: [{ rangeId, pricePerHour: 1_000_000 }],
      }),
    );
    for (const u of users) {
      const made = await core.billing.users.add(ACTOR, {
        login: `${u.login}-user`,
        password: 'x',
        profile: emptyProfile(810),
        params: [],
        groups: [],
        account: {
          balance: 1_000_000 * 1e6,
          credit: 0,
          vatRateE6: 0,
          saleTaxRateE6: 0,
          intStatus: true,
          unlimited: !u.priced,
          autoEnableInet: true,
          externalId: '',
          isBlocked: 0,
        },
      });
      await tar.addPeriodicLink(ACTOR, { accountId: made.accountId, serviceId: svc, periodId: period }, (trx, id) =>
        radius.catalog.setDialupLink(trx, id, { login: u.login, password: u.password, allowedCid: '' }),
      );
    }
    radius.changed();
    await radius.settled();
  } finally {
    await core.stop();
  }
}

async function startOurs({ users, secret, onProgress = () => {} }) {
  for (const [bin, dist] of [
    [CORE_BIN, 'core'],
    [RADIUS_BIN, 'radiusd'],
  ]) {
    if (!existsSync(bin)) throw new Error(`${bin} does not exist`);
    if (!existsSync(join(ROOT, 'packages', dist, 'dist', 'main.js')))
      throw new Error(`packages/${dist} is not built (npx tsc -b)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'utm5-bench-radius-'));
  const procs = [];
  const statsFile = join(dir, 'radius.stats.json');
  const pids = {};
  const stop = async () => {
    for (const p of [...procs].reverse()) await p.stop(15_000);
    rmSync(dir, { recursive: true, force: true });
  };
  let radius;
  try {
    const { coreCfg, streamPort } = await writeCoreConfig(dir);
    const t0 = Date.now();
    try {
      await seed(coreCfg, join(dir, 'seed.log'), users, secret);
    } catch (e) {
      throw new Error(`seeding the core's database failed: ${e.message}`);
    }
    onProgress(`seeded ${users.length} dial-up users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // UTM5_BENCH_CORE_NODE_ARGS / UTM5_BENCH_RADIUS_NODE_ARGS: node options for utm5_core / utm5_radius, e.g.
    // "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where they spend their time (written when they stop).
    const nodeArgs = (name) => (process.env[`UTM5_BENCH_${name}_NODE_ARGS`] || '').split(/\s+/).filter(Boolean);
    const core = startProc('utm5_core', process.execPath, [...nodeArgs('CORE'), CORE_BIN, '-c', coreCfg], { cwd: dir });
    procs.push(core);
    pids.core = core.pid;
    await core.waitForOutput(/\bstarted, pid \d+/, 60_000);

    const authPort = await freeUdpPort();
    let acctPort = await freeUdpPort();
    while (acctPort === authPort) acctPort = await freeUdpPort();
    const radCfg = join(dir, 'radius5.cfg');
    writeFileSync(
      radCfg,
      cfgText({
        core_host: '127.0.0.1',
        core_port: streamPort,
        radius_auth_host: '127.0.0.1',
        radius_auth_port: authPort,
        radius_acct_host: '127.0.0.1',
        radius_acct_port: acctPort,
        radius_spool_dir: join(dir, 'spool'),
        radius_stats_file: statsFile,
        radius_pid_file: join(dir, 'radius.pid'),
        log_level: 1,
        log_file_debug: join(dir, 'radius.debug.log'),
        log_file_critical: join(dir, 'radius.crit.log'),
      }),
    );
    radius = startProc('utm5_radius', process.execPath, [...nodeArgs('RADIUS'), RADIUS_BIN, '-c', radCfg], {
      cwd: dir,
    });
    procs.push(radius);
    pids.radius = radius.pid;
    await waitUdpBound(authPort, radius, 60_000);
    const tw = Date.now();
    for (;;) {
      const s = readStats(statsFile);
      if (s && s.connected && s.nas >= 1 && s.logins === users.length) break;
      if (!radius.alive()) throw new Error(`utm5_radius exited (${await radius.exited}): ${tail(radius.output())}`);
      if (!core.alive()) throw new Error(`utm5_core exited (${await core.exited}): ${tail(core.output())}`);
      if (Date.now() - tw > 60_000) {
        throw new Error(
          `utm5_radius not ready in 60 s (stats: ${s ? JSON.stringify(s) : `no ${statsFile}`}): ${tail(radius.output())}`,
        );
      }
      await sleep(100);
    }
    return {
      name: 'ours',
      authPort,
      acctPort,
      pids,
      dir,
      stats: () => readStats(statsFile),
      /** Lines of the critical logs (levels 0..2: EMERG..CRIT) and ERROR/Warn lines of the main stream on stderr. */
      complaints: () =>
        [join(dir, 'core.crit.log'), join(dir, 'radius.crit.log')]
          .flatMap((f) => {
            try {
              return readFileSync(f, 'utf8').split('\n');
            } catch {
              return [];
            }
          })
          .concat(
            `${core.output()}\n${radius.output()}`
              .split('\n')
              .filter((l) => /\b(ERROR|Error|Warn|WARN|CRIT|ALERT|EMERG)\b/.test(l)),
          )
          .filter((l) => l.trim() && !/still has its default password/.test(l)), // the bench logs in with the defaults, from loopback
      alive: () => core.alive() && radius.alive(),
      tail: () => `utm5_radius: ${tail(radius.output())}; utm5_core: ${tail(core.output())}`,
      /** Polls the stats file (every 25 ms) until pred(stats); resolves with { stats, at (epoch ms) } or undefined. */
      async waitStats(pred, ms) {
        const end = Date.now() + ms;
        for (;;) {
          const s = readStats(statsFile);
          if (s && pred(s)) return { stats: s, at: Date.now() };
          if (Date.now() > end || !radius.alive()) return undefined;
          await sleep(25);
        }
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

module.exports = { startOurs };
