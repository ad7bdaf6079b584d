import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

/** db_archiver's command line: the manual's options, with -? as -h. */
export interface ArchiverArgs {
  readonly archive: boolean; // -a
  readonly config: string; // -c
  readonly diff: boolean; // -d
  readonly updateMarked: boolean; // -e
  readonly updateFormats: boolean; // -f
  readonly updateArchives: boolean; // -g
  readonly updateIndexes: boolean; // -i
  readonly ignorePkDefault: boolean; // -n
  readonly verifyArchives: boolean; // -t
  readonly lockCore: boolean; // -l
  readonly quiet: boolean; // -q
  readonly update: boolean; // -u
  readonly describe: boolean; // -v
  readonly login: string; // -x
  readonly password: string; // -y
  readonly lockTimeout: number;
}

/** A command-line mistake: one line on stderr, exit code 2. */
export class ArchiverUsageError extends Error {}

export const DEFAULT_CONFIG = '/netup/utm5/utm5.cfg';

function buildCommand(program: string): Command {
  return new Command(program)
    .description(
      'Compare the database structure with the one this core requires, update it, and archive the tables meant ' +
        'to be archived (the rows of closed accounting periods move to per-period archive tables)',
    )
    .option('-a', 'archive tables that are meant to be archived')
    .option('-c <path>', 'UTM5 configuration file path', DEFAULT_CONFIG)
    .option('-d', 'write the difference between the current and the required DB structure to the log file')
    .option('-e', 'with -u: update the columns changed since the previous release (pending schema steps)')
    .option('-f', 'with -u: update every column whose format differs (pending schema steps)')
    .option('-g', 'with -u: update the structure of the archive tables')
    .option('-i', 'with -u: update (create the missing) indexes')
    .option('-n', 'do not consider a primary key without a default value as a change in structure')
    .option('-t', 'verify archived tables')
    .option('-l', 'ask the running core to hold its DB writes back while archiving (with -a)')
    .option('-q', 'no confirmations, minimal output (for running on a schedule)')
    .option('-u', 'update the DB structure, as -e, -f, -g and -i say (e.g. -uef)')
    .option('-v', 'write the required DB structure description to the log file')
    .option('-x <login>', 'login for the core over URFA (-l)', 'init')
    .option('-y <password>', 'password for the core over URFA (-l)', 'init')
    .option('--password-file <path>', 'UTM5-TS: read the -l password from this file (kept out of the process list)')
    .option('--lock-timeout <seconds>', 'UTM5-TS: seconds the core stays paused if db_archiver dies (-l)', '300')
    .option('--version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride();
}

/** Parses argv (without node and script); returns the args, or 'help' / 'version' when that was asked and shown. */
export function parseArchiverArgs(program: string, argv: readonly string[]): ArchiverArgs | 'help' | 'version' {
  const cmd = buildCommand(program).configureOutput({
    writeErr: () => undefined,
    writeOut: (s) => process.stdout.write(s),
  });
  try {
    cmd.parse(
      argv.map((a) => (a === '-?' ? '-h' : a)),
      { from: 'user' },
    );
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return 'help';
      throw new ArchiverUsageError(err.message.replace(/^error: /, '').split('\n')[0]!);
    }
    throw err;
  }
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  if (o['version']) return 'version';
  const flag = (k: string) => o[k] === true;
  const timeout = String(o['lockTimeout']);
  if (!/^\d+$/.test(timeout) || Number(timeout) < 10 || Number(timeout) > 86400)
    throw new ArchiverUsageError(`--lock-timeout ${timeout}: expected seconds 10..86400`);
  const a: ArchiverArgs = {
    archive: flag('a'),
    config: String(o['c']),
    diff: flag('d'),
    updateMarked: flag('e'),
    updateFormats: flag('f'),
    updateArchives: flag('g'),
    updateIndexes: flag('i'),
    ignorePkDefault: flag('n'),
    verifyArchives: flag('t'),
    lockCore: flag('l'),
    quiet: flag('q'),
    update: flag('u'),
    describe: flag('v'),
    login: String(o['x']),
    password: o['passwordFile'] !== undefined ? readPassword(String(o['passwordFile'])) : String(o['y']),
    lockTimeout: Number(timeout),
  };
  const parts = a.updateMarked || a.updateFormats || a.updateArchives || a.updateIndexes;
  if (a.update && !parts) throw new ArchiverUsageError('-u needs what to update: -e, -f, -g or -i (e.g. -uef)');
  if (parts && !a.update)
    throw new ArchiverUsageError('-e, -f, -g and -i update the structure only with -u (e.g. -uef)');
  if (a.lockCore && !a.archive) throw new ArchiverUsageError('-l holds the core back while archiving: use it with -a');
  if (!(a.archive || a.diff || a.verifyArchives || a.update || a.describe))
    throw new ArchiverUsageError('nothing to do: give -a, -d, -t, -u or -v (-h for help)');
  return a;
}

function readPassword(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new ArchiverUsageError(
      `--password-file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
