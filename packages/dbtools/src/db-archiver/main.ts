import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { SingleBar } from 'cli-progress';
import { EXIT, exitAfterFlush, reportError, versionLine } from '@utm5/common';
import {
  ARCHIVED_TABLES,
  archiveTablePeriod,
  closedPeriods,
  listTables,
  schemaStatus,
  verifyArchives,
  verifyDatabase,
  type Database,
  type DateSpan,
} from '@utm5/db';
import { openUtm5Database, type Utm5Config } from '../utm5-database';
import { ArchiverUsageError, parseArchiverArgs, type ArchiverArgs } from './archiver-args';
import { CoreLock } from './core-lock';
import { describeStructure, requiredStructure, structureDifferences } from './structure-report';

/** Exit codes: 0 done; 1 failed; 2 usage or configuration; 3 archives not OK (-t) or refused at the confirmation. */
export const ARCHIVER_EXIT = { ...EXIT, FINDINGS: 3 } as const;

const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ');
const spanText = (p: DateSpan) => `[${iso(p.start)} .. ${iso(p.end)})`;

/** Where -d and -v write: the verifier log (as SQL comments, so the file stays feedable to mysql), or stdout. */
function logWriter(config: Utm5Config): (lines: readonly string[]) => void {
  const file = config.log_file_verificator;
  if (!file) return (lines) => process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  return (lines) => appendFileSync(file, lines.map((l) => `-- ${l}\n`).join(''));
}

