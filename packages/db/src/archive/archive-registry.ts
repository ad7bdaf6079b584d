import type { Knex } from 'knex';
import type { Database } from '../connection';

/** The manual's archive statuses (Archive DB page). */
export const ARCHIVE_STATUS = {
  OK: 'OK',
  VERIFY: 'Verify',
  UNABLE: 'Unable to verify',
  NEED_REPAIR: 'Need repair',
} as const;
export type ArchiveStatus = (typeof ARCHIVE_STATUS)[keyof typeof ARCHIVE_STATUS];

export interface ArchiveRecord {
  readonly id: number;
  readonly type: number;
  readonly sourceTable: string;
  readonly archiveTable: string;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly rows: number;
  readonly checksum: string;
  readonly status: ArchiveStatus;
  readonly createdAt: number;
  readonly verifiedAt: number;
}

export const ARCHIVES_TABLE = 'archives';

function toRecord(r: Record<string, unknown>): ArchiveRecord {
  return {
    id: Number(r['id']),
    type: Number(r['archive_type']),
    sourceTable: String(r['source_table']),
    archiveTable: String(r['archive_table']),
    periodStart: Number(r['period_start']),
    periodEnd: Number(r['period_end']),
    rows: Number(r['rows']),
    checksum: String(r['checksum']),
    status: String(r['status']) as ArchiveStatus,
    createdAt: Number(r['created_at']),
    verifiedAt: Number(r['verified_at']),
  };
}

/** The archive registry: db_archiver writes it, the reports read which archives to include. */
export class ArchiveRegistry {
  constructor(private readonly db: Database) {}

  async list(sourceTable?: string): Promise<ArchiveRecord[]> {
    let q = this.db.knex(ARCHIVES_TABLE).orderBy('source_table').orderBy('period_start');
    if (sourceTable) q = q.where({ source_table: sourceTable });
    return ((await q) as Record<string, unknown>[]).map(toRecord);
  }

  /** The OK archives of a table; with a span, only those whose period meets it. */
  async usable(sourceTable: string, span?: { start: number; end: number }): Promise<ArchiveRecord[]> {
    let q = this.db.knex(ARCHIVES_TABLE).where({ source_table: sourceTable, status: ARCHIVE_STATUS.OK });
    if (span) q = q.andWhere('period_end', '>', span.start).andWhere('period_start', '<', span.end);
    return ((await q.orderBy('period_start')) as Record<string, unknown>[]).map(toRecord);
  }

  async byArchiveTable(trx: Knex, archiveTable: string): Promise<ArchiveRecord | undefined> {
    const r = await trx(ARCHIVES_TABLE).where({ archive_table: archiveTable }).first();
    return r ? toRecord(r as Record<string, unknown>) : undefined;
  }

  /** Records the archive's content after a move, in the move's transaction. */
  async record(
    trx: Knex,
    a: Omit<ArchiveRecord, 'id' | 'status' | 'verifiedAt' | 'createdAt'>,
    now: number,
  ): Promise<void> {
    const row = {
      rows: a.rows,
      checksum: a.checksum,
      status: ARCHIVE_STATUS.OK,
      verified_at: now,
    };
    const had = await this.byArchiveTable(trx, a.archiveTable);
    if (had) {
      await trx(ARCHIVES_TABLE).where({ id: had.id }).update(row);
      return;
    }
    await trx(ARCHIVES_TABLE).insert({
      ...row,
      archive_type: a.type,
      source_table: a.sourceTable,
      archive_table: a.archiveTable,
      period_start: a.periodStart,
      period_end: a.periodEnd,
      created_at: now,
    });
  }

  async setStatus(id: number, status: ArchiveStatus, now: number): Promise<void> {
    await this.db.sys(ARCHIVES_TABLE).where({ id }).update({ status, verified_at: now });
  }
}
