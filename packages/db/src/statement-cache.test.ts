import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cachePreparedStatements } from './connection';

interface Statement {
  run(...a: unknown[]): unknown;
  all(...a: unknown[]): unknown[];
}
interface Db {
  prepare(sql: string): Statement;
  close(): void;
}
// better-sqlite3 ships no types; this test needs four methods of it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => Db;

test('SQLite statements are prepared once per text, and a schema change leaves no statement of the old shape', () => {
  const db = new Database(':memory:');
  let prepared = 0;
  const raw = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    prepared++;
    return raw(sql);
  };
  cachePreparedStatements(db as unknown as Parameters<typeof cachePreparedStatements>[0]);
  db.prepare('create table t (a integer)').run();
  const ins = db.prepare('insert into t (a) values (?)');
  assert.equal(db.prepare('insert into t (a) values (?)'), ins, 'the same text: the same statement');
  ins.run(1);
  db.prepare('insert into t (a) values (?)').run(2);
  const before = prepared;
  assert.deepEqual(db.prepare('select * from t order by a').all(), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(db.prepare('select * from t order by a').all(), [{ a: 1 }, { a: 2 }]);
  assert.equal(prepared, before + 1, 'prepared once for two runs');
  db.prepare("alter table t add column b text default 'x'").run();
  assert.deepEqual(
    db.prepare('select * from t order by a').all(),
    [
      { a: 1, b: 'x' },
      { a: 2, b: 'x' },
    ],
    'the new column is there',
  );
  db.close();
});
