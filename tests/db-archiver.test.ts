import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { UrfaApi } from '@utm5/urfaclient';
import { ARCHIVED_TABLES, dbSettings, listTables, openDatabase, type Database, type DbSettings } from '@utm5/db';
import { mariaDbUnavailable, startMariaDb, type MariaDbServer } from '@utm5/db/testing';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { MB, PLAN, setupIpTraffic, type IpTrafficSetup } from './helpers/ip-traffic';
import { ROOT, binPath } from './helpers/paths';
import { runProgram } from './helpers/process';

const T0 = 1704067200; // 2024-01-01 00:00 UTC
const DAY = 86400;
const MONTH_STARTS = [T0, 1706745600, 1709251200, 1711929600]; // Jan, Feb, Mar, Apr 1st
const END = 1714521600; // May 1st
const API = join(ROOT, 'xml', 'api.xml');
/** Enough traffic rows that moving them takes a while: db_archiver is killed in the middle of that move. */
const PADDING = 60_000;

/** Every report the acceptance names, whole, as the URFA client decodes it. */
async function reports(api: UrfaApi): Promise<Record<string, string[]>> {
  const span = { time_start: T0, time_end: END };
  return {
    payments: (await api.call('rpcf_payments_report_new', { account_id: 0, ...span })).dump(),
    services: (await api.call('rpcf_service_report_new', span)).dump(),
    general: (await api.call('rpcf_general_report_new', { start_date: T0, end_date: END })).dump(),
    traffic: (await api.call('rpcf_traffic_report_ex', { type: 3, ...span })).dump(),
    sessions: (await api.call('rpcf_get_dhs_report', { t_start: T0, t_end: END })).dump(),
  };
}

/** Rows of each archived table, live and archived together, and the rows the registry says its archives hold. */
async function census(db: Database): Promise<{ total: Record<string, number>; registered: Record<string, number> }> {
  const tables = await listTables(db.knex, db.type);
  const total: Record<string, number> = {};
  const registered: Record<string, number> = {};
  for (const t of ARCHIVED_TABLES) {
    let n = 0;
    for (const name of tables.filter((x) => x === t.table || new RegExp(`^${t.table}_\\d+$`).test(x))) {
      const [{ c }] = await db.knex(name).count({ c: '*' });
      n += Number(c);
    }
    total[t.table] = n;
    const [{ r }] = await db.knex('archives').where({ source_table: t.table }).sum({ r: 'rows' });
    registered[t.table] = Number(r ?? 0);
  }
  return { total, registered };
}

function archiver(core: CoreInstance, args: string[], input = '') {
  return runProgram('db_archiver', ['-c', core.configFile, ...args], { input, timeoutMs: 300_000 });
}

