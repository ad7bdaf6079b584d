import { Command } from 'commander';
import { EXIT, errorLine, exitAfterFlush, versionLine } from '@utm5/common';
import type { CaseOptions } from './case-harness';
import { runDialupCase } from './dialup-case';
import { killChildren } from './programs';
import { runTelephonyCase } from './telephony-case';
import { runTrafficCase } from './traffic-case';

const PROGRAM = 'utm5_testcase';
/** The cases by the name on the command line. */
const CASES: Record<string, (o: CaseOptions & { cdr?: string; cdrConfig?: string }) => Promise<boolean>> = {
  traffic: runTrafficCase,
  dialup: runDialupCase,
  telephony: runTelephonyCase,
};

/** utm5_testcase CASE: runs one of the manual's test cases against this installation's programs. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description(
      "Runs the UTM5 manual's test cases as a self-check of this installation, on a core of its own (test clock, fresh SQLite, loopback).",
    )
    .argument(
      '<case>',
      "the test case: 'traffic' (Traffic transmission), 'dialup' (Dial-up access) or 'telephony' (Telephony)",
    )
    .option('-k, --keep', 'keep the working directory (database, configs, logs) and print its path')
    .option('-q, --quiet', 'print only the result lines')
    .option('--cdr <file>', 'telephony: import this CDR file instead of the generated calls (with --cdr-config)')
    .option(
      '--cdr-config <file>',
      "telephony: utm5_send_cdr config reading --cdr's format (its core_* keys are replaced)",
    )
    .option('--version', 'print the version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  if (argv.includes('--version')) {
    process.stdout.write(`${versionLine(PROGRAM)}\n`);
    return EXIT.OK;
  }
  try {
    cmd.parse([...argv], { from: 'user' });
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    return e.code === 'commander.helpDisplayed' ? EXIT.OK : EXIT.USAGE;
  }
  const which = cmd.args[0];
  const opts = cmd.opts<{ keep?: boolean; quiet?: boolean; cdr?: string; cdrConfig?: string }>();
  const runIt = which !== undefined && Object.hasOwn(CASES, which) ? CASES[which] : undefined;
  if (!runIt) {
    process.stderr.write(`${PROGRAM}: unknown test case '${which}' (known: ${Object.keys(CASES).join(', ')})\n`);
    return EXIT.USAGE;
  }
  try {
    const ok = await runIt({
      out: (l) => process.stdout.write(`${l}\n`),
      ...(opts.quiet ? {} : { progress: (l: string) => process.stderr.write(`${PROGRAM}: ${l}\n`) }),
      keep: opts.keep ?? false,
      ...(opts.cdr === undefined ? {} : { cdr: opts.cdr }),
      ...(opts.cdrConfig === undefined ? {} : { cdrConfig: opts.cdrConfig }),
    });
    return ok ? EXIT.OK : EXIT.FAILURE;
  } catch (err) {
    if (interrupted === undefined) process.stderr.write(`${PROGRAM}: ${errorLine(err)}\n`);
    return EXIT.FAILURE;
  }
}

/** The exit status of a signal that interrupted the case. */
let interrupted: number | undefined;

export function run(): void {
  // Interrupted (Ctrl-C, kill): the programs it started are stopped, so the case fails at its next step and cleans
  // up (core stopped, directory removed) on the way out; a case that does not unwind in time is left as it is.
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(sig, () => {
      process.stderr.write(`${PROGRAM}: ${sig}: stopping the programs it started\n`);
      interrupted = code;
      killChildren();
      setTimeout(() => exitAfterFlush(code), 15_000).unref();
    });
  }
  main().then(
    (code) => exitAfterFlush(interrupted ?? code),
    (err) => {
      process.stderr.write(`${PROGRAM}: ${errorLine(err)}\n`);
      exitAfterFlush(EXIT.FAILURE);
    },
  );
}
