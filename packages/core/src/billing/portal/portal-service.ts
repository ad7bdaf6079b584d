import type { Database } from '@utm5/db';
import { PAYMENT_METHOD } from '@utm5/db';
import type { AccountLocks } from '../account-locks';
import { audit, UserAction, type Actor } from '../audit';
import { BillingError } from '../billing-error';
import type { BlockService } from '../blocking/block-service';
import { BlockType } from '../blocking/block-types';
import type { Ledger } from '../ledger';
import type { PaymentService } from '../payments/payment-service';
import { SettingsSets } from './settings-sets';
import { NO_LISTENERS, type EventSink } from '../../events/event-sink';

const DAY = 86400;

export interface PromisedOffer {
  readonly lastPaymentDate: number;
  readonly maxAmount: number;
  readonly durationDays: number;
  readonly intervalDays: number;
  readonly cost: number;
  readonly minBalance: number;
  readonly useMinBalance: boolean;
  readonly freeBalance: number;
  readonly useFreeBalance: boolean;
  readonly balance: number;
  readonly flags: number;
  /** Why the customer cannot take one now, or undefined when they can. */
  readonly refusal: string | undefined;
}

export interface FundsTransfer {
  readonly accountIdFrom: number;
  readonly accountIdTo: number;
  readonly amount: number;
  readonly date: number;
}

export interface CustomerBlock {
  readonly accountId: number;
  readonly startDate: number;
  readonly expireDate: number;
  readonly blockType: number;
  readonly comment: string;
}

/**
 * What customers do for themselves in the portal: promised payments, transfers between their own accounts and
 * voluntary suspension, each allowed by the settings set in force for the user. A fee service (service_id) is kept
 * with each set; charging it needs the services of the billing engine II issue and is not done yet.
 */
export class PortalService {
  readonly promised: SettingsSets;
  readonly transfers: SettingsSets;
  readonly suspension: SettingsSets;

  constructor(
    private readonly db: Database,
    private readonly locks: AccountLocks,
    private readonly payments: PaymentService,
    private readonly blocks: BlockService,
    private readonly now: () => number,
    private readonly ledger: Pick<Ledger, 'post'>,
    private readonly bus: EventSink = NO_LISTENERS,
  ) {
    this.promised = new SettingsSets(db, 'promised_payment_settings');
    this.transfers = new SettingsSets(db, 'funds_flow_settings');
    this.suspension = new SettingsSets(db, 'voluntary_suspension_settings');
  }

  private async ownAccount(
    userId: number,
    accountId: number,
  ): Promise<{ id: number; balance: number; credit: number; blockType: number }> {
    const a = await this.db
      .knex('accounts')
      .where({ user_id: userId, is_deleted: false, ...(accountId ? { id: accountId } : {}) })
      .orderBy('id')
      .first('id', 'balance', 'credit', 'block_type');
    if (!a) throw new BillingError('UTM_NO_ACCOUNT', `user ${userId} has no account ${accountId || ''}`.trim());
    return { id: Number(a.id), balance: Number(a.balance), credit: Number(a.credit), blockType: Number(a.block_type) };
  }

  /** The promised-payment offer for the user's account, or undefined when no enabled set applies. */
  async promisedOffer(
    userId: number,
    accountId: number,
  ): Promise<{ accountId: number; offer: PromisedOffer } | undefined> {
    const set = await this.promised.forUser(userId);
    if (!set) return undefined;
    const acc = await this.ownAccount(userId, accountId);
    const last = await this.db
      .knex('payment_transactions')
      .where({ account_id: acc.id, kind: 'promised' })
      .orderBy('id', 'desc')
      .first('actual_date');
    const lastDate = last ? Number(last.actual_date) : 0;
    const now = this.now();
    const interval = Number(set['interval_duration']);
    let refusal: string | undefined;
    if (lastDate > 0 && now - lastDate < interval * DAY) {
      refusal = `the last promised payment was less than ${interval} days ago`;
    } else if (set['use_min_balance'] && acc.balance < Number(set['min_balance'])) {
      refusal = `the balance is below the minimum ${Number(set['min_balance']) / 1e6}`;
    }
    return {
      accountId: acc.id,
      offer: {
        lastPaymentDate: lastDate,
        maxAmount: Number(set['max_value']),
        durationDays: Number(set['max_duration']),
        intervalDays: interval,
        cost: 0,
        minBalance: Number(set['min_balance']),
        useMinBalance: Boolean(set['use_min_balance']),
        freeBalance: Number(set['free_balance']),
        useFreeBalance: Boolean(set['use_free_balance']),
        balance: acc.balance,
        flags: Number(set['flags']),
        refusal,
      },
    };
  }