function scenario(title: string, backendSettings: () => DbSettings | undefined): void {
  describe(title, () => {
    let core: CoreInstance;
    let api: UrfaApi;
    let db: Database;
    let users: IpTrafficSetup[] = [];
    let before0: Record<string, string[]>;
    let rows0: Awaited<ReturnType<typeof census>>;

    before(async () => {
      const settings = backendSettings();
      core = await createCore({
        config: { test_clock: 'enable', timezone: 'UTC' },
        ...(settings ? { db: settings } : {}),
      });
      api = await UrfaApi.open(API, {
        host: '127.0.0.1',
        port: core.urfaPort,
        login: 'init',
        password: 'init',
        timeoutMs: 120_000,
      });
      await api.call('utm5ts_set_time', { time: T0 });
      users = [
        await setupIpTraffic(api, { start: T0, login: 'alogin', ip: '10.1.0.5', balance: 100 }),
        await setupIpTraffic(api, { start: T0, login: 'blogin', ip: '10.2.0.9', balance: 50 }),
      ];
      // Three closed months and an open fourth: a payment and traffic in each, through the core on its test clock.
      let now = T0;
      for (const [m, start] of MONTH_STARTS.entries()) {
        const at = start + 10 * DAY;
        await api.call('utm5ts_advance_time', { seconds: at - now });
        now = at;
        for (const u of users) {
          await api.call('rpcf_add_payment_for_account', {
            account_id: u.account,
            payment: 10 + m,
            payment_date: at,
            payment_method: 1,
          });
        }
        await api.call('rpcf_put_unif_iptr', {
          login: ['alogin', 'blogin'],
          d_oct: [(m + 2) * MB, (m + 1) * MB],
          tclass: [PLAN.tclass, PLAN.tclass],
          ipid: [0, 0],
        });
      }
      db = await openDatabase(settings ?? dbSettings({ database_type: 'sqlite', database: join(core.dir, 'utm5.db') }));
      // RADIUS sessions as utm5_radius leaves them: closed ones each month, and one left open in February.
      const acc = Number(users[0]!.account);
      const session = (i: number, start: number, stopped: number) => ({
        nas_ip: '10.0.0.1',
        acct_session_id: `s${i}`,
        login: 'alogin',
        slink_id: users[0]!.slink,
        account_id: acc,
        started_at: start,
        updated_at: start + 3600,
        stopped_at: stopped,
        duration: 3600,
        in_octets: 1000 * i,
        out_octets: 2000 * i,
      });
      await db
        .knex('radius_sessions')
        .insert(
          MONTH_STARTS.flatMap((s, m) => [
            session(2 * m + 1, s + DAY, s + DAY + 3600),
            session(2 * m + 2, s + 2 * DAY, s + 2 * DAY + 3600),
          ]),
        );
      await db.knex('radius_sessions').insert(session(99, MONTH_STARTS[1]! + 5 * DAY, 0));
      // Traffic statistics padding in January (zero bytes and cost, so the figures stay those of the core's traffic).
      const pad = Array.from({ length: PADDING }, (_, i) => ({
        ts: T0 + 1 + (i % (29 * DAY)),
        account_id: acc,
        slink_id: users[0]!.slink,
        tclass_id: PLAN.tclass,
        ip: '10.1.0.5',
        bytes: 0,
        cost: 0,
      }));
      for (let i = 0; i < pad.length; i += 500) await db.knex('traffic_stats').insert(pad.slice(i, i + 500));
      before0 = await reports(api);
      rows0 = await census(db);
    });
    after(async () => {
      await api?.close();
      await db?.close();
      await core?.cleanup();
    });

    test('the months before April are closed and reported', async () => {
      const [{ n }] = await db.knex('discount_periods').where({ is_closed: true }).count({ n: '*' });
      assert.ok(Number(n) >= 3, `${n} closed periods`);
      for (const [name, lines] of Object.entries(before0)) assert.ok(lines.length > 10, `${name}: ${lines.join(' ')}`);
      assert.ok(rows0.total['traffic_stats']! > PADDING);
    });

    test('kill -9 of db_archiver in the middle of a move leaves every row in exactly one place', async () => {
      const child = spawn(
        process.execPath,
        [binPath('db_archiver'), '-c', core.configFile, '-a', '-l', '--lock-timeout', '30'],
        {
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      child.stdin.end('y\n');
      let out = '';
      const killed = new Promise<string>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/rows copied into traffic_stats_/.test(out)) child.kill('SIGKILL');
        });
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code, sig) => resolve(String(sig ?? code)));
      });
      assert.equal(await killed, 'SIGKILL', out);
      const rows = await census(db);
      assert.deepEqual(rows.total, rows0.total, 'no row lost or doubled');
      assert.equal(rows.registered['payment_transactions'], 0, 'the run was stopped before the payments');
      // Each registered archive holds exactly what the registry says (the killed move was rolled back whole).
      for (const a of await db.knex('archives').select('archive_table', 'rows')) {
        const [{ c }] = await db.knex(a.archive_table).count({ c: '*' });
        assert.equal(Number(c), Number(a.rows), a.archive_table);
      }
      assert.deepEqual(await reports(api), before0);
    });

    test('a re-run completes; -a archives the closed months and the reports give identical figures', async () => {
      const r = await archiver(core, ['-a', '-l', '-q']);
      assert.equal(r.code, 0, r.stderr);
      const rows = await census(db);
      assert.deepEqual(rows.total, rows0.total);
      for (const t of ['account_ledger', 'traffic_stats', 'radius_sessions', 'payment_transactions']) {
        assert.ok(rows.registered[t]! > 0, `${t} archived`);
        const [{ c }] = await db
          .knex(t)
          .where(ARCHIVED_TABLES.find((x) => x.table === t)!.dateColumn, '<', MONTH_STARTS[3]!)
          .count({ c: '*' });
        // What stays live of the closed months: the open session.
        assert.equal(Number(c), t === 'radius_sessions' ? 1 : 0, `${t}: rows of the closed months left live`);
      }
      assert.deepEqual(await reports(api), before0);
    });

    test('-t reports every archive OK', async () => {
      const r = await archiver(core, ['-t']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /traffic_stats_\d+ .* rows: OK/);
      assert.doesNotMatch(r.stdout, /Need repair|Unable/);
    });

    test('-t finds an archive changed behind the registry, and says so in one line per archive', async () => {
      const [a] = await db.knex('archives').where({ source_table: 'payment_transactions' }).select('archive_table');
      const [row] = await db.knex(a.archive_table).select('id').limit(1);
      const saved = await db.knex(a.archive_table).where({ id: row.id }).first();
      await db.knex(a.archive_table).where({ id: row.id }).delete();
      const r = await archiver(core, ['-t', '-q']);
      assert.equal(r.code, 3);
      assert.match(r.stdout, new RegExp(`^${a.archive_table} .*Unable to verify: .*the registry has`, 'm'));
      await db.knex(a.archive_table).insert(saved);
      assert.equal((await archiver(core, ['-t', '-q'])).code, 0);
    });

    test('-d writes no difference on a database the core made; -v describes the structure', async () => {
      const d = await archiver(core, ['-d']);
      assert.equal(d.code, 0, d.stderr);
      assert.match(d.stdout, /no differences/);
      const v = await archiver(core, ['-v']);
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stdout, /^table archives$/m);
      assert.match(v.stdout, /archived: discount_transactions_all \(type 1\) = account_ledger by ts/);
    });

    test('-ug repairs an archive missing a column: Need repair, then OK', async () => {
      const [a] = await db.knex('archives').where({ source_table: 'traffic_stats' }).select('archive_table');
      await db.knex.schema.alterTable(a.archive_table, (t) => t.dropColumn('collector_id'));
      const t1 = await archiver(core, ['-t', '-q']);
      assert.equal(t1.code, 3);
      assert.match(t1.stdout, /Need repair: .*collector_id is missing/);
      const u = await archiver(core, ['-ug', '-q']);
      assert.equal(u.code, 0, u.stdout + u.stderr);
      assert.equal((await archiver(core, ['-t', '-q'])).code, 0);
    });

    test('utm5_verify: balances equal their ledgers across archives; the stale open session is the one finding', async () => {
      const now = MONTH_STARTS[3]! + 10 * DAY;
      const r = await runProgram('utm5_verify', ['-c', core.configFile, '--now', String(now)]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1, r.stdout);
      assert.match(lines[0]!, /^session: radius session \d+ \(alogin on 10\.0\.0\.1, s99\) is open/);
      await db.knex('radius_sessions').where({ acct_session_id: 's99' }).update({ updated_at: now });
      const ok = await runProgram('utm5_verify', ['-c', core.configFile, '--now', String(now)]);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      await db.knex('accounts').where({ id: users[1]!.account }).increment('balance', 1);
      const bad = await runProgram('utm5_verify', ['-c', core.configFile, '--now', String(now), '-q']);
      assert.equal(bad.code, 1);
      assert.match(
        bad.stdout,
        new RegExp(`^balance: account ${users[1]!.account}: balance .* but its ledger sums to`, 'm'),
      );
      await db.knex('accounts').where({ id: users[1]!.account }).decrement('balance', 1);
    });
  });
}

