import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import type { CoreInstance } from './core-instance';
import { startProgram, type Running } from './process';

export interface RadiusStats {
  authRequests: number; accepts: number; rejects: number; badAuthenticator: number; ignored: number; acctRequests: number; acctResponses: number; unknownNas: number; malformed: number;
  duplicates: number; sessionsOpen: number; eventsSpooled: number; eventsAcked: number; connected: boolean; unacknowledged: number; nas: number; logins: number;
}

/** A real utm5_radius process for one test, linked to a test core, with its counters file read on demand. */
export interface RadiusInstance {
  readonly dir: string;
  readonly authPort: number;
  readonly acctPort: number;
  proc: Running;
  start(): Promise<Running>;
  stats(): RadiusStats | undefined;
  until(what: string, pred: (s: RadiusStats) => boolean, ms?: number): Promise<RadiusStats>;
  cleanup(): Promise<void>;
}

export async function createRadius(core: CoreInstance, config: Record<string, string> = {}): Promise<RadiusInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-radius-'));
  const authPort = await freePort();
  const acctPort = await freePort();
  const statsFile = join(dir, 'stats.json');
  const cfg: Record<string, string> = {
    core_host: '127.0.0.1', core_port: String(core.streamPort), radius_auth_host: '127.0.0.1', radius_auth_port: String(authPort),
    radius_acct_host: '127.0.0.1', radius_acct_port: String(acctPort), radius_spool_dir: join(dir, 'spool'), radius_stats_file: statsFile,
    radius_pid_file: join(dir, 'radius.pid'), radius_ping_interval: '1', log_level: '3', log_file_debug: join(dir, 'debug.log'), ...config,
  };
  const file = join(dir, 'radius5.cfg');
  writeFileSync(file, Object.entries(cfg).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const inst: RadiusInstance = {
    dir, authPort, acctPort, proc: undefined as unknown as Running,
    async start() {
      rmSync(statsFile, { force: true });
      inst.proc = startProgram('utm5_radius', ['-c', file]);
      await inst.proc.waitForOutput(/\bstarted, pid \d+/);
      return inst.proc;
    },
    stats() {
      try {
        return JSON.parse(readFileSync(statsFile, 'utf8')) as RadiusStats;
      } catch {
        return undefined;
      }
    },
    async until(what, pred, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const s = inst.stats();
        if (s && pred(s)) return s;
        if (inst.proc.child.exitCode !== null) throw new Error(`utm5_radius exited while waiting for ${what}: ${inst.proc.output()}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; counters ${JSON.stringify(s)}\n${inst.proc.output()}`);
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

/** Runs Debian's radclient (freeradius-utils) with attribute lines on stdin; resolves with its exit code and output. */
export function radclient(args: readonly string[], input: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('radclient', [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code: code ?? -1, out }));
    p.stdin.end(input);
  });
}
