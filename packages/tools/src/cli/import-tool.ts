import { createReadStream, existsSync, openSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Command } from 'commander';
import {
  ConfigError,
  EXIT,
  describeConfig,
  loadConfigFile,
  problemLine,
  reportWarnings,
  validateEntries,
  versionLine,
  type ConfigSchema,
  type LoadedConfig,
  type ParamSpec,
} from '@utm5/common';

/** The manual's default data file of utm5_send_traffic and utm5_send_cdr. */
export const DEFAULT_SOURCE = '/netup/utm5/source.dat';

export interface ImportToolSpec<S extends ParamSpec> {
  readonly program: string;
  readonly description: string;
  readonly schema: ConfigSchema<S>;
  /** What the -s file holds, for the help and the error ('traffic', 'call records'). */
  readonly what: string;
}

/** Ready to import: the settings and the opened source; or the exit code the tool ends with now. */
export type ImportStart<S extends ParamSpec> =
  { readonly loaded: LoadedConfig<S>; readonly source: string; readonly input: Readable } | { readonly exit: number };

/** The file given with -c; without -c the default file when it exists, else the declared defaults. */
function settings<S extends ParamSpec>(schema: ConfigSchema<S>, file: string | undefined): LoadedConfig<S> {
  if (file === undefined && !existsSync(schema.defaultFile)) return validateEntries(schema, 'defaults', []);
  return loadConfigFile(schema, file ?? schema.defaultFile);
}

/**
 * The command line the manual gives the import tools (-c config, -s file or -, -v): parsed, the configuration
 * loaded and its problems reported, -v answered, the source opened (before connecting, so a wrong -s is a usage
 * error that costs no login).
 */
export function startImportTool<S extends ParamSpec>(
  argv: readonly string[],
  spec: ImportToolSpec<S>,
  bufferBytes?: number,
): ImportStart<S> {
  const { program, schema } = spec;
  const cmd = new Command(program)
    .description(spec.description)
    .helpOption('-h, --help', 'show this help')
    .option('-c <path>', `configuration file (default ${schema.defaultFile}, when it exists)`)
    .option('-s <path>', `${spec.what} file to import; - for standard input`, DEFAULT_SOURCE)
    .option('-v', 'print the version and the effective parameters')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (err) {
    return { exit: (err as { code?: string }).code === 'commander.helpDisplayed' ? EXIT.OK : EXIT.USAGE };
  }
  const o = cmd.opts<{ c?: string; s: string; v?: boolean }>();
  let loaded: LoadedConfig<S>;
  try {
    loaded = settings(schema, o.c);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) process.stderr.write(`${program}: ${problemLine(p)}\n`);
    return { exit: EXIT.USAGE };
  }
  reportWarnings(program, loaded.warnings);
  if (o.v) {
    process.stdout.write(`${versionLine(program)}\nconfiguration ${loaded.file}:\n${describeConfig(schema, loaded)}\n`);
    return { exit: EXIT.OK };
  }
  if (o.s === '-') return { loaded, source: o.s, input: process.stdin };
  try {
    const fd = openSync(o.s, 'r');
    const input = createReadStream('', {
      fd,
      encoding: 'utf8',
      ...(bufferBytes ? { highWaterMark: bufferBytes } : {}),
    });
    return { loaded, source: o.s, input };
  } catch (err) {
    process.stderr.write(`${program}: -s ${o.s}: cannot read the ${spec.what} file: ${(err as Error).message}\n`);
    return { exit: EXIT.USAGE };
  }
}
