import type { Command } from 'commander';
import { EXIT, versionLine } from '@utm5/common';

/** Option values by their single-letter (or long) names, as commander gives them. */
export type CliValues = Record<string, string | boolean | undefined>;

/**
 * Parses the tool's own argv (no node/script prefix). Help, --version and commander's own complaints (unknown
 * option, missing value: one line on stderr) are answered here and come back as the exit code; otherwise the values.
 */
export function parseCommand(cmd: Command, argv: readonly string[]): CliValues | number {
  cmd.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (err) {
    return (err as { code?: string }).code === 'commander.helpDisplayed' ? EXIT.OK : EXIT.USAGE;
  }
  const o = cmd.opts<CliValues>();
  if (o['version']) {
    process.stdout.write(`${versionLine(cmd.name())}\n`);
    return EXIT.OK;
  }
  return o;
}
