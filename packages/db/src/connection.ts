import { existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { nullLogger, type Logger } from '@utm5/common';
import type { DbSettings } from './db-params';
import { DbError } from './db-error';

export type DbType = 'mysql' | 'sqlite';

/**
 * An open database: a pool for user operations (URFA calls) and one for system operations (period closing,
 * archiving), as dbcount / dbcount_sys size them. SQLite has one writer, so both are the same single connection.
 */
export interface Database {
  readonly type: DbType;
  readonly knex: Knex;
  readonly sys: Knex;
  /** A transaction on the user pool (or the system pool), retried whole after a lost connection or a deadlock. */
  tx<T>(fn: (trx: Knex.Transaction) => Promise<T>, opts?: { sys?: boolean }): Promise<T>;
  /** "sqlite /var/utm5.db" or "mysql utm5@localhost:3306", for logs (never the password). */
  readonly where: string;
  close(): Promise<void>;
}

const TRANSIENT = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
]);

export function isTransientDbError(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code !== undefined && TRANSIENT.has(code);
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

/** Runs fn, retrying transient failures `count` more times with `sleepS` seconds between. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  count: number,
  sleepS: number,
  log: Logger,
  what: string,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransientDbError(err) || attempt >= count) throw err;
      log.warn(`${what} failed (${(err as Error).message}); retry ${attempt + 1} of ${count} in ${sleepS} s`);
      await sleep(sleepS);
    }
  }
}

/** Knex's own warnings (pool acquire errors and the like) go to our log at debug, never to the console. */
function knexLog(log: Logger): Knex.Config['log'] {
  const text = (m: unknown) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m));
  return {
    warn: (m: unknown) => log.debug(`knex: ${text(m)}`),
    error: (m: unknown) => log.debug(`knex: ${text(m)}`),
    deprecate: (m: unknown) => log.debug(`knex: ${text(m)}`),
    debug: (m: unknown) => log.trace(`knex: ${text(m)}`),
  };
}

function sqlitePath(s: DbSettings): string {
  return s.database === ':memory:' ? s.database : resolve(s.database);
}

/** The socket Debian's MariaDB uses when the manual's /tmp/mysql.sock is not there. */
function socketPath(s: DbSettings): string | undefined {
  if (s.database_host !== 'localhost') return undefined;
  if (s.database_sock_path) return s.database_sock_path;
  if (existsSync('/tmp/mysql.sock')) return '/tmp/mysql.sock';
  if (existsSync('/run/mysqld/mysqld.sock')) return '/run/mysqld/mysqld.sock';
  return '/tmp/mysql.sock';
}

function mysqlConnection(s: DbSettings, withDatabase: boolean): Knex.MySql2ConnectionConfig {
  const sock = socketPath(s);
  return {
    ...(sock ? { socketPath: sock } : { host: s.database_host, port: s.database_port }),
    user: s.database_login ?? userInfo().username,
    password: s.database_password,
    ...(withDatabase ? { database: s.database } : {}),
    charset: s.database_charset,
    supportBigNumbers: true,
    bigNumberStrings: false,
    timezone: 'Z',
  };
}

function mysqlWhere(s: DbSettings): string {
  const sock = socketPath(s);
  return `mysql ${s.database}@${sock ?? `${s.database_host}:${s.database_port}`}`;
}

function connectError(s: DbSettings, err: unknown): DbError {
  const e = err as { code?: string; message?: string };
  let hint = '';
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED')
    hint = ': is the server running? check database_host/database_port/database_sock_path';
  else if (e.code === 'ER_ACCESS_DENIED_ERROR') hint = ': check database_login and database_password';
  return new DbError('UTM_DB_CONNECT', `cannot connect to ${mysqlWhere(s)}: ${e.message ?? String(err)}${hint}`, {
    cause: err,
  });
}

