import type { Knex } from 'knex';

/** A prepared better-sqlite3 statement: the few methods the bulk writers use. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** The better-sqlite3 connection under a knex transaction (its prepare is the connection's statement cache). */
export interface SqliteHandle {
  prepare(sql: string): SqliteStatement;
}

interface TxClient {
  driverName?: string;
  acquireConnection(): Promise<unknown>;
}

/**
 * The better-sqlite3 connection a SQLite transaction runs on, undefined on any other backend. Statements run on it
 * synchronously inside the transaction: for writes of thousands of rows a prepared statement run per row costs a few
 * microseconds where knex's building and formatting of a multi-row insert costs ten times that. A transaction's
 * client always hands out its own connection, so this never takes one from the pool.
 */
export async function sqliteHandle(trx: Knex.Transaction): Promise<SqliteHandle | undefined> {
  const client = trx.client as unknown as TxClient;
  if (client.driverName !== 'better-sqlite3') return undefined;
  return (await client.acquireConnection()) as SqliteHandle;
}