  /**
   * A promised payment: a credit payment (method Credit) expiring after the set's days; with flag 1 ("until balance
   * positive") the amount is what makes the balance non-negative, still within the maximum.
   */
  async takePromised(actor: Actor, userId: number, accountId: number, amountMicro: number): Promise<number> {
    const o = await this.promisedOffer(userId, accountId);
    if (!o)
      throw new BillingError(
        'UTM_NOT_ALLOWED',
        `promised payments are not available to user ${userId} (no enabled settings set for their groups)`,
      );
    if (o.offer.refusal) throw new BillingError('UTM_NOT_ALLOWED', o.offer.refusal);
    let amount = amountMicro;
    if (o.offer.flags & 1) amount = Math.max(0, -o.offer.balance);
    if (!(amount > 0)) throw new BillingError('UTM_BAD_INPUT', 'the promised payment amount must be positive');
    if (amount > o.offer.maxAmount)
      throw new BillingError('UTM_BAD_INPUT', `the promised payment may be at most ${o.offer.maxAmount / 1e6}`);
    const now = this.now();
    const r = await this.payments.add(actor, {
      accountId: o.accountId,
      amount: amount / 1e6,
      currencyId: await this.systemCurrency(),
      paymentDate: now,
      burnDate: now + Math.max(1, o.offer.durationDays) * DAY,
      method: PAYMENT_METHOD.CREDIT,
      adminComment: 'promised payment',
      comment: 'promised payment',
      extNumber: '',
      toInvoice: 0,
      turnOnInet: true,
      kind: 'promised',
    });
    return r.id;
  }

  private async systemCurrency(): Promise<number> {
    const r = await this.db.knex('system_parameters').where({ name: 'system_currency' }).first('value');
    return Number(r?.value ?? 810);
  }

