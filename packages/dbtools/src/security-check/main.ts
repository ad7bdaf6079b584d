import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Command } from 'commander';
import {
  EXIT,
  errorLine,
  exitAfterFlush,
  loadConfigFile,
  reportError,
  versionLine,
  type ConfigSchema,
  type LoadedConfig,
  type ParamSpec,
} from '@utm5/common';
import { collectorConfig } from '@utm5/collector';
import { coreConfig } from '@utm5/core';
import { openDatabase, type Database } from '@utm5/db';
import { radiusConfig } from '@utm5/radiusd';
import { rfwConfig } from '@utm5/rfw';
import { paymentToolConfig, sendCdrConfig, sendTrafficConfig } from '@utm5/tools';
import { urfaclientConfig } from '@utm5/urfaclient';
import type { Utm5Config } from '../utm5-database';
import { parseCommandLine } from '../command-line';
import {
  checkDatabasePasswordSet,
  checkFilePermissions,
  checkPlainStream,
  checkPlainUrfa,
  checkTestClock,
  checkWildcardListeners,
  statOrUndefined,
  type ProgramConfig,
} from './config-checks';
import { CheckSkipped, checkDatabaseAcceptsNoPassword, checkDefaultPasswords } from './database-checks';
import { SECURITY_CHECKS, findingLine, type SecurityCheckName, type SecurityFinding } from './finding';
import { checkTimeSync } from './time-sync';

const PROGRAM = 'utm5_security_check';

/** The programs whose config files sit beside utm5.cfg, each read by its own declaration (so defaults count). */
const SIBLINGS: readonly ConfigSchema[] = [
  radiusConfig,
  rfwConfig,
  collectorConfig,
  urfaclientConfig,
  paymentToolConfig,
  sendCdrConfig,
  sendTrafficConfig,
] as readonly ConfigSchema[];

function schemaFor(file: string): ConfigSchema | undefined {
  const name = basename(file);
  for (const s of SIBLINGS) {
    const own = basename(s.defaultFile);
    // utm5_rfw@NAME reads rfw5-NAME.cfg (config/systemd/utm5_rfw@.service).
    if (name === own || name.startsWith(own.replace(/\.cfg$/, '-'))) return s;
  }
  return undefined;
}

interface Options {
  config: string;
  configDir?: string;
  skip: string[];
  json?: boolean;
  quiet?: boolean;
  version?: boolean;
}

/** Exit codes: 0 nothing found; 1 findings, or a check that could not run; 2 usage or configuration. */
export async function main(argv: readonly string[]): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description(
      'Check a UTM5-TS installation against the security checklist: default system user passwords, URFA and ' +
        'Stream in clear beyond loopback, config/key/state files readable by others, a database without a ' +
        'password, listeners on every address, the test clock, time synchronisation. One line per finding with ' +
        'its fix; exit 1 when any. Relative paths in the configs are taken from the working directory, as the ' +
        'programs take them: run it where they run.',
    )
    .option('-c, --config <path>', 'utm5.cfg of the core', '/netup/utm5/utm5.cfg')
    .option('--config-dir <dir>', "directory of the other programs' *.cfg files (default: that of -c)")
    .option(
      '--skip <checks>',
      `comma-separated checks not to run: ${SECURITY_CHECKS.join(', ')}`,
      (v: string, prev: string[]) => [
        ...prev,
        ...v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ],
      [] as string[],
    )
    .option('--json', 'print {"findings": [...], "skipped": [...]} instead of lines')
    .option('-q, --quiet', 'print the findings only, no summary')
    .option('--version', 'print the version and exit');
  let db: Database | undefined;
  try {
    const done = parseCommandLine(cmd, PROGRAM, argv);
    if (done !== undefined) return done;
    const o = cmd.opts<Options>();
    if (o.version) {
      process.stdout.write(`${versionLine(PROGRAM)}\n`);
      return EXIT.OK;
    }
    const unknown = o.skip.filter((s) => !(SECURITY_CHECKS as readonly string[]).includes(s));
    if (unknown.length > 0) {
      process.stderr.write(`${PROGRAM}: --skip ${unknown.join(',')}: no such check (${SECURITY_CHECKS.join(', ')})\n`);
      return EXIT.USAGE;
    }
    const coreFile = resolve(o.config);
    const core: ProgramConfig = {
      schema: coreConfig as ConfigSchema,
      loaded: loadConfigFile(coreConfig, coreFile) as LoadedConfig<ParamSpec>,
    };
    const config = core.loaded.values as unknown as Utm5Config;
    const dir = resolve(o.configDir ?? dirname(coreFile));
    const skipped: { check: SecurityCheckName; reason: string }[] = [];
    const siblings: ProgramConfig[] = [];
    const unparsed: string[] = [];
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.cfg'))
      .sort()) {
      const file = join(dir, name);
      if (file === coreFile) continue;
      const schema = schemaFor(file);
      if (!schema) {
        unparsed.push(file);
        continue;
      }
      try {
        siblings.push({ schema, loaded: loadConfigFile(schema, file) as LoadedConfig<ParamSpec> });
      } catch (err) {
        // A program that would not start with this file listens nowhere; its mode still matters.
        unparsed.push(file);
        if (!o.quiet)
          process.stderr.write(`${PROGRAM}: ${file}: not read (${errorLine(err)}); only its mode is checked\n`);
      }
    }
    const all = [core, ...siblings];
    const runs: Record<SecurityCheckName, () => Promise<SecurityFinding[]>> = {
      'default-password': async () => {
        if (config.database_type === 'sqlite' && !statOrUndefined(resolve(config.database)))
          throw new CheckSkipped(`database ${resolve(config.database)} does not exist (has utm5_core started?)`);
        db ??= await openDatabase(config);
        return checkDefaultPasswords(db, config);
      },
      'plain-urfa': async () => checkPlainUrfa(core),
      'plain-stream': async () => checkPlainStream(all),
      'file-permissions': async () => checkFilePermissions(all, unparsed),
      'database-password': async () => [
        ...checkDatabasePasswordSet(core),
        ...(await checkDatabaseAcceptsNoPassword(config, coreFile)),
      ],
      'wildcard-listener': async () => checkWildcardListeners(all),
      'test-clock': async () => checkTestClock(core),
      'time-sync': () => checkTimeSync(),
    };
    const findings: SecurityFinding[] = [];
    for (const check of SECURITY_CHECKS) {
      if (o.skip.includes(check)) continue;
      try {
        findings.push(...(await runs[check]()));
      } catch (err) {
        skipped.push({ check, reason: err instanceof CheckSkipped ? err.message : errorLine(err) });
      }
    }
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ findings, skipped }, null, 2)}\n`);
    } else {
      for (const f of findings) process.stdout.write(`${findingLine(f)}\n`);
      for (const s of skipped) process.stderr.write(`${PROGRAM}: ${s.check}: not checked: ${s.reason}\n`);
      if (!o.quiet)
        process.stderr.write(
          `${PROGRAM}: ${findings.length} finding(s) in ${all.length + unparsed.length} config file(s) of ${dir}` +
            `${skipped.length > 0 ? `; ${skipped.length} check(s) could not run` : ''}\n`,
        );
    }
    return findings.length > 0 || skipped.length > 0 ? EXIT.FAILURE : EXIT.OK;
  } catch (err) {
    return reportError(PROGRAM, err);
  } finally {
    await db?.close();
  }
}

export function run(): void {
  void main(process.argv.slice(2)).then(exitAfterFlush);
}