/** Asks on stderr and reads the answer from stdin (a terminal, or a script piping "y"); -q skips the question. */
async function confirm(question: string, a: ArchiverArgs): Promise<boolean> {
  if (a.quiet) return true;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY === true });
  try {
    const closed = new Promise<undefined>((r) => rl.once('close', () => r(undefined)));
    const answer = await Promise.race([rl.question(`${question} [y/N] `), closed]);
    if (answer === undefined) {
      throw new ArchiverUsageError(`${question} needs a confirmation: answer y on stdin, or run with -q`);
    }
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

class Run {
  constructor(
    private readonly program: string,
    private readonly a: ArchiverArgs,
    private readonly config: Utm5Config,
    private readonly db: Database,
  ) {}

  private say(line: string): void {
    if (!this.a.quiet) process.stdout.write(`${line}\n`);
  }

  async update(): Promise<number> {
    const a = this.a;
    if (!(await confirm(`Update the structure of ${this.db.where}?`, a))) return this.declined();
    if (a.updateMarked || a.updateFormats || a.updateIndexes) {
      const r = await verifyDatabase(this.db, {
        verifyDatabase: a.updateMarked || a.updateFormats,
        verifyIndexes: a.updateIndexes,
        verificatorLog: this.config.log_file_verificator,
      });
      for (const m of r.applied) this.say(`schema step ${m} applied`);
      for (const i of r.indexesCreated) this.say(`index ${i} created`);
      if (r.applied.length + r.indexesCreated.length === 0) this.say('structure already up to date');
    }
    if (a.updateArchives) {
      let bad = 0;
      for (const c of await verifyArchives(this.db, this.now(), { repair: true })) {
        if (c.status !== 'OK') bad++;
        this.say(`${c.archive.archiveTable}: ${c.status}${c.problems.length ? `: ${c.problems.join('; ')}` : ''}`);
      }
      if (bad > 0) return ARCHIVER_EXIT.FINDINGS;
    }
    return EXIT.OK;
  }

  async diff(): Promise<number> {
    await this.requireSchema();
    const lines = await structureDifferences(this.db, await requiredStructure(), {
      ignorePkDefault: this.a.ignorePkDefault,
    });
    logWriter(this.config)([
      `db_archiver ${iso(this.now())}: structure of ${this.db.where} against this version's:`,
      ...(lines.length ? lines : ['no differences']),
    ]);
    return EXIT.OK;
  }

  async describe(): Promise<number> {
    logWriter(this.config)([
      `db_archiver ${iso(this.now())}: the DB structure this version requires:`,
      ...describeStructure(await requiredStructure()),
      ...ARCHIVED_TABLES.map((t) => `archived: ${t.manualName} (type ${t.type}) = ${t.table} by ${t.dateColumn}`),
    ]);
    return EXIT.OK;
  }

  async archive(): Promise<number> {
    await this.requireSchema();
    const periods = await closedPeriods(this.db);
    const live = new Set(await listTables(this.db.sys, this.db.type));
    const tables = ARCHIVED_TABLES.filter((t) => live.has(t.table));
    if (periods.length === 0) {
      this.say('nothing to archive: no closed accounting period');
      return EXIT.OK;
    }
    const q =
      `Archive ${tables.length} tables for ${periods.length} closed period(s) ` +
      `${spanText({ start: periods[0]!.start, end: periods[periods.length - 1]!.end })} of ${this.db.where}?`;
    if (!(await confirm(q, this.a))) return this.declined();
    const lock = this.a.lockCore
      ? await CoreLock.open(this.config, this.a.login, this.a.password, this.a.lockTimeout)
      : undefined;
    const bar =
      !this.a.quiet && process.stderr.isTTY
        ? new SingleBar({ format: 'archiving {bar} {value}/{total} {step}', stream: process.stderr })
        : undefined;
    bar?.start(tables.length * periods.length, 0, { step: '' });
    let total = 0;
    try {
      for (const spec of tables) {
        for (const p of periods) {
          await lock?.hold();
          bar?.update({ step: `${spec.table} ${spanText(p)}` });
          const r = await archiveTablePeriod(this.db, spec, p, this.now(), {
            onCopied: (n) => {
              if (!bar && n > 0)
                this.say(`  ${n} rows copied into ${spec.table}_${p.start}, removing them from ${spec.table}`);
            },
          });
          total += r.moved;
          bar?.increment();
          if (r.moved > 0)
            this.say(`${spec.table} ${spanText(p)}: ${r.moved} rows moved to ${r.archiveTable} (${r.rows} archived)`);
          else if (!bar) this.say(`${spec.table} ${spanText(p)}: nothing to move (${r.rows} archived)`);
        }
      }
    } finally {
      bar?.stop();
      await lock?.release();
    }
    this.say(`${total} rows archived`);
    return EXIT.OK;
  }

  async verify(): Promise<number> {
    await this.requireSchema();
    const checks = await verifyArchives(this.db, this.now());
    let bad = 0;
    for (const c of checks) {
      if (c.status !== 'OK') bad++;
      const line = `${c.archive.archiveTable} ${spanText({ start: c.archive.periodStart, end: c.archive.periodEnd })} ${c.archive.rows} rows: ${c.status}`;
      if (c.status !== 'OK') process.stdout.write(`${line}: ${c.problems.join('; ')}\n`);
      else this.say(line);
    }
    if (checks.length === 0) this.say('no archives registered');
    return bad > 0 ? ARCHIVER_EXIT.FINDINGS : EXIT.OK;
  }

  private declined(): number {
    process.stderr.write(`${this.program}: not confirmed: nothing done\n`);
    return ARCHIVER_EXIT.FINDINGS;
  }

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Archiving needs the registry: a database the core has not brought up to this version is refused. */
  private async requireSchema(): Promise<void> {
    const s = await schemaStatus(this.db);
    if (s.pending.length > 0) {
      throw new ArchiverUsageError(
        `${this.db.where} lacks schema steps ${s.pending.join(', ')}: start this version's utm5_core once, or run ${this.program} -uf`,
      );
    }
  }
}

/** db_archiver's entry; resolves with the exit code. */
export async function main(program: string, argv: readonly string[]): Promise<number> {
  let db: Database | undefined;
  try {
    const a = parseArchiverArgs(program, argv);
    if (a === 'help') return EXIT.OK;
    if (a === 'version') {
      process.stdout.write(`${versionLine(program)}\n`);
      return EXIT.OK;
    }
    const opened = await openUtm5Database(program, a.config, a.quiet);
    db = opened.db;
    const run = new Run(program, a, opened.config, db);
    let code: number = EXIT.OK;
    const step = async (on: boolean, fn: () => Promise<number>) => {
      if (on && code === EXIT.OK) code = await fn();
    };
    await step(a.update, () => run.update());
    await step(a.diff, () => run.diff());
    await step(a.describe, () => run.describe());
    await step(a.archive, () => run.archive());
    await step(a.verifyArchives, () => run.verify());
    return code;
  } catch (err) {
    if (err instanceof ArchiverUsageError) {
      process.stderr.write(`${program}: ${err.message}\n`);
      return EXIT.USAGE;
    }
    return reportError(program, err);
  } finally {
    await db?.close();
  }
}

export function run(program: string): void {
  void main(program, process.argv.slice(2)).then(exitAfterFlush);
}
