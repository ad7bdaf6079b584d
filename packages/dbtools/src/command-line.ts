import { CommanderError, type Command } from 'commander';
import { EXIT } from '@utm5/common';

/**
 * Parses the command line of one of these tools: undefined to go on, or the exit code when it is done already
 * (help shown: 0; a usage error: 2, printed as one `program: reason` line).
 */
export function parseCommandLine(cmd: Command, program: string, argv: readonly string[]): number | undefined {
  cmd
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  try {
    cmd.parse(argv as string[], { from: 'user' });
    return undefined;
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return EXIT.OK;
    process.stderr.write(`${program}: ${err.message.replace(/^error: /, '').split('\n')[0]}\n`);
    return EXIT.USAGE;
  }
}
