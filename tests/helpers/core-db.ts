import { loadConfigFile, nullLogger, SystemClock, type Clock, type RootLogger } from '@utm5/common';
import { Core, coreConfig, type CoreConfig } from '@utm5/core';
import type { CoreInstance } from './core-instance';

const quiet: RootLogger = { ...nullLogger, addSecret() {}, reopen() {}, close() {}, child: () => nullLogger };

/**
 * Runs `fn` with an in-process core on a test core's configuration and database (no URFA listener, Stream on a free port), for setting up
 * data through the core's own API or reading results. With SQLite the test core process may be running or stopped.
 */
export async function withCore<T>(
  inst: CoreInstance,
  fn: (core: Core) => Promise<T>,
  clockFor: (config: CoreConfig) => Clock = () => new SystemClock(),
): Promise<T> {
  const config = loadConfigFile(coreConfig, inst.configFile).values;
  const clock = clockFor(config);
  // An ephemeral Stream port: the test core process may be listening on the configured one.
  const core = await Core.open({ config: { ...config, urfa_bind_host: [], stream_bind_port: 0 }, log: quiet, clock });
  await core.start();
  try {
    return await fn(core);
  } finally {
    await core.stop();
  }
}
