import { inRange, runDaemon, runDaemonMain, type DaemonSpec } from '@utm5/common';
import type { RangeCheck } from '@utm5/netflow';
import type { TimeRangeWire } from '@utm5/protocol';
import { collectorConfig } from './config';
import { Collector } from './collector';
import { registerCollectorMetrics } from './collector-metrics';

/** A class's time range at a flow's time, in the billing time zone the core sent with it. */
const rangeCheck: RangeCheck<TimeRangeWire> = (r, unixMs) =>
  inRange({ id: 0, name: '', priority: 0, entries: r.entries, days: r.days }, Math.floor(unixMs / 1000), r.tz);

const spec: DaemonSpec<typeof collectorConfig.params> = {
  program: 'utm5_traffic_collector',
  description: 'UTM5-TS traffic collector: NetFlow v5/v7/v9/IPFIX in, classified aggregates to utm5_core over Stream',
  schema: collectorConfig,
  pidFile: (c) => c.tc_pid_file,
  create: (config, log, metrics) => {
    const collector = new Collector(config, log, rangeCheck);
    if (metrics)
      registerCollectorMetrics(
        metrics,
        () => collector.snapshot(),
        () => collector.decoderStats(),
      );
    return collector;
  },
};

export function main(argv: readonly string[] = process.argv): Promise<number> {
  return runDaemon(spec, argv);
}

export function run(): void {
  runDaemonMain(spec);
}
