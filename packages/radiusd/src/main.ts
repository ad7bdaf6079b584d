import { runDaemon, runDaemonMain, type DaemonSpec } from '@utm5/common';
import { radiusConfig } from './config';
import { RadiusDaemon } from './radius-daemon';
import { radiusLatency, registerRadiusMetrics } from './radius-metrics';

const spec: DaemonSpec<typeof radiusConfig.params> = {
  program: 'utm5_radius',
  description: 'UTM5-TS RADIUS server: authentication, authorization and accounting for utm5_core',
  schema: radiusConfig,
  pidFile: (c) => c.radius_pid_file,
  create: (config, log, metrics) => {
    const daemon = new RadiusDaemon(config, log);
    if (metrics) {
      registerRadiusMetrics(metrics, () => daemon.snapshot());
      daemon.timeAnswers(radiusLatency(metrics));
    }
    return daemon;
  },
};

export function main(argv: readonly string[] = process.argv): Promise<number> {
  return runDaemon(spec, argv);
}

export function run(): void {
  runDaemonMain(spec);
}
