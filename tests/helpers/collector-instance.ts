import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import type { CollectorCounters } from '@utm5/collector';
import type { CoreInstance } from './core-instance';
import { startDaemon, type DaemonInstance } from './daemon-instance';

export type CollectorStats = CollectorCounters & {
  pendingAggregates: number;
  unacknowledged: number;
  connected: boolean;
  tclasses: number;
  ipGroups: number;
};

/** A real utm5_traffic_collector process for one test, linked to a test core. */
export interface CollectorInstance extends DaemonInstance<CollectorStats> {
  readonly nfPort: number;
  readonly spoolDir: string;
}

export async function createCollector(
  core: CoreInstance,
  config: Record<string, string> = {},
): Promise<CollectorInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-tc-'));
  const nfPort = await freePort();
  const statsFile = join(dir, 'stats.json');
  const spoolDir = join(dir, 'spool');
  const cfg: Record<string, string> = {
    core_host: '127.0.0.1',
    core_port: String(core.streamPort),
    tc_login: 'collector',
    tc_password: 'collector',
    tc_name: 'traffic_collector',
    nfbuffer_host: '127.0.0.1',
    nfbuffer_port: String(nfPort),
    tc_spool_dir: spoolDir,
    tc_stats_file: statsFile,
    tc_stats_interval_ms: '20',
    tc_pid_file: join(dir, 'collector.pid'),
    stream_ping_interval: '1',
    log_level: '3',
    log_file_debug: join(dir, 'debug.log'),
    ...config,
  };
  const d = await startDaemon<CollectorStats>(
    'utm5_traffic_collector',
    dir,
    'utm5_traffic_collector.cfg',
    cfg,
    statsFile,
  );
  return Object.assign(d, { nfPort, spoolDir });
}
