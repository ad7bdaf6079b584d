/**
 * The tables db_archiver archives, declared once: the manual's name and type ("Archiving of tables"), the UTM5-TS
 * table that holds that data, the date field a period is cut by, and the rows that stay live whatever their date
 * because the core still works on them.
 */
export interface ArchivedTable {
  /** The manual's archive type (1 discount_transactions_all ... 12 invoice_entry_details). */
  readonly type: number;
  /** The manual's table name. */
  readonly manualName: string;
  /** The UTM5-TS table. */
  readonly table: string;
  readonly dateColumn: string;
  /** An SQL condition on the row (alias `t`) that keeps it live: an open session, an unburnt credit. */
  readonly keepLive?: string;
}

export const ARCHIVED_TABLES: readonly ArchivedTable[] = [
  // Charges of every kind are ledger entries; an account's expiring-payment pool sums the charges since it started.
  {
    type: 1,
    manualName: 'discount_transactions_all',
    table: 'account_ledger',
    dateColumn: 'ts',
    keepLive: 'EXISTS (SELECT 1 FROM expiring_pools p WHERE p.account_id = t.account_id AND p.started_at <= t.ts)',
  },
  { type: 2, manualName: 'discount_transactions_iptraffic_all', table: 'traffic_stats', dateColumn: 'ts' },
  {
    type: 5,
    manualName: 'dhs_sessions_log',
    table: 'radius_sessions',
    dateColumn: 'started_at',
    keepLive: 't.stopped_at = 0',
  },
  {
    type: 7,
    manualName: 'payment_transactions',
    table: 'payment_transactions',
    dateColumn: 'payment_enter_date',
    // The core expires credit and promised payments by their row.
    keepLive: "t.kind IN ('credit', 'promised') AND t.burnt = 0",
  },
];

/** The manual's tables with no UTM5-TS counterpart yet (or not archived yet), for the README and `-v`. */
export const NOT_ARCHIVED: readonly { readonly manualName: string; readonly why: string }[] = [
  { manualName: 'tel_sessions_log', why: 'tel_calls: the telephony reports read the live table only' },
  { manualName: 'tel_sessions_detail', why: 'tel_call_parts: archived with tel_calls when that is' },
  { manualName: 'dhs_sessions_detail', why: 'no per-session detail table (radius_sessions holds the totals)' },
  { manualName: 'user_log', why: 'user_log is pruned by journal_keep_days (journal_cleaner) instead' },
  { manualName: 'dhcp_leases_log', why: 'no DHCP server yet' },
  { manualName: 'invoices', why: 'kept live: numbering, the invoices report and the customer cabinet read them' },
  { manualName: 'invoice_entry', why: 'kept live with its invoice' },
  { manualName: 'invoice_entry_details', why: 'kept live with its invoice' },
];

export function archivedTable(table: string): ArchivedTable | undefined {
  return ARCHIVED_TABLES.find((t) => t.table === table);
}

/** The archive of a table for the period starting at `start`: `<table>_<start, unix seconds>`. */
export function archiveName(table: string, start: number): string {
  return `${table}_${start}`;
}
