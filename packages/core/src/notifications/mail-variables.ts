import { formatMoney, type Micro } from '@utm5/common';
import type { Knex } from '@utm5/db';

/**
 * The variables a notification mail may name, with the manual's document variable names (groups user, account,
 * payment, invoice) plus `balance.border`, read in the event's transaction. Amounts with 2 decimals, dates as unix
 * time (the date_short, date_long and date_time modifiers turn them into dates). user.password is not offered: a
 * password never goes into a mail the billing sends on its own.
 */

/** users columns under their manual names. */
const USER_COLUMNS: readonly (readonly [string, string])[] = [
  ['full_name', 'full_name'],
  ['login', 'login'],
  ['actual_address', 'act_address'],
  ['juridical_address', 'jur_address'],
  ['home_telephone', 'home_tel'],
  ['work_telephone', 'work_tel'],
  ['mobile_telephone', 'mob_tel'],
  ['tax_number', 'tax_number'],
  ['kpp_number', 'kpp_number'],
  ['icq_number', 'icq_number'],
  ['web_page', 'web_page'],
  ['district', 'district'],
  ['building', 'building'],
  ['entrance', 'entrance'],
  ['floor', 'floor'],
  ['flat_number', 'flat_number'],
  ['personal_manager', 'personal_manager'],
  ['basic_account', 'basic_account'],
  ['passport', 'passport'],
  ['email', 'email'],
  ['comments', 'comments'],
  ['bank_account', 'bank_account'],
];

const amount = (m: Micro): string => formatMoney(m, 2);

export interface MailFacts {
  readonly values: Map<string, string>;
  readonly userId: number;
  /** The user's e-mail address ('' none). */
  readonly email: string;
  /** The user's "Send invoices by e-mail" flag. */
  readonly sendInvoices: boolean;
}

/** The user and account groups of an account; undefined when the account (or its user) is gone. */
export async function accountFacts(trx: Knex.Transaction, accountId: number): Promise<MailFacts | undefined> {
  const acc = await trx('accounts')
    .where({ id: accountId })
    .first('id', 'user_id', 'balance', 'credit', 'external_id', 'vat_rate_e6', 'sale_tax_rate_e6');
  if (!acc) return undefined;
  const user = await trx('users').where({ id: acc.user_id, is_deleted: false }).first();
  if (!user) return undefined;
  const values = new Map<string, string>();
  values.set('user.id', String(user.id));
  for (const [name, col] of USER_COLUMNS) values.set(`user.${name}`, String(user[col] ?? ''));
  values.set('account.id', String(acc.id));
  values.set('account.account_id', String(acc.id));
  values.set('account.external_id', String(acc.external_id ?? ''));
  values.set('account.balance', amount(Number(acc.balance)));
  values.set('account.credit', amount(Number(acc.credit)));
  values.set('account.vat_rate', formatMoney(Number(acc.vat_rate_e6), 2));
  values.set('account.sale_tax_rate', formatMoney(Number(acc.sale_tax_rate_e6), 2));
  return {
    values,
    userId: Number(user.id),
    email: String(user.email ?? '').trim(),
    sendInvoices: Boolean(user.is_send_invoice),
  };
}

/** The payment group of a payment transaction (nothing when it is not found). */
export async function addPaymentFacts(
  trx: Knex.Transaction,
  into: Map<string, string>,
  paymentId: number,
): Promise<void> {
  const p = await trx('payment_transactions').where({ id: paymentId }).first();
  if (!p) return;
  const cur = await trx('currencies').where({ id: p.currency_id }).first('short_name', 'full_name');
  into.set('payment.id', String(p.id));
  into.set('payment.amount', amount(Number(p.payment_absolute)));
  into.set('payment.amount_absolute', amount(Number(p.payment_absolute)));
  into.set('payment.amount_in_currency', amount(Number(p.payment_incurrency)));
  into.set('payment.date.actual', String(p.actual_date));
  into.set('payment.date.enter', String(p.payment_enter_date));
  into.set('payment.date.burn', String(p.burn_date));
  into.set('payment.document_number', String(p.payment_ext_number ?? ''));
  into.set('payment.comments.user', String(p.comment ?? ''));
  into.set('payment.comments.admin', String(p.admin_comment ?? ''));
  into.set('payment.hash', String(p.hash ?? ''));
  into.set('payment.currency_rate', formatMoney(Math.round(Number(p.rate_e9) / 1000), 4));
  into.set('payment.currency_code', String(p.currency_id));
  if (cur) {
    into.set('payment.currency_short_name', String(cur.short_name));
    into.set('payment.currency_full_name', String(cur.full_name));
  }
}
