import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import type { CollectorCounters } from '@utm5/collector';
import type { CoreInstance } from './core-instance';
import { startProgram, type Running } from './process';

export type CollectorStats = CollectorCounters & { pendingAggregates: number; unacknowledged: number; connected: boolean; tclasses: number; ipGroups: number };

/** A real utm5_traffic_collector process for one test, linked to a test core, with its counters file read on demand. */
export interface CollectorInstance {
  readonly dir: string;
  readonly nfPort: number;
  readonly spoolDir: string;
  proc: Running;
  start(): Promise<Running>;
  stats(): CollectorStats | undefined;
  /** Polls the counters until `pred` holds. */
  until(what: string, pred: (s: CollectorStats) => boolean, ms?: number): Promise<CollectorStats>;
  cleanup(): Promise<void>;
}

export async function createCollector(core: CoreInstance, config: Record<string, string> = {}): Promise<CollectorInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-tc-'));
  const nfPort = await freePort();
  const statsFile = join(dir, 'stats.json');
  const spoolDir = join(dir, 'spool');
  const cfg: Record<string, string> = {
    core_host: '127.0.0.1', core_port: String(core.streamPort), tc_login: 'collector', tc_password: 'collector', tc_name: 'traffic_collector',
    nfbuffer_host: '127.0.0.1', nfbuffer_port: String(nfPort), tc_spool_dir: spoolDir, tc_stats_file: statsFile, tc_stats_interval_ms: '20',
    tc_pid_file: join(dir, 'collector.pid'), stream_ping_interval: '1', log_level: '3', log_file_debug: join(dir, 'debug.log'), ...config,
  };
  const file = join(dir, 'utm5_traffic_collector.cfg');
  writeFileSync(file, Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const inst: CollectorInstance = {
    dir, nfPort, spoolDir, proc: undefined as unknown as Running,
    async start() {
      rmSync(statsFile, { force: true });
      inst.proc = startProgram('utm5_traffic_collector', ['-c', file]);
      await inst.proc.waitForOutput(/\bstarted, pid \d+/);
      return inst.proc;
    },
    stats() {
      try {
        return JSON.parse(readFileSync(statsFile, 'utf8')) as CollectorStats;
      } catch {
        return undefined;
      }
    },
    async until(what, pred, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const s = inst.stats();
        if (s && pred(s)) return s;
        if (inst.proc.child.exitCode !== null) throw new Error(`utm5_traffic_collector exited while waiting for ${what}: ${inst.proc.output()}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; collector counters ${JSON.stringify(s)}\n${inst.proc.output()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async cleanup() {
      await inst.proc?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await inst.start();
  return inst;
}
