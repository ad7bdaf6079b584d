import { runDaemon, runDaemonMain, type DaemonSpec } from '@utm5/common';
import { coreConfig } from './config/core-config';
import { createCoreClock } from './clock/core-clock';
import { Core } from './core';
import { databaseHealth } from './metrics/core-metrics';

const spec: DaemonSpec<typeof coreConfig.params> = {
  program: 'utm5_core',
  description: 'UTM5-TS billing core: URFA and Stream servers, tariffication, scheduler',
  schema: coreConfig,
  pidFile: (c) => c.core_pid_file,
  create(config, log, metrics) {
    const clock = createCoreClock(config.test_clock, log);
    let core: Core | undefined;
    return {
      start: async () => {
        core = await Core.open({ config, log, clock, metrics });
        await core.start();
      },
      stop: async () => core?.stop(),
      hup: async () => core?.hup(),
      describe: () => core?.db.where ?? '',
      health: async () => (core ? databaseHealth(core.db) : { db: { ok: false, reason: 'not open yet' } }),
    };
  },
};

/** utm5_core's entry; resolves with the exit code once the core has stopped (or failed to start). */
export function main(argv: readonly string[] = process.argv): Promise<number> {
  return runDaemon(spec, argv);
}

/** Entry for bin/utm5_core. */
export function run(): void {
  runDaemonMain(spec);
}
