import type { Knex } from 'knex';
import type { Database } from '../connection';
import { DbError } from '../db-error';
import { archiveName, type ArchivedTable } from './archived-tables';
import { ArchiveRegistry } from './archive-registry';
import { columnDifferences, copyTableStructure, describeColumns } from './table-structure';
import type { DateSpan } from './archive-source';

/**
 * The periods that may be archived: cut at the ends of the closed accounting periods, up to the start of the first
 * period still open (the core still charges there). The first starts where the oldest closed period starts.
 */
export async function closedPeriods(db: Database): Promise<DateSpan[]> {
  const k = db.sys;
  const closed: { start_date: number | string; end_date: number | string }[] = await k('discount_periods')
    .where({ is_closed: true })
    .select('start_date', 'end_date');
  if (closed.length === 0) return [];
  const [open] = await k('discount_periods').where({ is_closed: false }).min({ m: 'start_date' });
  const limit = open?.['m'] === null || open?.['m'] === undefined ? Infinity : Number(open['m']);
  const ends = [...new Set(closed.map((p) => Number(p.end_date)))].filter((e) => e <= limit).sort((a, b) => a - b);
  let prev = Math.min(...closed.map((p) => Number(p.start_date)));
  const out: DateSpan[] = [];
  for (const e of ends) {
    if (e <= prev) continue;
    out.push({ start: prev, end: e });
    prev = e;
  }
  return out;
}

export interface MoveResult {
  readonly table: string;
  readonly archiveTable: string;
  readonly period: DateSpan;
  /** Rows moved by this run. */
  readonly moved: number;
  /** Rows in the archive after it. */
  readonly rows: number;
}

interface Content {
  readonly rows: number;
  readonly checksum: string;
}

/** Row count and a checksum (sums of the ids and of the date field) of the rows of `table` in the period. */
export async function tableContent(k: Knex, table: string, dateColumn: string, p?: DateSpan): Promise<Content> {
  let q = k(table);
  if (p) q = q.where(dateColumn, '>=', p.start).andWhere(dateColumn, '<', p.end);
  const [r] = await q.select(
    k.raw('COUNT(*) AS n'),
    k.raw('COALESCE(SUM(??), 0) AS s', ['id']),
    k.raw('COALESCE(SUM(??), 0) AS d', [dateColumn]),
  );
  const row = r as Record<string, unknown>;
  return { rows: Number(row['n']), checksum: `${BigInt(String(row['s']))}:${BigInt(String(row['d']))}` };
}

/**
 * Moves the rows of one table in one period into its archive, all or nothing: the archive table is created first
 * (DDL commits on its own in MySQL, and an empty archive is harmless), then one transaction copies the rows, deletes
 * exactly the copied ones from the live table and records the archive's content in the registry. A kill at any
 * point leaves every row in exactly one of the two tables; a re-run moves what is left, so it is also how rows that
 * arrive late for an archived period (a delayed traffic batch) join their archive.
 */
export async function archiveTablePeriod(
  db: Database,
  spec: ArchivedTable,
  period: DateSpan,
  now: number,
  hooks: { onCopied?: (rows: number) => void } = {},
): Promise<MoveResult> {
  const archive = archiveName(spec.table, period.start);
  const registry = new ArchiveRegistry(db);
  const registered = await registry.byArchiveTable(db.sys, archive);
  if (!registered && (await tableContent(db.sys, spec.table, spec.dateColumn, period)).rows === 0) {
    return { table: spec.table, archiveTable: archive, period, moved: 0, rows: 0 };
  }
  await copyTableStructure(db, spec.table, archive);
  const diff = columnDifferences(
    archive,
    await describeColumns(db.sys, db.type, spec.table),
    await describeColumns(db.sys, db.type, archive),
  );
  if (diff.length > 0) {
    throw new DbError(
      'UTM_DB_ARCHIVE_STRUCTURE',
      `archive ${archive} differs from ${spec.table} (${diff[0]}): run db_archiver -ug to update the archive tables`,
    );
  }
  const col = spec.dateColumn;
  return db.tx(
    async (trx) => {
      const before = await tableContent(trx, archive, col);
      const keep = spec.keepLive ? ` AND NOT (${spec.keepLive})` : '';
      await trx.raw(`INSERT INTO ?? SELECT t.* FROM ?? t WHERE t.?? >= ? AND t.?? < ?${keep}`, [
        archive,
        spec.table,
        col,
        period.start,
        col,
        period.end,
      ]);
      const after = await tableContent(trx, archive, col);
      const moved = after.rows - before.rows;
      hooks.onCopied?.(moved);
      // Only the copied rows go: a row the core wrote meanwhile (without -l) stays live for the next run.
      const deleted = await trx(spec.table)
        .where(col, '>=', period.start)
        .andWhere(col, '<', period.end)
        .whereIn('id', trx(archive).where(col, '>=', period.start).andWhere(col, '<', period.end).select('id'))
        .delete();
      if (Number(deleted) !== moved) {
        throw new DbError(
          'UTM_DB_ARCHIVE_MISMATCH',
          `archiving ${spec.table} into ${archive}: ${moved} rows copied but ${deleted} deleted; nothing was moved`,
        );
      }
      await registry.record(
        trx,
        {
          type: spec.type,
          sourceTable: spec.table,
          archiveTable: archive,
          periodStart: period.start,
          periodEnd: period.end,
          rows: after.rows,
          checksum: after.checksum,
        },
        now,
      );
      return { table: spec.table, archiveTable: archive, period, moved, rows: after.rows };
    },
    { sys: true },
  );
}
