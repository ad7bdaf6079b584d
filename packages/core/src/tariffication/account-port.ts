import type { Knex } from '@utm5/db';
import { BillingError } from '../billing/billing-error';

/** An account's money as fee decisions need it, micro-units. */
export interface AccountFunds {
  readonly balance: number;
  readonly credit: number;
  readonly vatRateE6: number;
  readonly saleTaxRateE6: number;
  readonly unlimited: boolean;
}

/**
 * What tariffication reads of accounts and the one thing it changes of a user (a one-time service may drop the user
 * from a group), inside the caller's transaction. Billing owns these tables; this port keeps tariffication's reach
 * into them in one place until Billing offers transaction-scoped methods for them.
 */
export interface AccountPort {
  /** A live account and its user; UTM_NO_ACCOUNT otherwise. */
  owner(k: Knex | Knex.Transaction, accountId: number): Promise<{ id: number; userId: number }>;
  funds(trx: Knex.Transaction, accountId: number): Promise<AccountFunds>;
  dropFromGroup(trx: Knex.Transaction, userId: number, groupId: number): Promise<void>;
}

export const accountPort: AccountPort = {
  async owner(k, id) {
    const a = await k('accounts').where({ id, is_deleted: false }).first('id', 'user_id');
    if (!a) throw new BillingError('UTM_NO_ACCOUNT', `no account ${id}`);
    return { id: Number(a.id), userId: Number(a.user_id) };
  },
  async funds(trx, id) {
    const a = await trx('accounts')
      .where({ id })
      .first('balance', 'credit', 'vat_rate_e6', 'sale_tax_rate_e6', 'unlimited');
    return {
      balance: Number(a.balance),
      credit: Number(a.credit),
      vatRateE6: Number(a.vat_rate_e6),
      saleTaxRateE6: Number(a.sale_tax_rate_e6),
      unlimited: Boolean(a.unlimited),
    };
  },
  async dropFromGroup(trx, userId, groupId) {
    await trx('user_group_members').where({ user_id: userId, group_id: groupId }).delete();
  },
};
