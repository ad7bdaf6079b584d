#!/usr/bin/env node
'use strict';
// CDR import end to end: bin/utm5_send_cdr reading a file of N calls (default 200,000) and sending them to a real
// bin/utm5_core on SQLite, with C customers (default 1,000: a telephony link with one number each) and D directions
// (default 10,000, over 100 zones priced by one tariff). Timed: the send_cdr process's wall clock, start to exit.
// The storage limit it is compared with: the tel_calls and tel_call_parts rows that import wrote, read back and
// inserted into a fresh database of the same schema in one transaction with better-sqlite3 (prepared statements).
// ratio = the import's rows per second / the raw insert's rows per second (the same rows both ways).
// Before it: bench/tel-directions.js (the direction look-ups/s), when that file is there.
//   node bench/cdr.js [calls=200000] [customers=1000] [directions=10000]
// UTM5_BENCH_CPU_PROF=DIR writes a V8 CPU profile of the core and of utm5_send_cdr to DIR (open it in Chrome's
// DevTools, or summarise it with bench/lib/cpu-profile.js); UTM5_BENCH_SKIP_DIRECTIONS=1 skips tel-directions.js;
// UTM5_BENCH_BATCH=N sets utm5_send_cdr's batch_size (default: the tool's own).
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startProc, tail, cfgText, writeCoreConfig } = require('./lib/procs');

const ROOT = join(__dirname, '..');
const nCalls = Number(process.argv[2] ?? 200_000);
const nCustomers = Number(process.argv[3] ?? 1000);
const nDirs = Number(process.argv[4] ?? 10_000);
const ZONES = 100;
const ACTOR = { id: -1, login: 'bench' };
const DAY = 86400;

let seed = 7;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const number = (i) => String(5_000_000 + i);
const prefix = (i) => `7${String(i).padStart(4, '0')}`;

/** A running process's CPU time (user + system) in seconds, from /proc (NaN where there is none). */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [utime, stime] = f
      .slice(f.lastIndexOf(')') + 2)
      .split(' ')
      .slice(11, 13)
      .map(Number);
    return (utime + stime) / 100; // USER_HZ, 100 on Linux
  } catch {
    return NaN;
  }
}

/** node's options for a CPU profile of the process named `what`, when UTM5_BENCH_CPU_PROF names a directory. */
const prof = (what) => {
  const d = process.env.UTM5_BENCH_CPU_PROF;
  return d ? ['--cpu-prof', `--cpu-prof-dir=${d}`, `--cpu-prof-name=${what}.cpuprofile`] : [];
};