async function openMysql(s: DbSettings, log: Logger): Promise<Database> {
  const identifier = s.database.replace(/`/g, '``');
  // First start: create the database when missing, on a short-lived connection without a default database.
  await withRetry(
    async () => {
      const boot = knexFactory({
        client: 'mysql2',
        connection: mysqlConnection(s, false),
        pool: { min: 0, max: 1 },
        log: knexLog(log),
      });
      try {
        await boot.raw(
          `CREATE DATABASE IF NOT EXISTS \`${identifier}\` CHARACTER SET ${s.database_charset === 'utf8' ? 'utf8' : 'utf8mb4'}`,
        );
      } catch (err) {
        if (isTransientDbError(err)) throw err;
        throw connectError(s, err);
      } finally {
        await boot.destroy();
      }
    },
    s.database_reconnect_count,
    s.database_reconnect_sleep,
    log,
    `connecting to ${mysqlWhere(s)}`,
  ).catch((err) => {
    throw err instanceof DbError ? err : connectError(s, err);
  });

  const make = (max: number) =>
    knexFactory({
      client: 'mysql2',
      connection: mysqlConnection(s, true),
      pool: { min: 0, max, propagateCreateError: false },
      acquireConnectionTimeout: 20_000,
      log: knexLog(log),
    });
  const user = make(s.dbcount);
  const sys = make(s.dbcount_sys);
  try {
    await user.raw('SELECT 1');
  } catch (err) {
    await Promise.all([user.destroy(), sys.destroy()]);
    throw connectError(s, err);
  }
  return makeDatabase('mysql', user, sys, mysqlWhere(s), s, log, async () => {
    await Promise.all([user.destroy(), sys.destroy()]);
  });
}

async function openSqlite(s: DbSettings, log: Logger): Promise<Database> {
  const file = sqlitePath(s);
  if (file !== ':memory:') {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (err) {
      throw new DbError(
        'UTM_DB_CREATE',
        `cannot create the directory of the SQLite database ${file}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
  const k = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    log: knexLog(log),
    // One connection: SQLite has a single writer, and one connection makes every transaction serial without BUSY.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, c: unknown) => void) => {
        try {
          cachePreparedStatements(conn);
          conn.pragma('journal_mode = WAL');
          // NORMAL in WAL mode: a commit is in the WAL before COMMIT returns, so it survives a crash of the process
          // (kill -9); only a power loss can take the last commits back, never corrupt the file.
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
  try {
    await k.raw('SELECT 1');
  } catch (err) {
    await k.destroy();
    throw new DbError('UTM_DB_CREATE', `cannot open the SQLite database ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return makeDatabase('sqlite', k, k, `sqlite ${file}`, s, log, () => k.destroy());
}

interface SqliteConnection {
  pragma(s: string): unknown;
  prepare(sql: string): unknown;
}

/** How many distinct statements a connection keeps prepared (knex builds the same text for every query of a shape). */
const STATEMENT_CACHE_SIZE = 2000;

/**
 * Knex's better-sqlite3 client prepares every query anew; parsing the SQL was a quarter of the core's time under
 * RADIUS accounting load. Statements are reusable (calls on one connection are synchronous), so each text is prepared
 * once; a schema change (DDL) empties the cache so no statement outlives the table shape it was made for.
 */
export function cachePreparedStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let st = cache.get(sql);
    if (st === undefined) {
      if (/^\s*(create|alter|drop)\b/i.test(sql)) {
        cache.clear();
        return prepare(sql);
      }
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      st = prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
}

function makeDatabase(
  type: DbType,
  user: Knex,
  sys: Knex,
  where: string,
  s: DbSettings,
  log: Logger,
  close: () => Promise<void>,
): Database {
  return {
    type,
    knex: user,
    sys,
    where,
    tx: (fn, opts) =>
      withRetry(
        () => (opts?.sys ? sys : user).transaction(fn),
        s.database_reconnect_count,
        s.database_reconnect_sleep,
        log,
        'database transaction',
      ),
    close,
  };
}

/** Opens (creating when missing) the database the settings name. */
/**
 * Whether the MySQL server lets database_login in with no password at all (utm5_security_check): one short
 * connection, no retries, nothing created. A refusal or an unreachable server is false.
 */
export async function mysqlAcceptsNoPassword(s: DbSettings): Promise<boolean> {
  const probe = knexFactory({
    client: 'mysql2',
    connection: { ...mysqlConnection({ ...s, database_password: '' }, false), connectTimeout: 5000 },
    pool: { min: 0, max: 1 },
  });
  try {
    await probe.raw('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await probe.destroy();
  }
}

export function openDatabase(s: DbSettings, log: Logger = nullLogger): Promise<Database> {
  return s.database_type === 'mysql' ? openMysql(s, log) : openSqlite(s, log);
}