  /** A transfer between two accounts of one user, allowed by the transfer set in force; the balance may not go below zero. */
  async transfer(actor: Actor, userId: number, from: number, to: number, amountMicro: number): Promise<number> {
    if (!(await this.transfers.forUser(userId)))
      throw new BillingError('UTM_NOT_ALLOWED', `transfers are not available to user ${userId}`);
    if (from === to) throw new BillingError('UTM_BAD_INPUT', 'the two accounts must differ');
    if (!(amountMicro > 0)) throw new BillingError('UTM_BAD_INPUT', 'the transfer amount must be positive');
    await this.ownAccount(userId, from);
    await this.ownAccount(userId, to);
    return this.locks.with([from, to], () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const src = await trx('accounts').where({ id: from }).first('balance');
        if (Number(src.balance) < amountMicro) {
          throw new BillingError(
            'UTM_NOT_ALLOWED',
            `account ${from} has ${Number(src.balance) / 1e6}, less than ${amountMicro / 1e6}`,
          );
        }
        const [id] = await trx('funds_flow').insert({
          account_id_from: from,
          account_id_to: to,
          amount: amountMicro,
          date: now,
          user_id: userId,
        });
        const flowId = Number(id);
        await this.ledger.post(trx, {
          accountId: from,
          ts: now,
          kind: 'transfer_out',
          amount: -amountMicro,
          refType: 'funds_flow',
          refId: flowId,
          actorId: actor.id,
        });
        await this.ledger.post(trx, {
          accountId: to,
          ts: now,
          kind: 'transfer_in',
          amount: amountMicro,
          refType: 'funds_flow',
          refId: flowId,
          actorId: actor.id,
        });
        await this.blocks.checkFunds(trx, from, now, { payment: false });
        await this.blocks.checkFunds(trx, to, now, { payment: true });
        await audit(
          trx,
          actor,
          UserAction.TRANSFER,
          'transfer',
          `${amountMicro / 1e6} from account ${from} to ${to}`,
          { userId, accountId: from },
          now,
          this.bus,
        );
        return flowId;
      }),
    );
  }

  /** The user's transfers between their accounts made in [from, to), in the order made. */
  async transferHistory(userId: number, from: number, to: number): Promise<FundsTransfer[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('funds_flow')
      .where({ user_id: userId })
      .andWhere('date', '>=', from)
      .andWhere('date', '<', to)
      .orderBy('id');
    return rows.map((r) => ({
      accountIdFrom: Number(r['account_id_from']),
      accountIdTo: Number(r['account_id_to']),
      amount: Number(r['amount']),
      date: Number(r['date']),
    }));
  }

  /** The blocks of the user's accounts that started in [from, to), in the order set (the customer's blocks report). */
  async blockHistory(userId: number, from: number, to: number): Promise<CustomerBlock[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('blocks_info as b')
      .join('accounts as a', 'a.id', 'b.account_id')
      .where('a.user_id', userId)
      .andWhere('b.start_date', '>=', from)
      .andWhere('b.start_date', '<', to)
      .orderBy('b.id')
      .select('b.*');
    return rows.map((r) => ({
      accountId: Number(r['account_id']),
      startDate: Number(r['start_date']),
      expireDate: Number(r['expire_date']),
      blockType: Number(r['block_type']),
      comment: String(r['comment']),
    }));
  }

  /** The voluntary-suspension state of the account and, when not suspended, what the set allows. */
  async suspensionState(userId: number, accountId: number) {
    const acc = await this.ownAccount(userId, accountId);
    const b = await this.db
      .knex('blocks_info')
      .where({ account_id: acc.id, block_type: BlockType.USER, is_deleted: false })
      .orderBy('id', 'desc')
      .first();
    const set = await this.suspension.forUser(userId);
    if (b)
      return {
        accountId: acc.id,
        suspended: true as const,
        start: Number(b.start_date),
        end: Number(b.expire_date),
        selfUnlock: Boolean(set?.['self_unlock']),
      };
    const last = await this.db
      .knex('blocks_info')
      .where({ account_id: acc.id, block_type: BlockType.USER })
      .orderBy('id', 'desc')
      .first('start_date');
    return {
      accountId: acc.id,
      suspended: false as const,
      set,
      lastStart: last ? Number(last.start_date) : 0,
      balance: acc.balance,
      blockType: acc.blockType,
    };
  }

  async suspend(actor: Actor, userId: number, accountId: number, start: number, end: number): Promise<number> {
    const st = await this.suspensionState(userId, accountId);
    if (st.suspended) throw new BillingError('UTM_NOT_ALLOWED', `account ${st.accountId} is already suspended`);
    const set = st.set;
    if (!set) throw new BillingError('UTM_NOT_ALLOWED', `voluntary suspension is not available to user ${userId}`);
    const now = this.now();
    const from = Math.max(start, now);
    const dur = end - from;
    if (dur < Number(set['min_duration']) || dur > Number(set['max_duration'])) {
      throw new BillingError(
        'UTM_BAD_INPUT',
        `the suspension must last ${set['min_duration']} to ${set['max_duration']} seconds (asked ${dur})`,
      );
    }
    if (st.lastStart > 0 && from - st.lastStart < Number(set['interval_duration'])) {
      throw new BillingError(
        'UTM_NOT_ALLOWED',
        `the last suspension began less than ${set['interval_duration']} seconds before`,
      );
    }
    if (set['use_min_balance'] && st.balance < Number(set['min_balance'])) {
      throw new BillingError('UTM_NOT_ALLOWED', `the balance is below the minimum ${Number(set['min_balance']) / 1e6}`);
    }
    if (st.blockType !== BlockType.NONE && from <= now)
      throw new BillingError('UTM_NOT_ALLOWED', `account ${st.accountId} is blocked`);
    return this.locks.with(st.accountId, () =>
      this.db.tx(async (trx) => {
        const id = await this.blocks.block(
          trx,
          st.accountId,
          BlockType.USER,
          from,
          end,
          now,
          actor,
          'voluntary suspension',
        );
        await audit(
          trx,
          actor,
          UserAction.SUSPENSION,
          'suspension',
          `account ${st.accountId} suspended from ${from} to ${end}`,
          { userId, accountId: st.accountId },
          now,
          this.bus,
        );
        return id;
      }),
    );
  }

  /** Ending a suspension early: only when the set allows self unlock. */
  async resume(actor: Actor, userId: number, accountId: number): Promise<void> {
    const st = await this.suspensionState(userId, accountId);
    if (!st.suspended) throw new BillingError('UTM_NOT_ALLOWED', `account ${st.accountId} is not suspended`);
    if (!st.selfUnlock)
      throw new BillingError('UTM_NOT_ALLOWED', 'this suspension cannot be ended early (self unlock is off)');
    await this.locks.with(st.accountId, () =>
      this.db.tx(async (trx) => {
        await this.blocks.unblock(trx, st.accountId, this.now(), actor, {
          type: BlockType.USER,
          turnOnInet: true,
          why: 'ended by the customer',
        });
      }),
    );
  }
}
