import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Db {
  prepare(sql: string): { get(): unknown };
  close(): void;
}
// better-sqlite3 ships no types; this test reads one count with it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => Db;

/**
 * The child opens the database as the daemons do (WAL, synchronous=NORMAL), commits batches (more than the WAL's
 * checkpoint threshold, so some are only in the WAL), says so, and waits to be killed: what it committed must be
 * there after kill -9.
 */
const CHILD = `
const { openDatabase } = require(${JSON.stringify(join(__dirname, 'connection'))});
const { sqliteSettings } = require(${JSON.stringify(join(__dirname, 'testing', 'mariadb-server'))});
(async () => {
  const db = await openDatabase(sqliteSettings(process.argv[1]));
  await db.knex.raw('create table t (id integer primary key, uid text unique)');
  for (let b = 0; b < 5; b++) {
    await db.tx(async (trx) => {
      const rows = Array.from({ length: 10_000 }, (_, i) => ({ uid: String(Math.random()) + ':' + b + ':' + i }));
      for (let i = 0; i < rows.length; i += 200) await trx('t').insert(rows.slice(i, i + 200));
    });
  }
  process.stdout.write('committed\\n');
  setInterval(() => {}, 1000);
})();
`;

test('SQLite: the batches committed before a kill -9 of the process are all in the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-crash-'));
  try {
    const file = join(dir, 'utm5.db');
    const child = spawn(process.execPath, ['-e', CHILD, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => (d.toString().includes('committed') ? resolve() : undefined));
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before committing`)));
    });
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.ok(statSync(`${file}-wal`).size > 0, 'the last commits are in the WAL, not yet in the file');
    const db = new Database(file);
    assert.deepEqual(db.prepare('select count(*) as n from t').get(), { n: 50_000 });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
