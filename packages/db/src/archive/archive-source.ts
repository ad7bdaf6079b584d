import type { Knex } from 'knex';
import type { Database } from '../connection';
import { archivedTable } from './archived-tables';
import { ArchiveRegistry } from './archive-registry';
import { describeColumns } from './table-structure';

/** [start, end), unix seconds. */
export interface DateSpan {
  readonly start: number;
  readonly end: number;
}

// A table's columns do not change while a process runs (migrations apply at start), so they are read once.
const columnCache = new WeakMap<Database, Map<string, readonly string[]>>();

async function columnsOf(db: Database, table: string): Promise<readonly string[]> {
  let m = columnCache.get(db);
  if (!m) columnCache.set(db, (m = new Map()));
  let cols = m.get(table);
  if (!cols) {
    cols = (await describeColumns(db.knex, db.type, table)).map((c) => c.name);
    m.set(table, cols);
  }
  return cols;
}

/** A FROM source; wrapped because a knex Raw is thenable and an async function would run it instead of returning it. */
export interface ArchiveSource {
  readonly source: string | Knex.Raw;
}

/**
 * What a report reads `table` from: the table itself, or, once periods of it are archived, the union of the table
 * and its archives registered OK, so an archived month reports the same figures as before. With `by` (the column the
 * report filters on and its span), archives whose period cannot hold such rows are left out; that pruning applies
 * only when the report filters on the archive's own date field (payments are archived by payment_enter_date but
 * reported by actual_date, so every payment archive is read).
 */
export async function withArchives(
  db: Database,
  table: string,
  alias: string,
  by?: { readonly column: string; readonly span: DateSpan },
): Promise<ArchiveSource> {
  const spec = archivedTable(table);
  if (!spec || !(await db.knex.schema.hasTable('archives'))) return { source: `${table} as ${alias}` };
  const span = by && by.column === spec.dateColumn ? by.span : undefined;
  const archives = await new ArchiveRegistry(db).usable(table, span);
  if (archives.length === 0) return { source: `${table} as ${alias}` };
  const cols = await columnsOf(db, table);
  const list = cols.map(() => '??').join(', ');
  const parts = [table, ...archives.map((a) => a.archiveTable)];
  const sql = parts.map(() => `SELECT ${list} FROM ??`).join(' UNION ALL ');
  const bindings = parts.flatMap((p) => [...cols, p]);
  return { source: db.knex.raw(`(${sql}) as ??`, [...bindings, alias]) };
}
