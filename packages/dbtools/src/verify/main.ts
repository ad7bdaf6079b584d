import { Command } from 'commander';
import { EXIT, exitAfterFlush, reportError, versionLine } from '@utm5/common';
import type { Database } from '@utm5/db';
import { openUtm5Database } from '../utm5-database';
import { parseCommandLine } from '../command-line';
import { checkIntegrity } from './integrity-checks';

const PROGRAM = 'utm5_verify';

/** Exit codes: 0 consistent; 1 findings or failure; 2 usage or configuration. */
export async function main(argv: readonly string[]): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description(
      'Check the billing database beyond its schema: every balance equals its ledger (archives included), links ' +
        'point at existing services and accounts, no open RADIUS session is older than its timeout. One line per ' +
        'finding; exit 1 when any.',
    )
    .option('-c, --config <path>', 'UTM5 configuration file path', '/netup/utm5/utm5.cfg')
    .option('--now <unix>', 'judge open sessions at this time (the billing time on a test clock); default: now')
    .option('--session-timeout <seconds>', 'an open session not updated for this long is stale', '86400')
    .option('-q, --quiet', 'print the findings only')
    .option('--version', 'print the version and exit');
  let db: Database | undefined;
  try {
    const done = parseCommandLine(cmd, PROGRAM, argv);
    if (done !== undefined) return done;
    const o = cmd.opts<{ config: string; now?: string; sessionTimeout: string; quiet?: boolean; version?: boolean }>();
    if (o.version) {
      process.stdout.write(`${versionLine(PROGRAM)}\n`);
      return EXIT.OK;
    }
    for (const [flag, v] of [
      ['--now', o.now],
      ['--session-timeout', o.sessionTimeout],
    ] as const) {
      if (v !== undefined && !/^\d+$/.test(v)) {
        process.stderr.write(`${PROGRAM}: ${flag} ${v}: expected a whole number of seconds\n`);
        return EXIT.USAGE;
      }
    }
    const opened = await openUtm5Database(PROGRAM, o.config, o.quiet === true);
    db = opened.db;
    const findings = await checkIntegrity(db, {
      now: o.now !== undefined ? Number(o.now) : Math.floor(Date.now() / 1000),
      sessionTimeout: Number(o.sessionTimeout),
    });
    for (const f of findings) process.stdout.write(`${f.check}: ${f.message}\n`);
    if (!o.quiet) process.stderr.write(`${PROGRAM}: ${findings.length} finding(s) in ${db.where}\n`);
    return findings.length > 0 ? EXIT.FAILURE : EXIT.OK;
  } catch (err) {
    return reportError(PROGRAM, err);
  } finally {
    await db?.close();
  }
}

export function run(): void {
  void main(process.argv.slice(2)).then(exitAfterFlush);
}
