// Over ~400 lines: payments, their reversal, expiring payments and the payments report share the ledger rules and
// account lock.
import { createHash } from 'node:crypto';
import { moneyFromDouble, type Logger } from '@utm5/common';
import { PAYMENT_METHOD, withArchives, type Database, type Knex } from '@utm5/db';
import type { AccountLocks } from '../account-locks';
import { audit, UserAction, type Actor } from '../audit';
import { BillingError } from '../billing-error';
import type { BlockService } from '../blocking/block-service';
import { NO_LISTENERS, type EventSink } from '../../events/event-sink';
import type { Ledger } from '../ledger';
import type { TimeEvents } from '../timemarks/time-events';
import { CurrencyService } from './currency-service';
import { PaymentMethodsRepo } from './payment-methods-repo';

export type PaymentKind = 'normal' | 'credit' | 'expiring' | 'promised' | 'rollback' | 'card';

export interface PaymentRequest {
  readonly accountId: number;
  /** In the payment currency, as the URFA double gives it. */
  readonly amount: number;
  readonly currencyId: number;
  /** The actual date (when the money was paid); the enter date is now. */
  readonly paymentDate: number;
  /** 0 for none; for credit payments mandatory. */
  readonly burnDate: number;
  readonly method: number;
  readonly adminComment: string;
  readonly comment: string;
  readonly extNumber: string;
  readonly toInvoice: number;
  readonly turnOnInet: boolean;
  /** Mail the customer a payment notification (rpcf_add_payment_for_account_notify); unset: external_payment_notify. */
  readonly notify?: boolean;
  /** Set by the billing itself (promised payments, cards): never from URFA input. */
  readonly kind?: PaymentKind;
}

export interface PaymentResult {
  readonly id: number;
  /** True when the external number was already posted: nothing was credited again. */
  readonly duplicate: boolean;
}

export interface PaymentRow {
  readonly id: number;
  readonly accountId: number;
  readonly kind: PaymentKind;
  readonly absolute: number;
  readonly inCurrency: number;
  readonly currencyId: number;
  readonly actualDate: number;
  readonly enterDate: number;
  readonly burnDate: number;
  readonly method: number;
  readonly whoReceived: number;
  readonly adminComment: string;
  readonly comment: string;
  readonly extNumber: string;
  readonly cancelId: number;
  readonly hash: string;
}

/** A payment with what the payments reports show beside it. */
export interface PaymentReportRow extends PaymentRow {
  readonly login: string;
  readonly fullName: string;
  readonly accountExternalId: string;
  /** '' for a method no longer in payment_methods. */
  readonly methodName: string;
}

/** Which payments a payments report lists; a filter left 0 (or undefined) does not apply. */
export interface PaymentReportFilter {
  readonly userId?: number;
  readonly accountId?: number;
  readonly groupId?: number;
  readonly dealerId?: number;
  /** [from, to) on the actual date, in unix seconds. */
  readonly from: number;
  readonly to: number;
}

export function toPaymentRow(r: Record<string, unknown>): PaymentRow {
  return {
    id: Number(r['id']),
    accountId: Number(r['account_id']),
    kind: String(r['kind']) as PaymentKind,
    absolute: Number(r['payment_absolute']),
    inCurrency: Number(r['payment_incurrency']),
    currencyId: Number(r['currency_id']),
    actualDate: Number(r['actual_date']),
    enterDate: Number(r['payment_enter_date']),
    burnDate: Number(r['burn_date']),
    method: Number(r['method']),
    whoReceived: Number(r['who_received']),
    adminComment: String(r['admin_comment']),
    comment: String(r['comment']),
    extNumber: r['payment_ext_number'] === null ? '' : String(r['payment_ext_number']),
    cancelId: Number(r['cancel_id']),
    hash: String(r['hash']),
  };
}

