import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@utm5/common/testing';
import type { DbSettings } from '@utm5/db';
import { startProgram, type Running } from './process';

/**
 * A utm5_core of our own for one test: temp directory, free loopback ports, its own SQLite file (or the MariaDB
 * settings given), started as the real bin/utm5_core process.
 */
export interface CoreInstance {
  readonly dir: string;
  readonly configFile: string;
  readonly pidFile: string;
  readonly urfaPort: number;
  readonly streamPort: number;
  proc: Running;
  /** Starts (again) with the same config. */
  start(extraArgs?: string[]): Promise<Running>;
  stop(): Promise<number | string>;
  cleanup(): Promise<void>;
}

export interface CoreOptions {
  /** Extra or overriding config lines, name -> value (a list repeats the parameter). */
  readonly config?: Record<string, string | string[]>;
  readonly db?: DbSettings;
  /** Don't wait for the "started" line (for tests of failing starts). */
  readonly noWait?: boolean;
}

function dbLines(db: DbSettings): Record<string, string> {
  const out: Record<string, string> = {
    database_type: db.database_type,
    database: db.database,
    database_host: db.database_host,
    database_port: String(db.database_port),
  };
  if (db.database_login) out['database_login'] = db.database_login;
  if (db.database_sock_path) out['database_sock_path'] = db.database_sock_path;
  if (db.database_password) out['database_password'] = db.database_password;
  return out;
}

export async function createCore(opts: CoreOptions = {}): Promise<CoreInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-core-'));
  const urfaPort = await freePort();
  const streamPort = await freePort();
  const cfg: Record<string, string | string[]> = {
    database_type: 'sqlite',
    database: join(dir, 'utm5.db'),
    urfa_bind_host: '127.0.0.1',
    urfa_bind_port: String(urfaPort),
    stream_bind_host: '127.0.0.1',
    stream_bind_port: String(streamPort),
    core_pid_file: join(dir, 'utm5_core.pid'),
    secret_key_file: join(dir, 'utm5.key'),
    ssl_cert_file: join(dir, 'cert.crt'),
    ssl_privkey_file: join(dir, 'privkey.pem'),
    log_level: '3',
    log_file_debug: join(dir, 'debug.log'),
    ...(opts.db ? dbLines(opts.db) : {}),
    ...opts.config,
  };
  const configFile = join(dir, 'utm5.cfg');
  writeFileSync(
    configFile,
    Object.entries(cfg)
      .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${x}`))
      .join('\n') + '\n',
  );
  const inst: CoreInstance = {
    dir,
    configFile,
    pidFile: String(cfg['core_pid_file']),
    urfaPort,
    streamPort,
    proc: undefined as unknown as Running,
    async start(extraArgs = []) {
      // A restart after a kill may find its port briefly taken (by an outgoing connection's ephemeral port, with
      // other tests running alongside): that start is retried, anything else fails at once.
      for (let attempt = 1; ; attempt++) {
        inst.proc = startProgram('utm5_core', ['-c', configFile, ...extraArgs]);
        if (opts.noWait) return inst.proc;
        try {
          await inst.proc.waitForOutput(/\bstarted, pid \d+/);
          return inst.proc;
        } catch (err) {
          if (attempt >= 10 || !/address is in use/.test(inst.proc.output())) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    },
    stop: () => inst.proc.stop(),
    async cleanup() {
      if (inst.proc) await inst.proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await inst.start();
  return inst;
}
