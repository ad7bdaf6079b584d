import type { Knex } from 'knex';

/**
 * Every secondary index of the schema, declared once: migrations create them from here and verify_database_index
 * checks the live database against this list.
 */
export interface IndexSpec {
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique?: boolean;
}

export const INDEXES: readonly IndexSpec[] = [
  { table: 'system_users', name: 'system_users_login_uq', columns: ['login'], unique: true },
  { table: 'system_groups', name: 'system_groups_name_uq', columns: ['name'], unique: true },
  { table: 'system_group_members', name: 'system_group_members_group_idx', columns: ['group_id'] },
  { table: 'currency_rate_history', name: 'currency_rate_history_cur_idx', columns: ['currency_id', 'valid_from'] },
  { table: 'user_log', name: 'user_log_ts_idx', columns: ['ts'] },
  { table: 'user_log', name: 'user_log_user_idx', columns: ['user_id', 'ts'] },
  { table: 'dealers', name: 'dealers_login_idx', columns: ['login'] },
  { table: 'users', name: 'users_login_idx', columns: ['login'] },
  { table: 'users', name: 'users_dealer_idx', columns: ['dealer_id'] },
  { table: 'user_contacts', name: 'user_contacts_user_idx', columns: ['user_id'] },
  { table: 'user_group_members', name: 'user_group_members_group_idx', columns: ['group_id'] },
  { table: 'accounts', name: 'accounts_user_idx', columns: ['user_id'] },
  { table: 'accounts', name: 'accounts_external_idx', columns: ['external_id'] },
  { table: 'account_ledger', name: 'account_ledger_account_idx', columns: ['account_id', 'ts'] },
  { table: 'account_ledger', name: 'account_ledger_ts_idx', columns: ['ts'] },
  { table: 'payment_transactions', name: 'payment_transactions_account_idx', columns: ['account_id', 'actual_date'] },
  { table: 'payment_transactions', name: 'payment_transactions_date_idx', columns: ['actual_date'] },
  // A payment gateway's external number is unique per method (NULL when none was given), which makes its retries
  // idempotent.
  {
    table: 'payment_transactions',
    name: 'payment_transactions_ext_uq',
    columns: ['method', 'payment_ext_number'],
    unique: true,
  },
  { table: 'blocks_info', name: 'blocks_info_account_idx', columns: ['account_id', 'start_date'] },
  { table: 'funds_flow', name: 'funds_flow_date_idx', columns: ['date'] },
  { table: 'cards', name: 'cards_pool_idx', columns: ['pool_id'] },
  { table: 'discount_periods', name: 'discount_periods_open_idx', columns: ['is_closed', 'end_date'] },
  { table: 'services', name: 'services_tariff_idx', columns: ['tariff_id'] },
  {
    table: 'tariff_links',
    name: 'tariff_links_account_idx',
    columns: ['account_id', 'discount_period_id', 'is_deleted'],
  },
  { table: 'tariff_links', name: 'tariff_links_period_idx', columns: ['discount_period_id'] },
  { table: 'tariff_history', name: 'tariff_history_account_idx', columns: ['account_id'] },
  {
    table: 'service_links',
    name: 'service_links_account_idx',
    columns: ['account_id', 'discount_period_id', 'is_deleted'],
  },
  { table: 'service_links', name: 'service_links_period_idx', columns: ['discount_period_id', 'is_deleted'] },
  { table: 'service_links', name: 'service_links_service_idx', columns: ['service_id'] },
  { table: 'slink_periods', name: 'slink_periods_period_idx', columns: ['period_id'] },
  { table: 'tclass_subclasses', name: 'tclass_subclasses_class_idx', columns: ['tclass_id'] },
  { table: 'ip_groups', name: 'ip_groups_slink_idx', columns: ['slink_id'] },
  // utm5_send_traffic (rpcf_put_unif_iptr) and RADIUS find links by an IP group's login.
  { table: 'ip_groups', name: 'ip_groups_login_idx', columns: ['login'] },
  { table: 'traffic_stats', name: 'traffic_stats_account_idx', columns: ['account_id', 'ts'] },
  { table: 'traffic_stats', name: 'traffic_stats_ts_idx', columns: ['ts'] },
  { table: 'traffic_collectors', name: 'traffic_collectors_name_uq', columns: ['name'], unique: true },
  { table: 'netflow_providers', name: 'netflow_providers_name_uq', columns: ['name'], unique: true },
  { table: 'nas', name: 'nas_ip_idx', columns: ['ip'] },
  { table: 'radius_attrs', name: 'radius_attrs_owner_idx', columns: ['owner', 'owner_id'] },
  { table: 'dialup_links', name: 'dialup_links_login_idx', columns: ['login'] },
  // A session is one per NAS and Acct-Session-Id: a resent Start or a Stop for a known session finds it.
  { table: 'radius_sessions', name: 'radius_sessions_nas_uq', columns: ['nas_ip', 'acct_session_id'], unique: true },
  { table: 'radius_sessions', name: 'radius_sessions_account_idx', columns: ['account_id', 'started_at'] },
  { table: 'ip_pools', name: 'ip_pools_name_idx', columns: ['name'] },
  { table: 'tel_directions', name: 'tel_directions_zone_idx', columns: ['zone_id'] },
  { table: 'tel_numbers', name: 'tel_numbers_slink_idx', columns: ['slink_id'] },
  { table: 'tel_numbers', name: 'tel_numbers_number_idx', columns: ['number'] },
  { table: 'tel_numbers', name: 'tel_numbers_login_idx', columns: ['login'] },
  // A call is charged once: its id from the source (or a hash of its content) is unique.
  { table: 'tel_calls', name: 'tel_calls_uid_uq', columns: ['call_uid'], unique: true },
  { table: 'tel_calls', name: 'tel_calls_account_idx', columns: ['account_id', 'start_time'] },
  { table: 'tel_calls', name: 'tel_calls_start_idx', columns: ['start_time'] },
  { table: 'tel_sessions', name: 'tel_sessions_uid_uq', columns: ['call_uid'], unique: true },
  { table: 'tel_sessions', name: 'tel_sessions_slink_idx', columns: ['slink_id', 'stopped_at'] },
  { table: 'rfw_queue', name: 'rfw_queue_pending_idx', columns: ['router_id', 'delivered_at', 'id'] },
  { table: 'rfw_queue', name: 'rfw_queue_created_idx', columns: ['created_at'] },
  { table: 'archives', name: 'archives_table_uq', columns: ['archive_table'], unique: true },
  { table: 'archives', name: 'archives_source_idx', columns: ['source_table', 'period_start'] },
  // The key of the event a mail notifies of: the same event never queues a second mail, even raised again.
  { table: 'mail_outbox', name: 'mail_outbox_event_uq', columns: ['event_key'], unique: true },
  { table: 'mail_outbox', name: 'mail_outbox_due_idx', columns: ['status', 'next_try_at'] },
  // Invoice numbers never repeat, even if two writers met (the counter row serialises them; this proves it).
  { table: 'invoices', name: 'invoices_number_uq', columns: ['number'], unique: true },
  { table: 'invoices', name: 'invoices_account_idx', columns: ['account_id', 'invoice_date'] },
  { table: 'invoices', name: 'invoices_date_idx', columns: ['invoice_date'] },
  { table: 'invoice_entry', name: 'invoice_entry_invoice_idx', columns: ['invoice_id'] },
  { table: 'documents', name: 'documents_base_uq', columns: ['doc_type', 'base_id', 'file_type'], unique: true },
  { table: 'documents', name: 'documents_created_idx', columns: ['created'] },
];

export function indexSpec(name: string): IndexSpec {
  const spec = INDEXES.find((i) => i.name === name);
  if (!spec) throw new Error(`index ${name} is not declared in schema/indexes.ts`);
  return spec;
}

/** Adds the named, declared index inside a createTable/alterTable callback. */
export function addIndex(t: Knex.CreateTableBuilder, name: string): void {
  const spec = indexSpec(name);
  if (spec.unique) t.unique([...spec.columns], { indexName: spec.name });
  else t.index([...spec.columns], spec.name);
}

export async function createIndex(k: Knex, spec: IndexSpec): Promise<void> {
  await k.schema.alterTable(spec.table, (t) => {
    if (spec.unique) t.unique([...spec.columns], { indexName: spec.name });
    else t.index([...spec.columns], spec.name);
  });
}