function isUniqueViolation(err: unknown): boolean {
  const c = (err as { code?: string }).code;
  return c === 'ER_DUP_ENTRY' || c === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Payments: conversion at the rate in force on the payment date, idempotent external numbers per method, credit
 * payments (raise the credit until their expiry), expiring payments (their unused remainder burns at the latest burn
 * date of the account's pool), rollbacks, and the system-block rule after every payment.
 */
export class PaymentService {
  /** Run after every payment inside its transaction (tariffication: refunds on payment, funds-lack blocks). */
  readonly hooks: ((trx: Knex.Transaction, accountId: number, now: number, turnOnInet: boolean) => Promise<void>)[] =
    [];
  readonly methods: PaymentMethodsRepo;

  constructor(
    private readonly db: Database,
    private readonly locks: AccountLocks,
    private readonly currencies: CurrencyService,
    private readonly blocks: BlockService,
    private readonly events: TimeEvents,
    private readonly now: () => number,
    private readonly log: Logger,
    private readonly ledger: Pick<Ledger, 'post'>,
    private readonly bus: EventSink = NO_LISTENERS,
  ) {
    this.methods = new PaymentMethodsRepo(db);
  }

  async findByExt(method: number, ext: string): Promise<number | undefined> {
    const r = await this.db.knex('payment_transactions').where({ method, payment_ext_number: ext }).first('id');
    return r ? Number(r.id) : undefined;
  }

  async add(actor: Actor, req: PaymentRequest): Promise<PaymentResult> {
    const now = this.now();
    if (!Number.isFinite(req.amount) || req.amount === 0) {
      throw new BillingError('UTM_BAD_INPUT', `payment amount ${req.amount} must be a non-zero number`);
    }
    const inCurrency = moneyFromDouble(req.amount);
    const ext = req.extNumber.trim();
    if (ext) {
      const first = await this.findByExt(req.method, ext);
      if (first !== undefined) return { id: first, duplicate: true };
    }
    const kind: PaymentKind =
      req.kind ?? (req.method === PAYMENT_METHOD.CREDIT ? 'credit' : req.burnDate > 0 ? 'expiring' : 'normal');
    if (kind === 'credit' || kind === 'promised') {
      if (!(req.burnDate > now))
        throw new BillingError(
          'UTM_BAD_INPUT',
          `a credit payment needs an expiry date after now (burn_date ${req.burnDate})`,
        );
      if (inCurrency < 0) throw new BillingError('UTM_BAD_INPUT', 'a credit payment must be positive');
    }
    if (kind === 'expiring' || (kind === 'card' && req.burnDate > 0)) {
      if (!(req.burnDate > now))
        throw new BillingError(
          'UTM_BAD_INPUT',
          `an expiring payment's burn date must be after now (burn_date ${req.burnDate})`,
        );
      if (inCurrency < 0) throw new BillingError('UTM_BAD_INPUT', 'an expiring payment must be positive');
    }
    if (!(await this.methods.exists(req.method)))
      throw new BillingError('UTM_NO_METHOD', `no payment method ${req.method} (see get_payment_methods_list)`);

    try {
      return await this.locks.with(req.accountId, () =>
        this.db.tx(async (trx) => {
          const acc = await trx('accounts').where({ id: req.accountId, is_deleted: false }).first('id', 'user_id');
          if (!acc) throw new BillingError('UTM_NO_ACCOUNT', `no account ${req.accountId}`);
          const rate = await this.currencies.rateAt(req.currencyId, req.paymentDate, trx);
          const absolute = CurrencyService.convert(inCurrency, rate);
          const hash = createHash('sha1')
            .update(`${req.accountId}:${now}:${absolute}:${ext}:${Math.random()}`)
            .digest('hex')
            .slice(0, 32);
          const [id] = await trx('payment_transactions').insert({
            account_id: req.accountId,
            kind,
            payment_absolute: absolute,
            payment_incurrency: inCurrency,
            currency_id: req.currencyId,
            rate_e9: rate,
            actual_date: req.paymentDate,
            payment_enter_date: now,
            burn_date: kind === 'normal' || kind === 'rollback' ? 0 : req.burnDate,
            method: req.method,
            who_received: actor.id,
            admin_comment: req.adminComment.slice(0, 255),
            comment: req.comment.slice(0, 255),
            payment_ext_number: ext || null,
            payment_to_invoice: req.toInvoice,
            turn_on_inet: req.turnOnInet,
            hash,
          });
          const paymentId = Number(id);
          if (kind === 'credit' || kind === 'promised') {
            await this.ledger.post(trx, {
              accountId: req.accountId,
              ts: now,
              kind: 'credit',
              amount: 0,
              creditDelta: absolute,
              refType: 'payment',
              refId: paymentId,
              actorId: actor.id,
            });
            this.events.set({ at: req.burnDate, kind: 'credit_expire', id: paymentId });
          } else {
            await this.ledger.post(trx, {
              accountId: req.accountId,
              ts: now,
              kind: 'payment',
              amount: absolute,
              refType: 'payment',
              refId: paymentId,
              actorId: actor.id,
            });
            if (req.burnDate > 0) await this.addToPool(trx, req.accountId, absolute, req.burnDate, now);
          }
          await this.bus.emit(
            trx,
            {
              kind: 'payment',
              accountId: req.accountId,
              amount: absolute,
              method: req.method,
              paymentId,
              ...(req.notify === undefined ? {} : { notify: req.notify }),
            },
            now,
          );
          await this.blocks.checkFunds(trx, req.accountId, now, { payment: true, turnOnInet: req.turnOnInet });
          for (const h of this.hooks) await h(trx, req.accountId, now, req.turnOnInet);
          await audit(
            trx,
            actor,
            UserAction.PAYMENT,
            'payment',
            `${kind} payment ${paymentId}: ${req.amount} in currency ${req.currencyId} = ${absolute / 1e6} to account ${req.accountId}` +
              `${ext ? ` (external ${ext})` : ''}`,
            { userId: Number(acc.user_id), accountId: req.accountId },
            now,
            this.bus,
          );
          return { id: paymentId, duplicate: false };
        }),
      );
    } catch (err) {
      // Two retries of one external number racing: the unique index keeps one, the other gets its id.
      if (ext && isUniqueViolation(err)) {
        const first = await this.findByExt(req.method, ext);
        if (first !== undefined) return { id: first, duplicate: true };
      }
      throw err;
    }
  }

  /** Expiring payments join the account's pool; its burn moves to the latest burn date of any of them. */
  private async addToPool(
    trx: Knex.Transaction,
    accountId: number,
    amount: number,
    burnDate: number,
    now: number,
  ): Promise<void> {
    const pool = await trx('expiring_pools').where({ account_id: accountId }).first();
    if (pool) {
      const burn = Math.max(Number(pool.burn_date), burnDate);
      await trx('expiring_pools')
        .where({ account_id: accountId })
        .update({ total: Number(pool.total) + amount, burn_date: burn, last_payment: now });
      this.events.set({ at: burn, kind: 'burn', id: accountId });
    } else {
      await trx('expiring_pools').insert({
        account_id: accountId,
        started_at: now,
        burn_date: burnDate,
        total: amount,
        first_payment: now,
        last_payment: now,
      });
      this.events.set({ at: burnDate, kind: 'burn', id: accountId });
    }
  }

  /**
   * At the pool's burn date, what charges did not use of its expiring payments is charged off ("expiration of
   * expiring payments" in the other charges report).
   */
  async burn(accountId: number): Promise<void> {
    await this.locks.with(accountId, () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const pool = await trx('expiring_pools').where({ account_id: accountId }).first();
        if (!pool) return;
        if (Number(pool.burn_date) > now) {
          this.events.set({ at: Number(pool.burn_date), kind: 'burn', id: accountId });
          return;
        }
        const [{ c }] = await trx('account_ledger')
          .where({ account_id: accountId })
          .whereIn('kind', ['charge', 'repay'])
          .andWhere('ts', '>=', Number(pool.started_at))
          .sum({ c: 'amount' });
        const used = -Number(c ?? 0);
        const remainder = Math.max(0, Number(pool.total) - used);
        if (remainder > 0) {
          await this.ledger.post(trx, {
            accountId,
            ts: now,
            kind: 'burn',
            amount: -remainder,
            refType: 'pool',
            refId: accountId,
            comment: 'expiring payments burnt',
          });
        }
        await trx('payment_transactions')
          .where({ account_id: accountId, burnt: false })
          .whereIn('kind', ['expiring', 'card'])
          .andWhere('burn_date', '>', 0)
          .update({ burnt: true });
        await trx('expiring_pools').where({ account_id: accountId }).delete();
        await this.blocks.checkFunds(trx, accountId, now, { payment: false });
        const acc = await trx('accounts').where({ id: accountId }).first('user_id');
        await audit(
          trx,
          { id: 0, login: 'utm5_core' },
          UserAction.EXPIRY,
          'burn',
          `expiring payments of account ${accountId}: ${Number(pool.total) / 1e6} paid, ${used / 1e6} used, ${remainder / 1e6} burnt`,
          { userId: acc ? Number(acc.user_id) : null, accountId },
          now,
          this.bus,
        );
        this.log.info(`account ${accountId}: ${remainder / 1e6} of expiring payments burnt`);
      }),
    );
  }

  /** A credit payment's expiry: the credit it gave is taken back, and the funds are checked. */
  async expireCredit(paymentId: number): Promise<void> {
    const p = await this.db.knex('payment_transactions').where({ id: paymentId }).first();
    if (!p || p.burnt) return;
    const accountId = Number(p.account_id);
    await this.locks.with(accountId, () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const fresh = await trx('payment_transactions').where({ id: paymentId }).first('burnt', 'payment_absolute');
        if (!fresh || fresh.burnt) return;
        await this.ledger.post(trx, {
          accountId,
          ts: now,
          kind: 'credit_expire',
          amount: 0,
          creditDelta: -Number(fresh.payment_absolute),
          refType: 'payment',
          refId: paymentId,
        });
        await trx('payment_transactions').where({ id: paymentId }).update({ burnt: true });
        await this.blocks.checkFunds(trx, accountId, now, { payment: false });
      }),
    );
  }

  /**
   * A rollback: a payment of method Rollback with the opposite sum. Refused for credit and expiring payments, for
   * rollbacks, and for a payment already rolled back.
   */
  async rollback(actor: Actor, paymentId: number, commentUser: string, commentAdmin: string): Promise<number> {
    const p = await this.db.knex('payment_transactions').where({ id: paymentId }).first();
    if (!p) throw new BillingError('UTM_NO_PAYMENT', `no payment ${paymentId}`);
    const row = toPaymentRow(p);
    if (row.kind !== 'normal') {
      throw new BillingError(
        'UTM_ROLLBACK_REFUSED',
        `payment ${paymentId} is a ${row.kind} payment: only ordinary payments can be rolled back`,
      );
    }
    if (row.cancelId !== 0)
      throw new BillingError(
        'UTM_ROLLBACK_REFUSED',
        `payment ${paymentId} was already rolled back (by ${row.cancelId})`,
      );
    return this.locks.with(row.accountId, () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const again = await trx('payment_transactions').where({ id: paymentId }).first('cancel_id');
        if (Number(again?.cancel_id ?? 0) !== 0)
          throw new BillingError('UTM_ROLLBACK_REFUSED', `payment ${paymentId} was already rolled back`);
        const [id] = await trx('payment_transactions').insert({
          account_id: row.accountId,
          kind: 'rollback',
          payment_absolute: -row.absolute,
          payment_incurrency: -row.inCurrency,
          currency_id: row.currencyId,
          rate_e9: Number(p.rate_e9),
          actual_date: now,
          payment_enter_date: now,
          burn_date: 0,
          method: PAYMENT_METHOD.ROLLBACK,
          who_received: actor.id,
          admin_comment: commentAdmin.slice(0, 255),
          comment: commentUser.slice(0, 255),
          payment_ext_number: null,
          cancel_id: paymentId,
        });
        const rollbackId = Number(id);
        await trx('payment_transactions').where({ id: paymentId }).update({ cancel_id: rollbackId });
        await this.ledger.post(trx, {
          accountId: row.accountId,
          ts: now,
          kind: 'rollback',
          amount: -row.absolute,
          refType: 'payment',
          refId: rollbackId,
          actorId: actor.id,
        });
        await this.blocks.checkFunds(trx, row.accountId, now, { payment: false });
        const acc = await trx('accounts').where({ id: row.accountId }).first('user_id');
        await audit(
          trx,
          actor,
          UserAction.PAYMENT_ROLLBACK,
          'rollback',
          `payment ${paymentId} rolled back by ${rollbackId}: ${-row.absolute / 1e6}`,
          { userId: acc ? Number(acc.user_id) : null, accountId: row.accountId },
          now,
          this.bus,
        );
        return rollbackId;
      }),
    );
  }

  /** The payments of rpcf_payments_report_new and its dealer and customer variants, by account, then in the order made. */
  async report(f: PaymentReportFilter): Promise<PaymentReportRow[]> {
    const span = { start: f.from, end: f.to };
    const from = await withArchives(this.db, 'payment_transactions', 'p', { column: 'actual_date', span });
    let q = this.db.knex
      .from(from.source)
      .join('accounts as a', 'a.id', 'p.account_id')
      .join('users as u', 'u.id', 'a.user_id')
      .leftJoin('payment_methods as m', 'm.id', 'p.method')
      .where('p.actual_date', '>=', f.from)
      .andWhere('p.actual_date', '<', f.to);
    if (f.userId) q = q.andWhere('u.id', f.userId);
    if (f.accountId) q = q.andWhere('a.id', f.accountId);
    if (f.dealerId) q = q.andWhere('u.dealer_id', f.dealerId);
    if (f.groupId)
      q = q.whereIn('u.id', this.db.knex('user_group_members').where({ group_id: f.groupId }).select('user_id'));
    const rows: Record<string, unknown>[] = await q
      .orderBy('p.account_id')
      .orderBy('p.id')
      .select('p.*', 'u.login', 'u.full_name', 'a.external_id as acc_external_id', 'm.name as method_name');
    return rows.map((r) => ({
      ...toPaymentRow(r),
      login: String(r['login']),
      fullName: String(r['full_name']),
      accountExternalId: String(r['acc_external_id']),
      methodName: String(r['method_name'] ?? ''),
    }));
  }

  /** Timemarks to arm at start: pool burns and credit expiries. */
  static async pendingEvents(k: Knex): Promise<{ at: number; kind: 'burn' | 'credit_expire'; id: number }[]> {
    const pools: { account_id: number; burn_date: number }[] = await k('expiring_pools').select(
      'account_id',
      'burn_date',
    );
    const credits: { id: number; burn_date: number }[] = await k('payment_transactions')
      .whereIn('kind', ['credit', 'promised'])
      .andWhere({ burnt: false })
      .select('id', 'burn_date');
    return [
      ...pools.map((p) => ({ at: Number(p.burn_date), kind: 'burn' as const, id: Number(p.account_id) })),
      ...credits.map((c) => ({ at: Number(c.burn_date), kind: 'credit_expire' as const, id: Number(c.id) })),
    ];
  }
}
