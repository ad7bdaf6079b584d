import type { UrfaApi } from '@utm5/urfaclient';
import type { PaymentToolConfig } from './config';

/** One payment as utm5ts_add_payment takes it. */
export interface PaymentOrder {
  readonly account_id: number;
  readonly payment: string;
  readonly currency_id: number;
  readonly payment_method: number;
  readonly admin_comment: string;
  readonly comment: string;
  readonly payment_ext_number: string;
  readonly turn_on_inet: number;
}

/** Why an amount cannot be paid, or undefined when it can: a non-zero decimal number. */
export function badAmount(text: string, flag: string): string | undefined {
  const amount = text.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(amount) && Number(amount) !== 0) return undefined;
  return `bad amount '${text}' (${flag}): give a non-zero decimal number such as 100 or 99.50`;
}

/** The payment the settings describe (method 0 is cash, 1, as in UTM5). */
export function orderOf(cfg: PaymentToolConfig & { account_id: number }): PaymentOrder {
  return {
    account_id: cfg.account_id,
    payment: cfg.payment.trim(),
    currency_id: cfg.currency_id,
    payment_method: cfg.payment_method === 0 ? 1 : cfg.payment_method,
    admin_comment: cfg.admin_comment,
    comment: cfg.user_comment,
    payment_ext_number: cfg.external_number,
    turn_on_inet: cfg.turn_on_internet ? 1 : 0,
  };
}

export interface Credited {
  readonly id: string;
  /** The external number was credited before (as payment `id`): nothing was credited now. */
  readonly duplicate: boolean;
}

/**
 * Credits one payment. The core keeps external numbers unique per method (payment_transactions' unique index), so a
 * retry, a re-run batch or a batch re-sent after a crash credits each number once and answers with the first id.
 * A refusal surfaces as the layout's LayoutErrorTag ("payment refused: ...").
 */
export async function credit(api: UrfaApi, order: PaymentOrder): Promise<Credited> {
  const v = await api.call('utm5ts_add_payment', { ...order });
  return { id: v.get('payment_transaction_id') ?? '0', duplicate: v.get('duplicate') === '1' };
}
