import { EXIT, runDaemon, type DaemonSpec } from '@utm5/common';
import type { RfwSyncFlag } from '@utm5/protocol';
import { parseRfwArgs, RfwUsageError } from './command-line';
import { rfwConfig } from './config';
import { RfwDaemon } from './rfw-daemon';
import { registerRfwMetrics } from './rfw-metrics';

const PROGRAM = 'utm5_rfw';

function spec(syncOverride: RfwSyncFlag[] | undefined): DaemonSpec<typeof rfwConfig.params> {
  return {
    program: PROGRAM,
    description:
      'UTM5-TS firewall agent: runs the commands of the firewall rules utm5_core sends it. ' +
      'Also: -s <flags> sync on connect (enable:disable:users:iptraffic:dialup:blocks:shaping), -f / -o (deprecated: -s enable)',
    schema: rfwConfig,
    pidFile: (c) => c.pid_file,
    create: (config, log, metrics) => {
      const daemon = new RfwDaemon(config, log, syncOverride ?? config.sync_flags ?? []);
      if (metrics) registerRfwMetrics(metrics, () => daemon.snapshot());
      return daemon;
    },
  };
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  let args;
  try {
    args = parseRfwArgs(argv);
  } catch (err) {
    if (!(err instanceof RfwUsageError)) throw err;
    process.stderr.write(`${PROGRAM}: ${err.message}\n`);
    return EXIT.USAGE;
  }
  for (const w of args.warnings) process.stderr.write(`${PROGRAM}: warning: ${w}\n`);
  return runDaemon(spec(args.syncFlags), args.rest);
}

/** The bin/ entry (like runDaemonMain, with utm5_rfw's own options taken first). */
export function run(): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${PROGRAM}: ${(err as Error).message}\n`);
      process.exit(EXIT.FAILURE);
    },
  );
}
