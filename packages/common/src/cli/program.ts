import { Command } from 'commander';
import { errorLine } from '../errors/utm-error';
import { ConfigError, problemLine, type ConfigProblem } from '../config/config-error';
import { UTM5_TS_VERSION } from '../version';

/** Exit codes shared by every program: scripts can tell a usage/config mistake from a runtime failure. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/** Writes an error as `program: message`, one line per problem, to stderr. Returns the exit code it deserves. */
export function reportError(program: string, err: unknown): number {
  if (err instanceof ConfigError) {
    reportWarnings(program, err.warnings);
    for (const p of err.problems) process.stderr.write(`${program}: ${problemLine(p)}\n`);
    return EXIT.USAGE;
  }
  process.stderr.write(`${program}: ${errorLine(err)}\n`);
  return EXIT.FAILURE;
}

export function reportWarnings(program: string, warnings: readonly ConfigProblem[]): void {
  for (const w of warnings) process.stderr.write(`${program}: warning: ${problemLine(w)}\n`);
}

export interface DaemonArgs {
  config: string;
  pidFile: string | undefined;
  showVersion: boolean;
}

/**
 * The command line every UTM5 daemon takes, as the manual gives it for utm5_core: -c config, -p pid file, -v
 * version and parameters.
 */
export function parseDaemonArgs(
  program: string,
  description: string,
  defaultConfig: string,
  argv: readonly string[],
): DaemonArgs {
  const cmd = new Command(program)
    .description(description)
    .option('-c, --config <path>', 'configuration file', defaultConfig)
    .option('-p, --pid-file <path>', 'pid file (overrides the config file)')
    .option('-v, --version', 'print the version and the effective parameters, then exit')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .allowExcessArguments(false);
  cmd.parse(argv as string[], { from: 'node' });
  const o = cmd.opts<{ config: string; pidFile?: string; version?: boolean }>();
  return { config: o.config, pidFile: o.pidFile, showVersion: o.version === true };
}

export function versionLine(program: string): string {
  return `${program} ${UTM5_TS_VERSION} (UTM5-TS)`;
}

/**
 * Exits once stdout and stderr have drained: on a pipe they are asynchronous, and process.exit() right after a large
 * write cuts the output short (a urfaclient list read by a script lost its tail).
 */
export function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
