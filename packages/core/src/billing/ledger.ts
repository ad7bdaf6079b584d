import { sqliteHandle, type Knex } from '@utm5/db';
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
  await trx('account_ledger').insert(ledgerRow(m));
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

  /**
   * Many movements in one go (postMany), with the balance events of each account whose summed movement passed a
   * border: the borders are checked on the account's balance before and after the batch.
   */
  async postMany(trx: Knex.Transaction, ms: readonly Movement[], now: number): Promise<void> {
    await postMany(trx, ms);
    const borders = this.borders();
    if (borders.length === 0 || ms.length === 0) return;
    const sum = new Map<number, number>();
    for (const m of ms) sum.set(m.accountId, (sum.get(m.accountId) ?? 0) + m.amount);
    const ids = [...sum].filter(([, a]) => a !== 0).map(([id]) => id);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await trx('accounts')
        .whereIn('id', ids.slice(i, i + 500))
        .select('id', 'balance');
      for (const r of rows) {
        const id = Number(r['id']);
        const after = Number(r['balance']);
        const border = borderPassed(after - sum.get(id)!, after, borders);
        if (border !== undefined)
          await this.events.emit(trx, { kind: 'balance', accountId: id, balance: after, border }, now);
      }
    }
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

/** The account_ledger row of a movement. */
function ledgerRow(m: Movement): Record<(typeof LEDGER_COLUMNS)[number], string | number> {
  return {
    account_id: m.accountId,
    ts: m.ts,
    kind: m.kind,
    amount: m.amount,
    credit_delta: m.creditDelta ?? 0,
    ref_type: m.refType ?? '',
    ref_id: m.refId ?? 0,
    actor_id: m.actorId ?? 0,
    comment: (m.comment ?? '').slice(0, 255),
    slink_id: m.slinkId ?? 0,
    service_id: m.serviceId ?? 0,
    service_type: m.serviceType ?? 0,
    period_id: m.periodId ?? 0,
    tax: m.tax ?? 0,
  };
}

const LEDGER_COLUMNS = [
  'account_id',
  'ts',
  'kind',
  'amount',
  'credit_delta',
  'ref_type',
  'ref_id',
  'actor_id',
  'comment',
  'slink_id',
  'service_id',
  'service_type',
  'period_id',
  'tax',
] as const;

/** Rows per multi-row statement: 14 columns x 200 stays under SQLite's and MariaDB's bound-parameter limits. */
const BULK_ROWS = 200;

/**
 * Many movements at once, as post() would record them one by one, in the same transaction: every row written, and
 * each account's balance and credit changed once by the sum of its movements. For a batch of usage charges of
 * hundreds of accounts (telephone calls): on SQLite prepared statements run per row, on MariaDB multi-row inserts
 * and one UPDATE per chunk of accounts. Returns nothing: a caller wanting the money reads it after (money()).
 */
export async function postMany(trx: Knex.Transaction, ms: readonly Movement[]): Promise<void> {
  if (ms.length === 0) return;
  const sum = new Map<number, { amount: number; credit: number }>();
  for (const m of ms) {
    const s = sum.get(m.accountId) ?? sum.set(m.accountId, { amount: 0, credit: 0 }).get(m.accountId)!;
    s.amount += m.amount;
    s.credit += m.creditDelta ?? 0;
  }
  const changed = [...sum].filter(([, s]) => s.amount !== 0 || s.credit !== 0).sort((a, b) => a[0] - b[0]);
  const sqlite = await sqliteHandle(trx);
  if (sqlite) {
    const ins = sqlite.prepare(
      `insert into account_ledger (${LEDGER_COLUMNS.join(',')}) values (${LEDGER_COLUMNS.map(() => '?').join(',')})`,
    );
    for (const m of ms) {
      const r = ledgerRow(m);
      ins.run(LEDGER_COLUMNS.map((c) => r[c]));
    }
    const upd = sqlite.prepare('update accounts set balance = balance + ?, credit = credit + ? where id = ?');
    for (const [id, s] of changed) upd.run(s.amount, s.credit, id);
    return;
  }
  for (let i = 0; i < ms.length; i += BULK_ROWS)
    await trx('account_ledger').insert(ms.slice(i, i + BULK_ROWS).map(ledgerRow));
  // Accounts in id order, as the row locks of concurrent batches are taken in the same order (no deadlock).
  for (let i = 0; i < changed.length; i += BULK_ROWS) {
    const c = changed.slice(i, i + BULK_ROWS);
    const cases = (pick: (s: { amount: number; credit: number }) => number) => ({
      sql: `case id ${c.map(() => 'when ? then ?').join(' ')} else 0 end`,
      bindings: c.flatMap(([id, s]) => [id, pick(s)]),
    });
    const a = cases((s) => s.amount);
    const k = cases((s) => s.credit);
    await trx.raw(
      `update accounts set balance = balance + ${a.sql}, credit = credit + ${k.sql} where id in (${c.map(() => '?').join(',')})`,
      [...a.bindings, ...k.bindings, ...c.map(([id]) => id)],
    );
  }
}
