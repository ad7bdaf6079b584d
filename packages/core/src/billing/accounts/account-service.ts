import { moneyFromDouble } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { AccountLocks } from '../account-locks';
import { audit, UserAction, type Actor } from '../audit';
import { BillingError } from '../billing-error';
import type { BlockService } from '../blocking/block-service';
import { BlockType, KEEP_BLOCK, NO_END } from '../blocking/block-types';
import { NO_LISTENERS, type EventSink } from '../../events/event-sink';
import type { Ledger } from '../ledger';
import { setInternetStatus } from './internet-status';

export interface AccountRecord {
  readonly id: number;
  readonly userId: number;
  readonly balance: number;
  readonly credit: number;
  readonly vatRateE6: number;
  readonly saleTaxRateE6: number;
  readonly intStatus: boolean;
  readonly autoEnableInet: boolean;
  readonly unlimited: boolean;
  readonly externalId: string;
  readonly blockType: number;
  readonly irdetoCard: string;
  readonly irdetoStb: string;
  readonly isDeleted: boolean;
}

export function toAccount(r: Record<string, unknown>): AccountRecord {
  return {
    id: Number(r['id']),
    userId: Number(r['user_id']),
    balance: Number(r['balance']),
    credit: Number(r['credit']),
    vatRateE6: Number(r['vat_rate_e6']),
    saleTaxRateE6: Number(r['sale_tax_rate_e6']),
    intStatus: Boolean(r['int_status']),
    autoEnableInet: Boolean(r['auto_enable_inet']),
    unlimited: Boolean(r['unlimited']),
    externalId: String(r['external_id']),
    blockType: Number(r['block_type']),
    irdetoCard: String(r['irdeto_card']),
    irdetoStb: String(r['irdeto_stb']),
    isDeleted: Boolean(r['is_deleted']),
  };
}

/** A percent given as a URFA double, held as micro-percent. */
export function percentE6(x: number): number {
  if (!Number.isFinite(x) || x < 0 || x > 1000)
    throw new BillingError('UTM_BAD_INPUT', `rate ${x} must be a percent from 0 to 1000`);
  return moneyFromDouble(x);
}

export interface NewAccount {
  readonly balance: number;
  readonly credit: number;
  readonly vatRateE6: number;
  readonly saleTaxRateE6: number;
  readonly intStatus: boolean;
  readonly unlimited: boolean;
  readonly autoEnableInet: boolean;
  readonly externalId: string;
  /** 0, or an administrative block from the start. */
  readonly isBlocked: number;
}

export interface AccountChange {
  readonly credit: number;
  /** 0 lift the administrative block, KEEP_BLOCK leave as is, anything else administrative block. */
  readonly isBlocked: number;
  readonly blockStart: number;
  readonly blockEnd: number;
  readonly vatRateE6: number;
  readonly saleTaxRateE6: number;
  readonly intStatus: boolean;
  readonly unlimited: boolean;
  readonly autoEnableInet: boolean;
  readonly externalId: string;
  readonly irdetoCard: string;
  readonly irdetoStb: string;
}

