/**
 * System parameters (the manual's "Systems / Main" tab) with their defaults, declared once: the migration seeds
 * them and every start adds the ones a newer version introduced. Names follow UTM5 where the manual gives them
 * (notification_borders, invoice_subject, ...).
 */
export interface SystemParameterSpec {
  readonly name: string;
  readonly default: string;
  readonly description: string;
}

const P = (name: string, def: string, description: string): SystemParameterSpec => ({
  name,
  default: def,
  description,
});

export const SYSTEM_PARAMETERS: readonly SystemParameterSpec[] = [
  // Tariffication
  P('system_currency', '810', 'ISO 4217 numeric code of the system currency'),
  P('bytes_in_kbyte', '1024', 'Bytes in tariffing unit of kilobyte'),
  P('min_periodic_charge', '0.1', 'Minimal periodic charge threshold in units of system currency'),
  P('flow_charges_count', '64', 'Number of periodic charges in the accounting period for flowing charge method'),
  P('traffic_aggregation_timeout', '900', 'Traffic aggregation timeout before the next charge, seconds'),
  P('min_traffic_charge', '5', 'Minimal traffic charge threshold in units of system currency'),
  P('discard_prepaid_on_tariff_change', '0', 'Discard old prepaid traffic when tariff is changed'),
  P('force_prepaid_modification', '0', 'Force modification of prepaid traffic in dangerous cases'),
  P('collector_poll_period', '60', 'Collecting data from traffic collectors period, seconds'),
  P('save_balance_history', '0', 'Save balance to balance history on closing discount period'),
  P('invoice_on_zero_charge', '0', 'Create invoice when charge is zero'),
  // Card users
  P('card_user_prefix', 'card_', "Card user's login prefix: a card user's login is this prefix and the card number"),
  P('card_dialup_callback', '0', 'Callback/ringdown setting for auto created dialup service links'),
  P('card_dialup_cid', '', 'CID value for auto created dialup service links'),
  P('card_dialup_csid', '', 'CSID value for auto created dialup service links'),
  P('card_tel_pin_login_length', '0', 'Length of pin code part used as telephony service link login'),
  // Notification
  P('notification_copy_email', '', 'Email address to copy low balance notifications'),
  P('notification_internal', '0', 'Send low balance notifications by the internal messaging system'),
  P('notification_borders', '1', 'List of balance notification borders separated by space'),
  P('notification_sender', 'admin', 'Email address of balance notification message sender'),
  P('notification_message_subject', 'Notification', 'Subject of low balance notification message'),
  P(
    'notification_message',
    'Dear {user.full_name}, the balance of account {account.id} is {account.balance}.',
    'Template of low balance email notification',
  ),
  P('payment_notification_subject', 'Payment', 'Subject of payment email notification'),
  P(
    'payment_notification_message',
    'Dear {user.full_name}, a payment of {payment.amount} was credited to account ' + '{account.id}.',
    'Template of payment email notification',
  ),
  P('invoice_subject', 'UTM invoice', 'Subject of invoice email notification'),
  P('invoice_text', 'Invoice', 'Template of invoice mail notification'),
  // SMTP
  P('smtp_host', '127.0.0.1', 'SMTP server host'),
  P('smtp_port', '25', 'SMTP server port'),
  P('smtp_fqdn', 'localhost', 'SMTP fully qualified domain name'),
  // Invoice document
  P('invoice_per_tel_provider', '0', 'Create a bill document per each telephony provider'),
  P('invoice_tel_number_rows', '0', 'Add telephony number to the bill document rows'),
  P('invoice_old_format', '0', 'Create bill documents of an old format'),
  P('invoice_rules', 'default', 'Rules for invoice generating'),
  P('prepaid_invoice_rules', 'single', 'Rules for prepaid invoice generating'),
  P('doc_storage_dir', 'var/doc/storage', 'Directory for generated documents'),
  P('generate_printed_forms', '0', 'Generate printed forms'),
  P('printed_forms_bills', '0', 'Generate printed forms including bills'),
  P('printed_forms_invoices', '0', 'Generate printed forms including invoices'),
  P('printed_forms_acts', '0', 'Generate printed forms including certificates of completion'),
  P('printed_forms_bill_details', '0', 'Generate printed forms including bill details'),
  P('doc_keep_days', '0', 'Days for keeping created documents (0 = forever)'),
  // The provider's own details printed on documents (UTM5 keeps them as company records; UTM5-TS as parameters).
  P('provider_full_name', '', 'UTM5-TS: provider full name on documents'),
  P('provider_short_name', '', 'UTM5-TS: provider short name on documents'),
  P('provider_juridical_address', '', 'UTM5-TS: provider juridical address'),
  P('provider_actual_address', '', 'UTM5-TS: provider actual address'),
  P('provider_tax_number', '', 'UTM5-TS: provider tax number (INN)'),
  P('provider_kpp_number', '', 'UTM5-TS: provider KPP'),
  P('provider_chief_full_name', '', 'UTM5-TS: provider chief (signs documents)'),
  P('provider_booker_full_name', '', 'UTM5-TS: provider chief accountant'),
  P('provider_bank_account', '', 'UTM5-TS: provider bank account'),
  P('provider_bank_name', '', 'UTM5-TS: provider bank name'),
  P('provider_bank_city', '', 'UTM5-TS: provider bank city'),
  P('provider_bank_bic', '', 'UTM5-TS: provider bank BIC'),
  P('provider_bank_corr_account', '', 'UTM5-TS: provider bank correspondent account'),
  P('document_language', 'ru', 'UTM5-TS: language of sums in words on documents (ru or en)'),
  P(
    'provider_number_format',
    '',
    'UTM5-TS: alternative invoice number format, e.g. ABC#{alt_number(5)}-DE (empty: the number)',
  ),
  // Other
  P('fw_rule_id_offset', '5000', 'Minimal value of the RULE_ID variable in the firewall rules'),
  P('login_prefix_delimiter', ':', 'Login prefix delimiter'),
  P('dynamic_ip_remove_timeout', '900', 'Removal timeout of dynamically allocated IP address, seconds'),
  P('encrypt_passwords', '0', 'Encrypt passwords of users and service links'),
  P('messages_sysgroup', '0', 'Group of system users which receives messages from customers'),
  P('tel_report_no_direction_ids', '0', "Don't append telephony direction/zone ID to the telephony report rows"),
  P('search_users_lite_max', '5', 'Maximal number of rpcf_search_users_lite results'),
  P('hotspot_session_timeout', '600', 'Hotspot session timeout from the moment of last refresh, seconds'),
  P('external_payment_internet_on', '0', "Enable 'internet status' when a payment is received from an external system"),
  P('external_payment_notify', '0', 'Send notification email when a payment is received from an external system'),
  P('collector_stat_period', '60', 'Collecting statistic from traffic collectors period, seconds'),
  P('archive_db_name', '', 'Archive database name'),
  P('hide_slink_password', '0', 'Hide password in service link'),
  P('journal_keep_days', '0', 'UTM5-TS: days to keep user_log (journal) entries; 0 keeps them all'),
  // RADIUS
  P('vpn_login_realm', '', 'Login realm for VPN users'),
  P(
    'radius_recent_sessions_period',
    '86400',
    'Period of loading of recent sessions to the RADIUS server on the startup',
  ),
  P('radius_bill_acct_stop', '0', 'Enable billing of RADIUS Accounting-Stop packets'),
  P('radius_bill_interim', '0', 'Enable billing of RADIUS Interim-Update and Accounting-Stop packets'),
  // Default
  P('default_vat_rate', '0', 'Default VAT rate, percent'),
];