describe('db_archiver command line', () => {
  for (const [args, re] of [
    [['-u'], /-u needs what to update/],
    [['-e'], /only with -u/],
    [['-l'], /use it with -a/],
    [[], /nothing to do/],
    [['-z'], /unknown option '-z'/],
    [['-a', '--lock-timeout', 'x'], /--lock-timeout x: expected seconds/],
    [['-a', '-c', '/nonexistent/utm5.cfg'], /cannot read configuration file/],
  ] as const) {
    test(`${args.join(' ') || '(nothing)'}: exit 2 with one line`, async () => {
      const r = await runProgram('db_archiver', [...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.equal(r.stdout, '');
    });
  }
  test('-h and -? print the options', async () => {
    for (const h of ['-h', '-?']) {
      const r = await runProgram('db_archiver', [h]);
      assert.equal(r.code, 0);
      for (const o of ['-a', '-c', '-d', '-e', '-f', '-g', '-i', '-n', '-t', '-l', '-q', '-u', '-v', '-x', '-y'])
        assert.match(r.stdout, new RegExp(`^\\s+${o}\\b`, 'm'), o);
    }
  });
});

scenario('db_archiver end to end (SQLite)', () => undefined);

describe(
  'db_archiver end to end on MariaDB',
  { skip: process.env['UTM5_SKIP_MARIADB'] ? 'UTM5_SKIP_MARIADB is set' : (mariaDbUnavailable() ?? false) },
  () => {
    let server: MariaDbServer;
    before(async () => {
      server = await startMariaDb();
    });
    after(async () => {
      await server?.stop();
    });
    scenario('the same archive run', () => server.settings('utm5_archiver'));
  },
);