/** Seeds through an in-process Core (then stopped): ranges, period, zones, directions, the tariff, customers. */
async function seedDb(coreCfg, logFile, periodStart) {
  const { SystemClock, createLogger, loadConfigFile } = require('@utm5/common');
  const { Core, PeriodType, ServiceStatus, ServiceType, coreConfig, emptyProfile } = require('@utm5/core');
  const config = loadConfigFile(coreConfig, coreCfg).values;
  const log = createLogger({ program: 'utm5_core', params: { ...config, log_file_main: logFile } });
  const core = await Core.open({ config: { ...config, urfa_bind_host: [] }, log, clock: new SystemClock() });
  await core.start();
  try {
    const tar = core.tariffication;
    const k = core.db.knex;
    const night = await tar.catalog.saveTimeRange(
      0,
      'night',
      1,
      [0, 1, 2, 3, 4, 5, 6].map((d) => ({
        wdayStart: d,
        hourStart: 0,
        minStart: 0,
        secStart: 0,
        wdayStop: d,
        hourStop: 8,
        minStop: 59,
        secStop: 59,
      })),
      [],
    );
    const day = await tar.catalog.saveTimeRange(
      0,
      'day',
      1,
      [0, 1, 2, 3, 4, 5, 6].map((d) => ({
        wdayStart: d,
        hourStart: 9,
        minStart: 0,
        secStart: 0,
        wdayStop: d,
        hourStop: 23,
        minStop: 59,
        secStop: 59,
      })),
      [],
    );
    const period = await tar.addPeriod({ start: periodStart, type: PeriodType.MONTHLY });
    const zones = [];
    for (let z = 0; z < ZONES; z++) {
      const [id] = await k('tel_zones').insert({ name: `zone ${z}`, zone_type: 0 });
      zones.push(Number(id));
    }
    const dirs = Array.from({ length: nDirs }, (_, i) => ({
      zone_id: zones[i % ZONES],
      name: `dir ${prefix(i)}`,
      called_prefix: prefix(i),
      called_regexp: false,
      skip: false,
    }));
    await k.batchInsert('tel_directions', dirs, 500);
    const svc = await tar.catalog.addService({
      name: 'bench telephony',
      type: ServiceType.TELEPHONY,
      status: ServiceStatus.COMMON,
      cost: 0,
    });
    await k('tel_services').insert({
      service_id: svc,
      free_time: 3,
      first_period_length: 60,
      first_period_step: 10,
      second_period_step: 1,
      time_unit_size: 60,
      discount_free_time: false,
      minimum_charge: 0,
    });
    await k.batchInsert(
      'tel_service_classes',
      zones.map((z) => ({ service_id: svc, tariff_class: z, prepaid: 0, fixed_cost: 0 })),
      500,
    );
    await k.batchInsert(
      'tel_service_prices',
      zones.flatMap((z, i) => [
        { service_id: svc, tariff_class: z, range_id: night, price: 100_000 + i * 1000 },
        { service_id: svc, tariff_class: z, range_id: day, price: 200_000 + i * 1000 },
      ]),
      500,
    );
    for (let c = 0; c < nCustomers; c++) {
      const made = await core.billing.users.add(ACTOR, {
        login: `cdr${c}`,
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
          unlimited: false,
          autoEnableInet: true,
          externalId: '',
          isBlocked: 0,
        },
      });
      const slink = await tar.addPeriodicLink(ACTOR, { accountId: made.accountId, serviceId: svc, periodId: period });
      await k('tel_numbers').insert({ slink_id: slink, number: number(c) });
    }
  } finally {
    await core.stop();
  }
}

