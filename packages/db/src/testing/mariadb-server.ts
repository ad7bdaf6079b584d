import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { dbSettings, type DbSettings } from '../db-params';

/**
 * A throwaway MariaDB server for tests: its own data directory, socket and loopback port under a temp dir, started
 * from Debian's binaries and stopped (by its pid) when the test is done. Never touches a system MariaDB.
 */
export interface MariaDbServer {
  readonly socket: string;
  readonly port: number;
  readonly pid: number;
  settings(database: string, over?: Partial<DbSettings>): DbSettings;
  stop(): Promise<void>;
}

function which(names: string[]): string | undefined {
  for (const n of names) {
    for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
      const p = join(dir, n);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

/** Why MariaDB tests cannot run here, or undefined when they can. */
export function mariaDbUnavailable(): string | undefined {
  if (!which(['mariadbd', 'mysqld']))
    return 'no MariaDB server binary (mariadbd) on this machine: apt-get install mariadb-server';
  if (!which(['mariadb-install-db', 'mysql_install_db'])) return 'no mariadb-install-db on this machine';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection(socket);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export async function startMariaDb(): Promise<MariaDbServer> {
  const why = mariaDbUnavailable();
  if (why) throw new Error(why);
  const server = which(['mariadbd', 'mysqld'])!;
  const installDb = which(['mariadb-install-db', 'mysql_install_db'])!;
  const dir = mkdtempSync(join(tmpdir(), 'utm5-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysql.sock');
  const me = userInfo().username;
  // Its own temp directory: bootstrap servers of parallel runs sharing /tmp have deleted each other's temp tables.
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const install = spawnSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--user=${me}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      `--tmpdir=${tmp}`,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--tmpdir=${tmp}`,
      `--log-error=${join(dir, 'error.log')}`,
      `--user=${me}`,
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--skip-log-bin',
      '--skip-name-resolve',
      '--innodb-flush-log-at-trx-commit=2',
      '--max-connections=500',
    ],
    { stdio: 'ignore', detached: false },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 60_000;
  while (!(await canConnect(socket))) {
    if (child.exitCode !== null || Date.now() > until) {
      const log = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000) : '';
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`MariaDB did not start: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    socket,
    port,
    pid: child.pid!,
    settings: (database, over = {}) =>
      dbSettings({
        database_type: 'mysql',
        database,
        database_login: 'root',
        database_sock_path: socket,
        database_port: port,
        dbcount: 4,
        dbcount_sys: 2,
        database_reconnect_count: 2,
        database_reconnect_sleep: 1,
        ...over,
      }),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SQLite settings for a test database file. */
export function sqliteSettings(file: string, over: Partial<DbSettings> = {}): DbSettings {
  return dbSettings({
    database_type: 'sqlite',
    database: file,
    database_reconnect_count: 0,
    database_reconnect_sleep: 0,
    ...over,
  });
}
