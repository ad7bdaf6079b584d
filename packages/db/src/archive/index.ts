export { ARCHIVED_TABLES, NOT_ARCHIVED, archivedTable, archiveName, type ArchivedTable } from './archived-tables';
export {
  ArchiveRegistry,
  ARCHIVE_STATUS,
  ARCHIVES_TABLE,
  type ArchiveRecord,
  type ArchiveStatus,
} from './archive-registry';
export { withArchives, type ArchiveSource, type DateSpan } from './archive-source';
export { closedPeriods, archiveTablePeriod, tableContent, type MoveResult } from './archive-mover';
export { verifyArchives, type ArchiveCheck } from './archive-verify';
export {
  listTables,
  describeColumns,
  describeIndexes,
  columnDifferences,
  describeColumn,
  copyTableStructure,
  addMissingColumns,
  type ColumnInfo,
  type IndexInfo,
} from './table-structure';
