import type { Knex } from '@utm5/db';
import { borderPassed } from '../events/balance-borders';
import type { EventSink } from '../events/event-sink';

/** Why money moved; every movement of a balance or a credit is one ledger row of one of these kinds. */
export type LedgerKind =
  | 'payment' // a payment (normal, expiring, card) credited to the balance
  | 'rollback' // the opposite sum of a payment being rolled back
  | 'credit' // a credit payment (promised payment): raises the credit, not the balance
  | 'credit_expire' // a credit payment undone at its expiry
  | 'credit_set' // the administrator changed the credit
  | 'burn' // the unused remainder of expiring payments charged off
  | 'transfer_in'
  | 'transfer_out'
  | 'initial' // the opening balance given when an account was created
  | 'charge' // a service charge (periodic, one-time, traffic ...); positive for a one-time service of negative cost
  | 'repay' // a periodic fee given back (blocked time, a link removed early)
  | 'zero_balance'; // the balance reset at the end of a period (tariff option)

export interface Movement {
  readonly accountId: number;
  readonly ts: number;
  readonly kind: LedgerKind;
  /** Effect on the balance, micro-units. */
  readonly amount: number;
  /** Effect on the credit, micro-units. */
  readonly creditDelta?: number;
  readonly refType?: string;
  readonly refId?: number;
  readonly actorId?: number;
  readonly comment?: string;
  /** For service charges: what the money was for, and how much of the amount is tax. */
  readonly slinkId?: number;
  readonly serviceId?: number;
  readonly serviceType?: number;
  readonly periodId?: number;
  readonly tax?: number;
}

export interface AccountMoney {
  readonly balance: number;
  readonly credit: number;
}

/**
 * Records a movement and applies it to the account's cached balance and credit in the same transaction. The cache
 * is only ever changed here, so it always equals the ledger's sums (a test rebuilds every balance to prove it).
 * Services post through Ledger (below), which raises the balance events; this bare form is for tests and fixtures.
 */
export async function post(trx: Knex.Transaction, m: Movement): Promise<AccountMoney> {
  const credit = m.creditDelta ?? 0;
  await trx('account_ledger').insert({
    account_id: m.accountId,
    ts: m.ts,
    kind: m.kind,
    amount: m.amount,
    credit_delta: credit,
    ref_type: m.refType ?? '',
    ref_id: m.refId ?? 0,
    actor_id: m.actorId ?? 0,
    comment: (m.comment ?? '').slice(0, 255),
    slink_id: m.slinkId ?? 0,
    service_id: m.serviceId ?? 0,
    service_type: m.serviceType ?? 0,
    period_id: m.periodId ?? 0,
    tax: m.tax ?? 0,
  });
  if (m.amount !== 0 || credit !== 0) {
    await trx('accounts')
      .where({ id: m.accountId })
      .update({
        balance: trx.raw('balance + ?', [m.amount]),
        credit: trx.raw('credit + ?', [credit]),
      });
  }
  return money(trx, m.accountId);
}

/**
 * The ledger as the services use it: post(), and the balance event when the movement takes the balance (not the
 * credit, as the manual's balance notifications) past a border of notification_borders. The one place balances
 * change, so every charge, payment, transfer and reset is covered once.
 */
export class Ledger {
  constructor(
    private readonly events: EventSink,
    private readonly borders: () => readonly number[],
  ) {}

  async post(trx: Knex.Transaction, m: Movement): Promise<AccountMoney> {
    const after = await post(trx, m);
    if (m.amount !== 0) {
      // The update added the amount in this transaction: the balance before it is the one after minus the amount.
      const border = borderPassed(after.balance - m.amount, after.balance, this.borders());
      if (border !== undefined)
        await this.events.emit(trx, { kind: 'balance', accountId: m.accountId, balance: after.balance, border }, m.ts);
    }
    return after;
  }
}

export async function money(trx: Knex | Knex.Transaction, accountId: number): Promise<AccountMoney> {
  const row = await trx('accounts').where({ id: accountId }).first('balance', 'credit');
  return { balance: Number(row?.balance ?? 0), credit: Number(row?.credit ?? 0) };
}

/** Every account's balance and credit rebuilt from the ledger (for the consistency check). */
export async function rebuild(k: Knex): Promise<Map<number, AccountMoney>> {
  const rows: { account_id: number; b: number | string; c: number | string }[] = await k('account_ledger')
    .select('account_id')
    .sum({ b: 'amount', c: 'credit_delta' })
    .groupBy('account_id');
  return new Map(rows.map((r) => [Number(r.account_id), { balance: Number(r.b), credit: Number(r.c) }]));
}
