import { appendFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { nullLogger, type Logger } from '@utm5/common';
import type { Database } from './connection';
import { DbError } from './db-error';
import { MIGRATIONS, type Migration } from './migrations/index';
import { INDEXES, createIndex } from './schema/indexes';
import { SYSTEM_PARAMETERS } from './schema/system-parameters';

export const MIGRATIONS_TABLE = 'utm5_schema_migrations';

function migrationConfig(list: readonly Migration[]): Knex.MigratorConfig {
  return {
    tableName: MIGRATIONS_TABLE,
    migrationSource: {
      getMigrations: async () => [...list],
      getMigrationName: (m: Migration) => m.name,
      getMigration: async (m: Migration) => ({ up: (k: Knex) => m.up(k), down: (k: Knex) => m.down(k) }),
    },
  };
}

export interface SchemaStatus {
  readonly applied: readonly string[];
  readonly pending: readonly string[];
  /** Applied names this program does not know: the database was written by a newer version. */
  readonly unknown: readonly string[];
}

export async function schemaStatus(db: Database, list: readonly Migration[] = MIGRATIONS): Promise<SchemaStatus> {
  const known = new Set(list.map((m) => m.name));
  const hasTable = await db.sys.schema.hasTable(MIGRATIONS_TABLE);
  const applied: string[] = hasTable
    ? (await db.sys(MIGRATIONS_TABLE).select('name').orderBy('id')).map((r: { name: string }) => r.name)
    : [];
  const done = new Set(applied);
  return {
    applied,
    pending: list.filter((m) => !done.has(m.name)).map((m) => m.name),
    unknown: applied.filter((n) => !known.has(n)),
  };
}

export interface VerifyOptions {
  readonly verifyDatabase: boolean;
  readonly verifyIndexes: boolean;
  /** Appends every schema statement applied here (the manual's log_file_verificator). */
  readonly verificatorLog?: string | undefined;
  readonly log?: Logger;
  readonly now?: () => number;
  /** Migrations to consider (tests pass a prefix to build an old schema). */
  readonly migrations?: readonly Migration[];
}

export interface VerifyReport {
  readonly applied: readonly string[];
  readonly indexesCreated: readonly string[];
  readonly indexesUnknown: readonly string[];
  readonly parametersAdded: readonly string[];
}

async function liveIndexes(db: Database): Promise<{ table: string; name: string }[]> {
  if (db.type === 'sqlite') {
    const rows = await db.sys.raw(
      "SELECT tbl_name AS tbl, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    );
    return (rows as { tbl: string; name: string }[]).map((r) => ({ table: r.tbl, name: r.name }));
  }
  const [rows] = await db.sys.raw(
    'SELECT DISTINCT TABLE_NAME AS tbl, INDEX_NAME AS name FROM information_schema.STATISTICS ' +
      "WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'",
  );
  return (rows as { tbl: string; name: string }[]).map((r) => ({ table: r.tbl, name: r.name }));
}

/**
 * What verify_database does at start: bring the schema up to date (or refuse an old one when disabled), add system
 * parameters a newer version introduced, and with verify_database_index create missing indexes.
 */
export async function verifyDatabase(db: Database, opts: VerifyOptions): Promise<VerifyReport> {
  const log = opts.log ?? nullLogger;
  const list = opts.migrations ?? MIGRATIONS;
  const status = await schemaStatus(db, list);
  if (status.unknown.length > 0) {
    throw new DbError(
      'UTM_DB_SCHEMA_NEWER',
      `database ${db.where} has schema steps this version does not know (${status.unknown.join(', ')}): ` +
        'it was upgraded by a newer UTM5-TS; run that version',
    );
  }
  let applied: string[] = [];
  if (status.pending.length > 0) {
    if (!opts.verifyDatabase) {
      throw new DbError(
        'UTM_DB_SCHEMA_OLD',
        `database ${db.where} lacks ${status.pending.length} schema step(s) (${status.pending.join(', ')}) and ` +
          'verify_database is disabled: set verify_database=enable to upgrade it',
      );
    }
    const record = (q: { sql: string }) => {
      if (opts.verificatorLog) appendFileSync(opts.verificatorLog, `${q.sql};\n`);
    };
    if (opts.verificatorLog) {
      appendFileSync(
        opts.verificatorLog,
        `-- ${new Date((opts.now?.() ?? Date.now() / 1000) * 1000).toISOString()} ` +
          `verify ${db.where}: applying ${status.pending.join(', ')}\n`,
      );
    }
    db.sys.on('query', record);
    try {
      const [, names] = await db.sys.migrate.latest(migrationConfig(list));
      applied = names as string[];
    } catch (err) {
      throw new DbError('UTM_DB_MIGRATION', `upgrading ${db.where} failed: ${(err as Error).message}`, { cause: err });
    } finally {
      db.sys.off('query', record);
    }
    for (const name of applied) log.notice(`schema step ${name} applied to ${db.where}`);
  }

  const parametersAdded: string[] = [];
  if (await db.sys.schema.hasTable('system_parameters')) {
    const have = new Set((await db.sys('system_parameters').select('name')).map((r: { name: string }) => r.name));
    for (const p of SYSTEM_PARAMETERS) {
      if (have.has(p.name)) continue;
      await db.sys('system_parameters').insert({ name: p.name, value: p.default, description: p.description });
      parametersAdded.push(p.name);
    }
  }

  const indexesCreated: string[] = [];
  const indexesUnknown: string[] = [];
  if (opts.verifyIndexes) {
    const live = await liveIndexes(db);
    const liveNames = new Set(live.map((i) => i.name));
    const tables = new Set<string>();
    for (const spec of INDEXES) {
      if (!(await db.sys.schema.hasTable(spec.table))) continue;
      tables.add(spec.table);
      if (liveNames.has(spec.name)) continue;
      await createIndex(db.sys, spec);
      indexesCreated.push(spec.name);
      log.warn(`index ${spec.name} on ${spec.table} was missing and has been created`);
    }
    const declared = new Set(INDEXES.map((i) => i.name));
    for (const i of live) {
      // Foreign keys get implicit indexes on MySQL named after the column; only report names we did not declare
      // on tables we own.
      if (!tables.has(i.table) || declared.has(i.name) || /^(.*_foreign|group_id|user_id|currency_id)$/.test(i.name))
        continue;
      indexesUnknown.push(i.name);
      log.notice(`index ${i.name} on ${i.table} is not part of the UTM5-TS schema (left in place)`);
    }
  }
  return { applied, indexesCreated, indexesUnknown, parametersAdded };
}

/** Applies exactly the given migrations, for tests that need an older schema. */
export async function migrateTo(db: Database, list: readonly Migration[]): Promise<void> {
  await db.sys.migrate.latest(migrationConfig(list));
}