/** Accounts: balance and credit only move through the ledger; the rest is plain state with an audit trail. */
export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly locks: AccountLocks,
    private readonly blocks: BlockService,
    private readonly now: () => number,
    private readonly ledger: Pick<Ledger, 'post'>,
    private readonly events: EventSink = NO_LISTENERS,
  ) {}

  async get(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<AccountRecord | undefined> {
    const r = await k('accounts').where({ id, is_deleted: false }).first();
    return r ? toAccount(r) : undefined;
  }

  async require(id: number): Promise<AccountRecord> {
    const a = await this.get(id);
    if (!a) throw new BillingError('UTM_NO_ACCOUNT', `no account ${id}`);
    return a;
  }

  async forUser(userId: number): Promise<AccountRecord[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('accounts')
      .where({ user_id: userId, is_deleted: false })
      .orderBy('id');
    return rows.map(toAccount);
  }

  /** Creates an account inside the caller's transaction; an opening balance and credit go through the ledger. */
  async create(trx: Knex.Transaction, userId: number, a: NewAccount, actor: Actor): Promise<number> {
    const now = this.now();
    const [id] = await trx('accounts').insert({
      user_id: userId,
      balance: 0,
      credit: 0,
      vat_rate_e6: a.vatRateE6,
      sale_tax_rate_e6: a.saleTaxRateE6,
      int_status: a.intStatus,
      auto_enable_inet: a.autoEnableInet,
      unlimited: a.unlimited,
      external_id: a.externalId.slice(0, 255),
      block_type: 0,
      create_date: now,
    });
    const accountId = Number(id);
    if (a.balance !== 0)
      await this.ledger.post(trx, {
        accountId,
        ts: now,
        kind: 'initial',
        amount: a.balance,
        actorId: actor.id,
        comment: 'opening balance',
      });
    if (a.credit !== 0)
      await this.ledger.post(trx, {
        accountId,
        ts: now,
        kind: 'credit_set',
        amount: 0,
        creditDelta: a.credit,
        actorId: actor.id,
      });
    await audit(
      trx,
      actor,
      UserAction.ACCOUNT_ADDED,
      'account_add',
      `account ${accountId} added`,
      { userId, accountId },
      now,
      this.events,
    );
    if (a.isBlocked !== 0) await this.blocks.block(trx, accountId, BlockType.ADMIN, now, NO_END, now, actor);
    else await this.blocks.checkFunds(trx, accountId, now, { payment: false });
    return accountId;
  }

  async save(actor: Actor, id: number, c: AccountChange): Promise<void> {
    await this.locks.with(id, () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const cur = await this.get(id, trx);
        if (!cur) throw new BillingError('UTM_NO_ACCOUNT', `no account ${id}`);
        await trx('accounts')
          .where({ id })
          .update({
            vat_rate_e6: c.vatRateE6,
            sale_tax_rate_e6: c.saleTaxRateE6,
            unlimited: c.unlimited,
            auto_enable_inet: c.autoEnableInet,
            external_id: c.externalId.slice(0, 255),
            irdeto_card: c.irdetoCard.slice(0, 64),
            irdeto_stb: c.irdetoStb.slice(0, 64),
          });
        if (c.credit !== cur.credit) {
          await this.ledger.post(trx, {
            accountId: id,
            ts: now,
            kind: 'credit_set',
            amount: 0,
            creditDelta: c.credit - cur.credit,
            actorId: actor.id,
            comment: `credit set to ${c.credit / 1e6}`,
          });
        }
        if (c.isBlocked !== KEEP_BLOCK) {
          if (c.isBlocked === 0) {
            // Lifts the administrative block in force, or withdraws one that has not started yet.
            await this.blocks.unblock(trx, id, now, actor, { type: BlockType.ADMIN });
          } else if (cur.blockType !== BlockType.ADMIN) {
            await this.blocks.block(
              trx,
              id,
              BlockType.ADMIN,
              c.blockStart,
              c.blockEnd > 0 ? c.blockEnd : NO_END,
              now,
              actor,
            );
          }
        }
        // The Internet status is the administrator's to set, but a blocked account stays off.
        const after = await this.get(id, trx);
        await setInternetStatus(trx, this.events, id, c.intStatus && after!.blockType === BlockType.NONE, now);
        await this.blocks.checkFunds(trx, id, now, { payment: false });
        await audit(
          trx,
          actor,
          UserAction.ACCOUNT_CHANGED,
          'account_change',
          `account ${id} changed`,
          { userId: cur.userId, accountId: id },
          now,
          this.events,
        );
      }),
    );
  }

  /** rpcf_block_account: 0 lifts the administrative block, anything else sets one from now without end. */
  async setAdminBlock(actor: Actor, id: number, blocked: boolean): Promise<void> {
    await this.locks.with(id, () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const cur = await this.get(id, trx);
        if (!cur) throw new BillingError('UTM_NO_ACCOUNT', `no account ${id}`);
        if (blocked) {
          if (cur.blockType !== BlockType.ADMIN)
            await this.blocks.block(trx, id, BlockType.ADMIN, now, NO_END, now, actor);
        } else {
          await this.blocks.unblock(trx, id, now, actor, { type: BlockType.ADMIN });
        }
      }),
    );
  }

  async setInternet(actor: Actor, id: number, on: boolean): Promise<void> {
    await this.locks.with(id, () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const cur = await this.get(id, trx);
        if (!cur) throw new BillingError('UTM_NO_ACCOUNT', `no account ${id}`);
        if (on && cur.blockType !== BlockType.NONE) {
          throw new BillingError(
            'UTM_NOT_ALLOWED',
            `account ${id} is blocked: the Internet stays off until the block ends`,
          );
        }
        await setInternetStatus(trx, this.events, id, on, now);
        await audit(
          trx,
          actor,
          UserAction.INTERNET,
          'internet',
          `Internet ${on ? 'on' : 'off'} for account ${id}`,
          { userId: cur.userId, accountId: id },
          now,
          this.events,
        );
      }),
    );
  }

  /** Removing an account: refused for a user's basic account. */
  async remove(actor: Actor, id: number): Promise<void> {
    await this.locks.with(id, () =>
      this.db.tx(async (trx) => {
        const now = this.now();
        const cur = await this.get(id, trx);
        if (!cur) throw new BillingError('UTM_NO_ACCOUNT', `no account ${id}`);
        const u = await trx('users').where({ id: cur.userId }).first('basic_account');
        if (u && Number(u.basic_account) === id) {
          throw new BillingError(
            'UTM_IN_USE',
            `account ${id} is the basic account of user ${cur.userId}; remove the user instead`,
          );
        }
        await trx('accounts').where({ id }).update({ is_deleted: true });
        await audit(
          trx,
          actor,
          UserAction.ACCOUNT_REMOVED,
          'account_remove',
          `account ${id} removed (balance ${cur.balance / 1e6})`,
          { userId: cur.userId, accountId: id },
          now,
          this.events,
        );
      }),
    );
  }

  async externalIdUsed(externalId: string): Promise<number> {
    if (externalId === '') return 0;
    const r = await this.db.knex('accounts').where({ external_id: externalId, is_deleted: false }).first('id');
    return r ? Number(r.id) : 0;
  }
}
