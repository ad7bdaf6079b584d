import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { onEveryBackend } from './testing/backends';
import { sqliteSettings } from './testing/mariadb-server';
import { openDatabase, type Database } from './connection';
import { verifyDatabase, schemaStatus, migrateTo } from './verify';
import { MIGRATIONS } from './migrations/index';
import { SystemUserRepo } from './repos/system-user-repo';
import { SystemGroupRepo } from './repos/system-group-repo';
import { SystemParameterRepo } from './repos/system-parameter-repo';
import { UserLogRepo } from './repos/user-log-repo';
import { DbError } from './db-error';
import { SYSTEM_PARAMETERS } from './schema/system-parameters';
import { INDEXES } from './schema/indexes';

onEveryBackend('database layer', (backend) => {
  test('first start creates the database and the whole schema', async () => {
    const s = backend().fresh('first');
    const db = await openDatabase(s);
    try {
      if (backend().name === 'sqlite') assert.ok(existsSync(s.database), 'SQLite file created');
      const report = await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: true });
      assert.deepEqual(
        report.applied,
        MIGRATIONS.map((m) => m.name),
      );
      assert.deepEqual(report.indexesCreated, []);
      const status = await schemaStatus(db);
      assert.deepEqual(status.pending, []);
      const params = await new SystemParameterRepo(db).all();
      assert.equal(params.get('bytes_in_kbyte'), '1024');
      assert.equal(params.get('flow_charges_count'), '64');
      assert.equal(params.size, SYSTEM_PARAMETERS.length);
      const methods = await db.knex('payment_methods').select('*').orderBy('id');
      assert.equal(methods[0].name, 'Cash');
      assert.ok(methods.every((m: { id: number }) => m.id < 100));
      const groups = await new SystemGroupRepo(db).list();
      assert.deepEqual(
        groups.map((g) => g.name),
        ['Wheel', 'Dealers'],
      );
      assert.deepEqual(groups[1]!.rights, [{ from: 0x70000000, to: 0x7fffffff, allowed: true }]);
      // A second verify is a no-op.
      const again = await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: true });
      assert.deepEqual(again.applied, []);
    } finally {
      await db.close();
    }
  });

  test('an old schema is brought up to date by verify_database, and refused without it', async () => {
    const s = backend().fresh('old');
    let db: Database = await openDatabase(s);
    await migrateTo(db, MIGRATIONS.slice(0, 1));
    await db.close();

    db = await openDatabase(s);
    try {
      await assert.rejects(
        verifyDatabase(db, { verifyDatabase: false, verifyIndexes: false }),
        (err: unknown) =>
          err instanceof DbError && err.code === 'UTM_DB_SCHEMA_OLD' && /set verify_database=enable/.test(err.message),
      );
      const report = await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      assert.deepEqual(
        report.applied,
        MIGRATIONS.slice(1).map((m) => m.name),
      );
      assert.equal((await new SystemParameterRepo(db).all()).get('min_traffic_charge'), '5');
    } finally {
      await db.close();
    }
  });

  test('a schema from a newer version is refused', async () => {
    const s = backend().fresh('newer');
    const db = await openDatabase(s);
    try {
      await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      await db.knex('utm5_schema_migrations').insert({ name: '999-future', batch: 99, migration_time: new Date() });
      await assert.rejects(verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false }), /newer UTM5-TS/);
    } finally {
      await db.close();
    }
  });

  test('verify_database_index recreates a dropped index; the verificator log gets the statements', async () => {
    const logFile = `${process.env['TMPDIR'] ?? '/tmp'}/utm5-verif-${process.pid}-${backend().name}.sql`;
    const s = backend().fresh('idx');
    const db = await openDatabase(s);
    try {
      await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false, verificatorLog: logFile });
      assert.match(readFileSync(logFile, 'utf8'), /create table [`"]system_users[`"]/i);
      await db.knex.schema.alterTable('user_log', (t) => t.dropIndex(['ts'], 'user_log_ts_idx'));
      const report = await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: true });
      assert.deepEqual(report.indexesCreated, ['user_log_ts_idx']);
      const spec = INDEXES.find((i) => i.name === 'user_log_ts_idx');
      assert.ok(spec);
    } finally {
      await db.close();
    }
  });

  test('missing system parameters are added at start, existing values kept', async () => {
    const s = backend().fresh('params');
    const db = await openDatabase(s);
    try {
      await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      const repo = new SystemParameterRepo(db);
      await repo.set('bytes_in_kbyte', '1000');
      await db.knex('system_parameters').where({ name: 'smtp_port' }).delete();
      const report = await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      assert.deepEqual(report.parametersAdded, ['smtp_port']);
      const all = await repo.all();
      assert.equal(all.get('bytes_in_kbyte'), '1000');
      assert.equal(all.get('smtp_port'), '25');
      await assert.rejects(repo.set('no_such_param', 'x'), /does not exist/);
    } finally {
      await db.close();
    }
  });

  test('system users: negative ids, unique logins, groups, removal', async () => {
    const s = backend().fresh('sysusers');
    const db = await openDatabase(s);
    try {
      await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      const repo = new SystemUserRepo(db);
      const base = { passwordEnc: 'v1:x', ip4: '0.0.0.0', mask4: 0, ip6: '::', mask6: 0 };
      const a = await repo.create({ ...base, login: 'init', groups: [1] }, 100);
      const b = await repo.create({ ...base, login: 'web', groups: [1, 2, 2] }, 100);
      assert.equal(a, -1);
      assert.equal(b, -2);
      await assert.rejects(
        repo.create({ ...base, login: 'web', groups: [] }, 100),
        (e: unknown) => e instanceof DbError && e.code === 'UTM_DB_CONFLICT',
      );
      const list = await repo.list();
      assert.deepEqual(
        list.map((u) => [u.id, u.login, u.groups]),
        [
          [-1, 'init', [1]],
          [-2, 'web', [1, 2]],
        ],
      );
      await repo.update({ ...list[1]!, ip4: '10.0.0.0', mask4: 8, groups: [2] }, 200);
      const after = (await repo.list()).find((u) => u.id === -2)!;
      assert.equal(after.ip4, '10.0.0.0');
      assert.deepEqual(after.groups, [2]);
      await repo.remove(-2);
      assert.equal(await repo.count(), 1);
      await assert.rejects(repo.remove(-2), /does not exist/);
    } finally {
      await db.close();
    }
  });

  test('user_log appends and filters; bigint money-sized values round-trip as numbers', async () => {
    const s = backend().fresh('userlog');
    const db = await openDatabase(s);
    try {
      await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      const repo = new UserLogRepo(db);
      await repo.append({
        ts: 10,
        actorId: -1,
        actorLogin: 'init',
        actorIp: '127.0.0.1',
        action: 'a',
        userId: 5,
        details: 'x',
      });
      await repo.append({ ts: 20, actorId: -1, actorLogin: 'init', actorIp: '127.0.0.1', action: 'b', details: 'y' });
      assert.deepEqual(
        (await repo.list({ userId: 5 })).map((e) => e.action),
        ['a'],
      );
      assert.deepEqual(
        (await repo.list({ from: 15 })).map((e) => e.action),
        ['b'],
      );
      await db
        .knex('currencies')
        .insert({ id: 840, short_name: 'USD', full_name: 'US dollar', rate_e9: 9_007_199_254_740_991, percent_e6: 0 });
      const row = await db.knex('currencies').where({ id: 840 }).first();
      assert.equal(row.rate_e9, 9_007_199_254_740_991);
      assert.equal(typeof row.rate_e9, 'number');
    } finally {
      await db.close();
    }
  });

  test('transactions roll back as a whole', async () => {
    const s = backend().fresh('tx');
    const db = await openDatabase(s);
    try {
      await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
      await assert.rejects(
        db.tx(async (trx) => {
          await trx('user_log').insert({ ts: 1, actor_id: 0, action: 'x', details: '' });
          throw new Error('boom');
        }),
        /boom/,
      );
      const [{ n }] = await db.knex('user_log').count({ n: '*' });
      assert.equal(Number(n), 0);
    } finally {
      await db.close();
    }
  });
});

test('a MySQL server that is not there is one clear error after the configured retries', async () => {
  const s = {
    ...sqliteSettings('x'),
    database_type: 'mysql' as const,
    database: 'utm5',
    database_host: '127.0.0.1',
    database_port: 1,
    database_login: 'root',
    database_reconnect_count: 1,
    database_reconnect_sleep: 0,
  };
  await assert.rejects(
    openDatabase(s),
    (err: unknown) =>
      err instanceof DbError &&
      err.code === 'UTM_DB_CONNECT' &&
      /cannot connect to mysql utm5@127\.0\.0\.1:1: .*is the server running\?/.test(err.message),
  );
});