/** The calls, `calling;called;duration;unix start`, spread over the last days (within the link's period). */
async function writeCdr(file, from) {
  const out = createWriteStream(file);
  for (let i = 0; i < nCalls; i++) {
    const line = `${number(rnd(nCustomers))};${prefix(rnd(nDirs))}${String(rnd(1_000_000)).padStart(6, '0')};${rnd(
      900,
    )};${from + i * 2 + rnd(2)}\n`;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
}

/** The import's rows inserted again into a fresh database of the same schema, one transaction: rows/s. */
function rawInsert(dbFile, dir) {
  const Database = require('better-sqlite3');
  const src = new Database(dbFile, { readonly: true });
  const tables = ['tel_calls', 'tel_call_parts'];
  const schema = src
    .prepare(`SELECT sql FROM sqlite_master WHERE tbl_name IN (${tables.map(() => '?').join(',')}) AND sql IS NOT NULL`)
    .all(...tables)
    .map((r) => r.sql);
  const rows = Object.fromEntries(tables.map((t) => [t, src.prepare(`SELECT * FROM ${t}`).raw().all()]));
  const cols = Object.fromEntries(
    tables.map((t) => [
      t,
      src
        .prepare(`SELECT * FROM ${t} LIMIT 1`)
        .columns()
        .map((c) => c.name),
    ]),
  );
  src.close();
  const dst = new Database(join(dir, 'raw.db'));
  dst.pragma('journal_mode = WAL');
  for (const sql of schema) dst.exec(sql);
  const ins = Object.fromEntries(
    tables.map((t) => [
      t,
      dst.prepare(`INSERT INTO ${t} (${cols[t].join(',')}) VALUES (${cols[t].map(() => '?').join(',')})`),
    ]),
  );
  const t0 = process.hrtime.bigint();
  dst.transaction(() => {
    for (const t of tables) for (const r of rows[t]) ins[t].run(r);
  })();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  dst.close();
  const n = tables.reduce((a, t) => a + rows[t].length, 0);
  return { calls: rows.tel_calls.length, rows: n, s };
}

async function main() {
  const dirsBench = join(__dirname, 'tel-directions.js');
  if (existsSync(dirsBench) && !process.env.UTM5_BENCH_SKIP_DIRECTIONS) {
    const r = spawnSync(process.execPath, [dirsBench], { stdio: 'inherit' });
    if (r.status !== 0) console.log(`bench/tel-directions.js failed (${r.status ?? r.signal}); going on`);
  }
  for (const f of ['bin/utm5_core', 'bin/utm5_send_cdr', 'packages/core/dist/main.js'])
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} missing (npx tsc -b)`);
  const dir = mkdtempSync(join(tmpdir(), 'utm5-bench-cdr-'));
  let core;
  try {
    const { coreCfg, urfaPort } = await writeCoreConfig(dir);
    const now = Math.floor(Date.now() / 1000);
    const periodStart = now - 15 * DAY;
    let t = Date.now();
    await seedDb(coreCfg, join(dir, 'seed.log'), periodStart);
    console.log(
      `seeded ${nCustomers} customers, ${nDirs} directions in ${ZONES} zones in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    const cdr = join(dir, 'calls.cdr');
    await writeCdr(cdr, periodStart + DAY);
    core = startProc('utm5_core', process.execPath, [...prof('core'), join(ROOT, 'bin', 'utm5_core'), '-c', coreCfg], {
      cwd: dir,
    });
    await core.waitForOutput(/\bstarted, pid \d+/, 60_000);
    const cfg = join(dir, 'utm5_send_cdr.cfg');
    writeFileSync(
      cfg,
      cfgText({
        core_host: '127.0.0.1',
        core_port: urfaPort,
        core_login: 'init',
        core_password: 'init',
        pbx_calling_sid: 0,
        pbx_called_sid: 1,
        pbx_duration: 2,
        pbx_time: 3,
        pbx_time_format: '%U',
        pbx_delimiter: ';',
        // send_cdr's default batch size unless UTM5_BENCH_BATCH names another.
        ...(process.env.UTM5_BENCH_BATCH ? { batch_size: Number(process.env.UTM5_BENCH_BATCH) } : {}),
      }),
    );
    const coreCpu0 = cpuSeconds(core.pid);
    t = Date.now();
    const send = startProc('utm5_send_cdr', process.execPath, [
      ...prof('send_cdr'),
      join(ROOT, 'bin', 'utm5_send_cdr'),
      '-c',
      cfg,
      '-s',
      cdr,
    ]);
    const code = await send.exited;
    const importS = (Date.now() - t) / 1000;
    const coreCpu = cpuSeconds(core.pid) - coreCpu0;
    const summary = /(\d+) imported, (\d+) duplicates, (\d+) bad/.exec(send.output());
    if (code !== 0 || !summary)
      throw new Error(`utm5_send_cdr failed (${code}): ${tail(send.output())}\ncore: ${tail(core.output())}`);
    await core.stop(15_000);
    core = undefined;
    const raw = rawInsert(join(dir, 'utm5.db'), dir);
    if (raw.calls !== Number(summary[1]))
      throw new Error(`send_cdr said ${summary[1]} imported, the database has ${raw.calls} calls`);
    const cdrPerS = raw.calls / importS;
    const rawRowsPerS = raw.rows / raw.s;
    console.log(
      `import: ${raw.calls} calls (${raw.rows} tel_calls + tel_call_parts rows) in ${importS.toFixed(2)} s; ` +
        `raw insert of the same rows: ${raw.s.toFixed(3)} s`,
    );
    // CPU time drifts less than wall time on a machine shared with other work: the core's CPU per call.
    console.log(`core_cpu_s=${coreCpu.toFixed(2)} core_cpu_us_per_call=${((coreCpu * 1e6) / raw.calls).toFixed(1)}`);
    console.log(`cdr_per_s=${Math.round(cdrPerS)}`);
    console.log(`raw_rows_per_s=${Math.round(rawRowsPerS)}`);
    console.log(`ratio=${(raw.rows / importS / rawRowsPerS).toFixed(4)}`);
  } finally {
    if (core) await core.stop(15_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`bench/cdr.js: ${e.stack ?? e}`);
  process.exit(1);
});
