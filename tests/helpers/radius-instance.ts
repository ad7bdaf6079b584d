import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import type { TelCounters } from '@utm5/radiusd';
import type { CoreInstance } from './core-instance';
import { startDaemon, type DaemonInstance } from './daemon-instance';

/** utm5_radius's stats file (its telephony counters included). */
export interface RadiusStats extends TelCounters {
  authRequests: number;
  accepts: number;
  rejects: number;
  badAuthenticator: number;
  ignored: number;
  acctRequests: number;
  acctResponses: number;
  unknownNas: number;
  malformed: number;
  duplicates: number;
  sessionsOpen: number;
  eventsSpooled: number;
  eventsAcked: number;
  connected: boolean;
  unacknowledged: number;
  nas: number;
  logins: number;
  dmSent: number;
  dmAcked: number;
  dmNaked: number;
  dmTimeouts: number;
  coaSent: number;
  coaAcked: number;
  coaNaked: number;
  coaTimeouts: number;
}

/** A real utm5_radius process for one test, linked to a test core. */
export interface RadiusInstance extends DaemonInstance<RadiusStats> {
  readonly authPort: number;
  readonly acctPort: number;
}

export async function createRadius(core: CoreInstance, config: Record<string, string> = {}): Promise<RadiusInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-radius-'));
  const authPort = await freePort();
  const acctPort = await freePort();
  const statsFile = join(dir, 'stats.json');
  const cfg: Record<string, string> = {
    core_host: '127.0.0.1',
    core_port: String(core.streamPort),
    radius_auth_host: '127.0.0.1',
    radius_auth_port: String(authPort),
    radius_acct_host: '127.0.0.1',
    radius_acct_port: String(acctPort),
    radius_spool_dir: join(dir, 'spool'),
    radius_stats_file: statsFile,
    radius_pid_file: join(dir, 'radius.pid'),
    radius_ping_interval: '1',
    log_level: '3',
    log_file_debug: join(dir, 'debug.log'),
    ...config,
  };
  const d = await startDaemon<RadiusStats>('utm5_radius', dir, 'radius5.cfg', cfg, statsFile);
  return Object.assign(d, { authPort, acctPort });
}

/** Runs Debian's radclient (freeradius-utils) with attribute lines on stdin; resolves with its exit code and output. */
export function radclient(args: readonly string[], input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('radclient', [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code: code ?? -1, out }));
    p.stdin.end(input);
  });
}
