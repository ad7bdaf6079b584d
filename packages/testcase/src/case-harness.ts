import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClock, createLogger, loadConfigFile } from '@utm5/common';
import { freePort } from '@utm5/common/testing';
import { Core, coreConfig } from '@utm5/core';
import { startBin, waitUntil, type Child } from './programs';

export const DAY = 86400;
/** 2003-04-01 00:00 UTC, where the manual's cases start. */
export const CASE_START = 1_049_155_200;
/** The administrator the cases set their reference data up as. */
export const ACTOR = { id: -1, login: 'utm5_testcase' };

export interface CaseOptions {
  /** One line per result (the balance lines, then the verdict). */
  readonly out: (line: string) => void;
  /** Progress lines (days sent). */
  readonly progress?: (line: string) => void;
  /** Keep the working directory (database, logs, configs) for inspection. */
  readonly keep?: boolean;
}

/** A daemon of the installation started by a case, with its counters file read on demand. */
export interface CaseDaemon<S> {
  readonly child: Child;
  stats(): S | undefined;
  /** Throws, with the daemon's output, if it has exited. */
  check(): void;
  /** Waits until the counters satisfy `pred`; fails at once if the daemon exits. */
  until(what: string, ms: number, pred: (s: S) => boolean): Promise<S>;
}

/** What a case body gets: its directory, its own core on the test clock, and a way to start daemons linked to it. */
export interface CaseEnv {
  readonly dir: string;
  readonly core: Core;
  readonly clock: TestClock;
  readonly streamPort: number;
  readonly urfaPort: number;
  /** Writes `<program>.cfg` in the case directory (log files beside it) and starts the program with `-c` on it. */
  daemon<S>(program: string, config: Record<string, string>, statsFile: string): CaseDaemon<S>;
}

function writeConfig(path: string, values: Record<string, string>): void {
  writeFileSync(
    path,
    Object.entries(values)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
}

/**
 * Runs one of the manual's cases: a fresh directory with its own core (SQLite, free loopback ports, test clock at
 * CASE_START), the body, then the daemons and the core stopped in reverse order and the directory removed unless kept.
 */
export async function runCase(
  name: string,
  o: CaseOptions,
  body: (env: CaseEnv) => Promise<boolean>,
  at: { readonly start?: number; readonly timezone?: string } = {},
): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), `utm5-testcase-${name}-`));
  const children: Child[] = [];
  let core: Core | undefined;
  try {
    const [urfaPort, streamPort] = [await freePort(), await freePort()];
    const coreCfg = join(dir, 'utm5.cfg');
    writeConfig(coreCfg, {
      database_type: 'sqlite',
      database: join(dir, 'utm5.db'),
      urfa_bind_host: '127.0.0.1',
      urfa_bind_port: String(urfaPort),
      stream_bind_host: '127.0.0.1',
      stream_bind_port: String(streamPort),
      core_pid_file: join(dir, 'utm5_core.pid'),
      secret_key_file: join(dir, 'utm5.key'),
      ssl_cert_file: join(dir, 'cert.crt'),
      ssl_privkey_file: join(dir, 'privkey.pem'),
      log_level: '3',
      log_file_main: join(dir, 'core.log'),
      log_file_debug: join(dir, 'core.debug.log'),
      log_file_critical: join(dir, 'core.crit.log'),
      test_clock: 'enable',
      timezone: at.timezone ?? 'UTC',
    });
    const config = loadConfigFile(coreConfig, coreCfg).values;
    const clock = new TestClock(at.start ?? CASE_START);
    core = await Core.open({ config, log: createLogger({ program: 'utm5_core', params: config }), clock });
    await core.start();
    return await body({
      dir,
      core,
      clock,
      streamPort,
      urfaPort,
      daemon<S>(program: string, values: Record<string, string>, statsFile: string): CaseDaemon<S> {
        const cfg = join(dir, `${program}.cfg`);
        const logs = Object.fromEntries(
          ['main', 'debug', 'critical'].map((k) => [`log_file_${k}`, join(dir, `${program}.${k}.log`)]),
        );
        writeConfig(cfg, { log_level: '3', ...logs, ...values });
        const child = startBin(program, ['-c', cfg]);
        children.push(child);
        const stats = (): S | undefined => {
          try {
            return JSON.parse(readFileSync(statsFile, 'utf8')) as S;
          } catch {
            return undefined; // not written yet, or caught mid-write: read again
          }
        };
        const check = () => {
          if (child.proc.exitCode !== null || child.proc.signalCode !== null)
            throw new Error(`${program} exited: ${child.output()}`);
        };
        return {
          child,
          stats,
          check,
          until: (what, ms, pred) =>
            waitUntil(what, ms, () => {
              check();
              const s = stats();
              return s !== undefined && pred(s) ? s : undefined;
            }),
        };
      },
    });
  } finally {
    for (const c of children.reverse()) await c.stop();
    await core?.stop();
    if (o.keep) o.progress?.(`working directory kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** A month of a case as the manual tabulates it: its days and each user's balance after it (cumulative). */
export interface CaseMonth {
  readonly month: string;
  readonly days: number;
  readonly balances: readonly number[];
}

/**
 * Plays the case's months day by day: `day` sends the day's usage (day counts from 0 at CASE_START, month from 0) and
 * waits for the core to have it, then the clock moves to the next midnight; after each month (its period closed by
 * that move) one balance line per user, and at the end the verdict. Resolves true when every balance is the manual's.
 */
export async function playMonths(
  env: CaseEnv,
  c: {
    readonly name: string;
    readonly what: string;
    readonly months: readonly CaseMonth[];
    readonly users: readonly { login: string }[];
    readonly accounts: readonly number[];
    readonly o: CaseOptions;
  },
  day: (day: number, dayStart: number, month: number) => Promise<void>,
): Promise<boolean> {
  let n = 0;
  let ok = true;
  for (const [m, month] of c.months.entries()) {
    for (let d = 0; d < month.days; d++, n++) {
      const dayStart = CASE_START + n * DAY;
      await day(n, dayStart, m);
      await env.clock.set(dayStart + DAY);
    }
    c.o.progress?.(`${month.month}: ${month.days} days of ${c.what} sent`);
    ok = (await reportBalances(env.core, month.month, c.users, c.accounts, month.balances, c.o.out)) && ok;
  }
  const count = c.months.length * c.users.length;
  c.o.out(
    ok
      ? `${c.name} test case passed: all ${count} balances match the manual`
      : `${c.name} test case FAILED: balances differ from the manual`,
  );
  return ok;
}

/**
 * Prints `month=YYYY-MM login=L balance=X.XXX` per user (with the manual's figure when it differs) and says whether
 * every balance equals the manual's to the micro-unit.
 */
async function reportBalances(
  core: Core,
  month: string,
  users: readonly { login: string }[],
  accounts: readonly number[],
  want: readonly number[],
  out: (line: string) => void,
): Promise<boolean> {
  let ok = true;
  for (const [i, u] of users.entries()) {
    const balance = (await core.billing.accounts.get(accounts[i]!))!.balance / 1e6;
    const good = Math.abs(balance - want[i]!) < 5e-7;
    ok &&= good;
    out(
      `month=${month} login=${u.login} balance=${balance.toFixed(3)}${good ? '' : ` (expected ${want[i]!.toFixed(3)})`}`,
    );
  }
  return ok;
}
