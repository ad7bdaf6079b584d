import type { Database } from '../connection';
import { archivedTable } from './archived-tables';
import { ARCHIVE_STATUS, ArchiveRegistry, type ArchiveRecord, type ArchiveStatus } from './archive-registry';
import { tableContent } from './archive-mover';
import { addMissingColumns, columnDifferences, describeColumns, listTables } from './table-structure';

export interface ArchiveCheck {
  readonly archive: ArchiveRecord;
  readonly status: ArchiveStatus;
  /** Empty when the archive is OK. */
  readonly problems: readonly string[];
}

/**
 * db_archiver -t (and -ug with `repair`): each registered archive against the registry and its live table. An archive
 * whose rows or checksum changed is "Unable to verify" (its data needs a person); one whose columns differ from the
 * live table's is "Need repair" (reports cannot read it), or with repair gets the missing columns and is OK again.
 * Every archive's status in the registry is updated.
 */
export async function verifyArchives(
  db: Database,
  now: number,
  opts: { repair?: boolean } = {},
): Promise<ArchiveCheck[]> {
  const registry = new ArchiveRegistry(db);
  const tables = new Set(await listTables(db.sys, db.type));
  const out: ArchiveCheck[] = [];
  for (const a of await registry.list()) {
    const problems: string[] = [];
    let status: ArchiveStatus = ARCHIVE_STATUS.OK;
    const spec = archivedTable(a.sourceTable);
    if (!spec) {
      problems.push(`${a.archiveTable}: ${a.sourceTable} is not an archived table of this version`);
      status = ARCHIVE_STATUS.UNABLE;
    } else if (!tables.has(a.archiveTable)) {
      problems.push(`${a.archiveTable}: the archive table does not exist`);
      status = ARCHIVE_STATUS.UNABLE;
    } else {
      const have = await tableContent(db.sys, a.archiveTable, spec.dateColumn);
      if (have.rows !== a.rows || have.checksum !== a.checksum) {
        problems.push(
          `${a.archiveTable}: ${have.rows} rows (checksum ${have.checksum}), the registry has ${a.rows} (${a.checksum})`,
        );
        status = ARCHIVE_STATUS.UNABLE;
      }
      const diff = async () =>
        columnDifferences(
          a.archiveTable,
          await describeColumns(db.sys, db.type, a.sourceTable),
          await describeColumns(db.sys, db.type, a.archiveTable),
        );
      let d = await diff();
      if (d.length > 0 && opts.repair) {
        await addMissingColumns(db, a.sourceTable, a.archiveTable);
        d = await diff();
      }
      if (d.length > 0) {
        problems.push(...d);
        if (status === ARCHIVE_STATUS.OK) status = opts.repair ? ARCHIVE_STATUS.UNABLE : ARCHIVE_STATUS.NEED_REPAIR;
      }
    }
    await registry.setStatus(a.id, status, now);
    out.push({ archive: { ...a, status, verifiedAt: now }, status, problems });
  }
  return out;
}
