import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../connection';
import { verifyDatabase } from '../verify';
import { onEveryBackend } from '../testing/backends';
import { ARCHIVED_TABLES, archivedTable } from './archived-tables';
import { archiveTablePeriod, closedPeriods, tableContent } from './archive-mover';
import { withArchives } from './archive-source';
import { verifyArchives } from './archive-verify';
import { ArchiveRegistry } from './archive-registry';

const M = 30 * 86400;
const T0 = 1700000000;
const NOW = 1800000000;

async function seeded(db: Database): Promise<void> {
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  // Two closed months and an open third.
  for (let i = 0; i < 3; i++) {
    await db.knex('discount_periods').insert({
      static_id: 1,
      start_date: T0 + i * M,
      end_date: T0 + (i + 1) * M,
      periodic_type: 3,
      anchor: T0,
      is_closed: i < 2,
    });
  }
  for (let i = 0; i < 30; i++) {
    await db
      .knex('account_ledger')
      .insert({ account_id: 1 + (i % 2), ts: T0 + i * 86400 * 3, kind: 'charge', amount: -i });
  }
  // Account 2 has an expiring-payment pool since T0 + M: its entries from then on stay live.
  await db.knex('expiring_pools').insert({
    account_id: 2,
    started_at: T0 + M,
    burn_date: T0 + 5 * M,
    total: 1,
    first_payment: T0 + M,
    last_payment: T0 + M,
  });
  const pay = (kind: string, at: number, burnt: boolean) => ({
    account_id: 1,
    kind,
    payment_absolute: 1_000_000,
    payment_incurrency: 1_000_000,
    currency_id: 810,
    rate_e9: 1_000_000_000,
    actual_date: at,
    payment_enter_date: at,
    burnt,
    method: 1,
    who_received: 0,
  });
  await db
    .knex('payment_transactions')
    .insert([pay('normal', T0 + 10, false), pay('credit', T0 + 20, false), pay('credit', T0 + 30, true)]);
  const session = (sid: string, at: number, stopped: number) => ({
    nas_ip: '10.0.0.1',
    acct_session_id: sid,
    login: 'u',
    started_at: at,
    updated_at: at,
    stopped_at: stopped,
  });
  await db.knex('radius_sessions').insert([session('a', T0 + 100, T0 + 200), session('b', T0 + 300, 0)]);
}

async function archiveAll(db: Database): Promise<number> {
  let moved = 0;
  for (const spec of ARCHIVED_TABLES)
    for (const p of await closedPeriods(db)) moved += (await archiveTablePeriod(db, spec, p, NOW)).moved;
  return moved;
}

onEveryBackend('archive moves', (backend) => {
  test('closed periods end where the first open one starts', async () => {
    const db = await openDatabase(backend().fresh('arch_periods'));
    try {
      await seeded(db);
      assert.deepEqual(await closedPeriods(db), [
        { start: T0, end: T0 + M },
        { start: T0 + M, end: T0 + 2 * M },
      ]);
    } finally {
      await db.close();
    }
  });

  test('rows move whole, the core-held ones stay live, and the union reads the same rows', async () => {
    const db = await openDatabase(backend().fresh('arch_move'));
    try {
      await seeded(db);
      const span = { start: 0, end: 2_000_000_000 };
      const union = async (t: string) => {
        const { source } = await withArchives(db, t, 'x', { column: archivedTable(t)!.dateColumn, span });
        return db.knex.from(source).orderBy('id').select('*');
      };
      const before = Object.fromEntries(
        await Promise.all(ARCHIVED_TABLES.map(async (t) => [t.table, await union(t.table)])),
      );
      assert.ok((await archiveAll(db)) > 0);
      for (const t of ARCHIVED_TABLES) assert.deepEqual(await union(t.table), before[t.table], t.table);
      // Kept live: account 2's entries since its pool started, the unburnt credit, the open session.
      const live = async (t: string) => Number((await db.knex(t).count({ n: '*' }))[0]!['n']);
      const ledgerKept = before['account_ledger'].filter(
        (r: { account_id: number; ts: number }) => r.ts >= T0 + 2 * M || (Number(r.account_id) === 2 && r.ts >= T0 + M),
      ).length;
      assert.equal(await live('account_ledger'), ledgerKept);
      assert.deepEqual(await db.knex('payment_transactions').pluck('kind'), ['credit']);
      assert.deepEqual(await db.knex('radius_sessions').pluck('acct_session_id'), ['b']);
      assert.deepEqual(
        (await verifyArchives(db, NOW)).map((c) => c.status),
        (await new ArchiveRegistry(db).list()).map(() => 'OK'),
      );
      // A re-run moves nothing; a late row of an archived period joins its archive on the next run.
      assert.equal(await archiveAll(db), 0);
      await db.knex('traffic_stats').insert({ ts: T0 + 5, account_id: 1, slink_id: 1, tclass_id: 1, ip: '', bytes: 7 });
      assert.equal(await archiveAll(db), 1);
      const [a] = await new ArchiveRegistry(db).list('traffic_stats');
      assert.deepEqual(await tableContent(db.knex, a!.archiveTable, 'ts'), { rows: a!.rows, checksum: a!.checksum });
      assert.equal(a!.rows, 1);
    } finally {
      await db.close();
    }
  });
});
