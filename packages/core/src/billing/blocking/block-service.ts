import type { Logger } from '@utm5/common';
import type { Knex } from '@utm5/db';
import { NO_LISTENERS, type EventSink } from '../../events/event-sink';
import { setInternetStatus } from '../accounts/internet-status';
import { audit, UserAction, SYSTEM_ACTOR, type Actor } from '../audit';
import type { TimeEvents } from '../timemarks/time-events';
import { BlockType, NO_END, blockName } from './block-types';

export interface BlockRow {
  readonly id: number;
  readonly accountId: number;
  readonly blockType: number;
  readonly startDate: number;
  readonly expireDate: number;
  readonly isActive: boolean;
  readonly isDeleted: boolean;
  readonly reason: string;
}

function toRow(r: Record<string, unknown>): BlockRow {
  return {
    id: Number(r['id']),
    accountId: Number(r['account_id']),
    blockType: Number(r['block_type']),
    startDate: Number(r['start_date']),
    expireDate: Number(r['expire_date']),
    isActive: Boolean(r['is_active']),
    isDeleted: Boolean(r['is_deleted']),
    reason: String(r['reason'] ?? ''),
  };
}

async function userOf(trx: Knex.Transaction, accountId: number): Promise<number | null> {
  const a = await trx('accounts').where({ id: accountId }).first('user_id');
  return a ? Number(a.user_id) : null;
}

/**
 * Blockings of accounts (administrative, user, system) with their history in blocks_info. An account has at most one
 * block in force; a block may start in the future and end at a set time (timemarks). Every call runs inside the
 * caller's transaction while it holds the account's lock.
 */
export interface BlockHooks {
  /** A block came in force (tariffication freezes the links' charge policies). */
  activated?(trx: Knex.Transaction, b: BlockRow, now: number): Promise<void>;
  /** A block ended (tariffication refunds fees "on block expire"). */
  ended?(trx: Knex.Transaction, b: BlockRow, now: number): Promise<void>;
}

export class BlockService {
  readonly hooks: BlockHooks = {};

  constructor(
    private readonly events: TimeEvents,
    private readonly log: Logger,
    /** The billing events: 'block' when the block in force changes, 'internet' when a block turns it off or on. */
    private readonly bus: EventSink = NO_LISTENERS,
  ) {}

  async active(trx: Knex.Transaction | Knex, accountId: number): Promise<BlockRow | undefined> {
    const r = await trx('blocks_info').where({ account_id: accountId, is_active: true, is_deleted: false }).first();
    return r ? toRow(r) : undefined;
  }

  /**
   * Sets a block. From `start` (now if past) to `end` (NO_END for none). An administrative or user block replaces a
   * system block in force; a system block never replaces another block.
   */
  async block(
    trx: Knex.Transaction,
    accountId: number,
    type: number,
    start: number,
    end: number,
    now: number,
    actor: Actor,
    comment = '',
    reason = '',
  ): Promise<number> {
    const [id] = await trx('blocks_info').insert({
      account_id: accountId,
      block_type: type,
      start_date: Math.max(start, now),
      expire_date: end,
      is_active: false,
      is_deleted: false,
      comment: comment.slice(0, 255),
      who: actor.id,
      reason,
    });
    const blockId = Number(id);
    if (start > now) {
      this.events.set({ at: start, kind: 'block_start', id: blockId });
    } else {
      await this.activate(trx, blockId, now, actor);
    }
    return blockId;
  }

  /** Puts a pending block in force (its start has come). */
  async activate(trx: Knex.Transaction, blockId: number, now: number, actor: Actor = SYSTEM_ACTOR): Promise<void> {
    const r = await trx('blocks_info').where({ id: blockId }).first();
    if (!r || r.is_deleted || r.is_active) return;
    const b = toRow(r);
    const cur = await this.active(trx, b.accountId);
    if (cur) {
      if (b.blockType === BlockType.SYSTEM) {
        await trx('blocks_info').where({ id: blockId }).update({ is_deleted: true, end_date: now });
        return;
      }
      // One change of the block in force (old to new): the new block's event only.
      await this.close(trx, cur, now, actor, 'replaced', false);
    }
    await trx('blocks_info').where({ id: blockId }).update({ is_active: true, start_date: now });
    await trx('accounts').where({ id: b.accountId }).update({ block_type: b.blockType, block_id: blockId });
    await this.bus.emit(trx, { kind: 'block', accountId: b.accountId, blockType: b.blockType }, now);
    await setInternetStatus(trx, this.bus, b.accountId, false, now);
    await this.hooks.activated?.(trx, { ...b, startDate: now, isActive: true }, now);
    if (b.expireDate < NO_END) this.events.set({ at: Math.max(b.expireDate, now), kind: 'block_end', id: blockId });
    await audit(
      trx,
      actor,
      UserAction.BLOCKED,
      'block',
      `${blockName(b.blockType)} block of account ${b.accountId} from ${now}` +
        `${b.expireDate < NO_END ? ` to ${b.expireDate}` : ''}`,
      { userId: await userOf(trx, b.accountId), accountId: b.accountId },
      now,
      this.bus,
    );
    this.log.info(`account ${b.accountId}: ${blockName(b.blockType)} block ${blockId} in force`);
  }

  private async close(
    trx: Knex.Transaction,
    b: BlockRow,
    now: number,
    actor: Actor,
    why: string,
    raise = true,
  ): Promise<void> {
    await trx('blocks_info').where({ id: b.id }).update({ is_active: false, is_deleted: true, end_date: now });
    this.events.cancel('block_end', b.id);
    const ended = await trx('accounts')
      .where({ id: b.accountId, block_id: b.id })
      .update({ block_type: BlockType.NONE, block_id: 0 });
    if (raise && ended > 0)
      await this.bus.emit(trx, { kind: 'block', accountId: b.accountId, blockType: BlockType.NONE }, now);
    await this.hooks.ended?.(trx, b, now);
    await audit(
      trx,
      actor,
      UserAction.UNBLOCKED,
      'unblock',
      `${blockName(b.blockType)} block ${b.id} of account ${b.accountId} ended: ${why}`,
      { userId: await userOf(trx, b.accountId), accountId: b.accountId },
      now,
      this.bus,
    );
  }

  /**
   * Ends the block in force (of the given type, or any), turning the Internet back on when the account has auto
   * enable (or the caller asks), then re-checks the funds: a negative account gets the system block.
   */
  async unblock(
    trx: Knex.Transaction,
    accountId: number,
    now: number,
    actor: Actor,
    opts: { type?: number; turnOnInet?: boolean; why?: string } = {},
  ): Promise<boolean> {
    const cur = await this.active(trx, accountId);
    // Pending blocks of the type are withdrawn too (an administrator lifting a block that has not started yet).
    const pendingQuery = trx('blocks_info').where({ account_id: accountId, is_active: false, is_deleted: false });
    if (opts.type !== undefined) pendingQuery.andWhere({ block_type: opts.type });
    const pending: Record<string, unknown>[] = await pendingQuery;
    for (const p of pending) {
      this.events.cancel('block_start', Number(p['id']));
      await trx('blocks_info')
        .where({ id: Number(p['id']) })
        .update({ is_deleted: true, end_date: now });
    }
    if (!cur || (opts.type !== undefined && cur.blockType !== opts.type)) return pending.length > 0;
    await this.close(trx, cur, now, actor, opts.why ?? 'lifted');
    const acc = await trx('accounts').where({ id: accountId }).first('auto_enable_inet');
    if (acc?.auto_enable_inet || opts.turnOnInet) await setInternetStatus(trx, this.bus, accountId, true, now);
    await this.checkFunds(trx, accountId, now, { payment: false });
    return true;
  }

  /**
   * The system block rule: balance + credit below zero blocks (when no other block is in force); a payment that
   * makes it non-negative lifts the system block, the Internet coming back on with auto enable or when the payment
   * asks for it.
   */
  async checkFunds(
    trx: Knex.Transaction,
    accountId: number,
    now: number,
    opts: { payment: boolean; turnOnInet?: boolean },
  ): Promise<void> {
    const a = await trx('accounts')
      .where({ id: accountId })
      .first('balance', 'credit', 'block_type', 'is_deleted', 'auto_enable_inet');
    if (!a || a.is_deleted) return;
    const funds = Number(a.balance) + Number(a.credit);
    const type = Number(a.block_type);
    if (funds < 0) {
      if (type === BlockType.NONE)
        await this.block(trx, accountId, BlockType.SYSTEM, now, NO_END, now, SYSTEM_ACTOR, 'funds below zero');
      return;
    }
    if (type === BlockType.SYSTEM && opts.payment) {
      // A charge policy's block for lack of funds for the fee is lifted by tariffication, once the fee is covered.
      const cur = await this.active(trx, accountId);
      if (cur && cur.reason === 'funds_lack') return;
      await this.unblock(trx, accountId, now, SYSTEM_ACTOR, {
        type: BlockType.SYSTEM,
        turnOnInet: opts.turnOnInet ?? false,
        why: 'funds restored by a payment',
      });
    } else if (type === BlockType.NONE && opts.turnOnInet) {
      await setInternetStatus(trx, this.bus, accountId, true, now);
    }
  }

  /**
   * checkFunds(..., { payment: false }) for many accounts after a bulk charge: their rows read in one query per
   * chunk, and only an account the rule would block (not deleted, no block in force, funds below zero) checked on
   * its own, which then blocks it.
   */
  async checkFundsAfterCharge(trx: Knex.Transaction, accountIds: readonly number[], now: number): Promise<void> {
    const ids = [...new Set(accountIds)].sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += 500) {
      const rows: Record<string, unknown>[] = await trx('accounts')
        .whereIn('id', ids.slice(i, i + 500))
        .select('id', 'balance', 'credit', 'block_type', 'is_deleted');
      for (const a of rows) {
        if (a['is_deleted'] || Number(a['block_type']) !== BlockType.NONE) continue;
        if (Number(a['balance']) + Number(a['credit']) < 0)
          await this.checkFunds(trx, Number(a['id']), now, { payment: false });
      }
    }
  }

  /** Pending starts and set ends, for the timemarks at core start. */
  static async pendingEvents(k: Knex): Promise<{ at: number; kind: 'block_start' | 'block_end'; id: number }[]> {
    const rows: Record<string, unknown>[] = await k('blocks_info').where({ is_deleted: false }).select('*');
    const out: { at: number; kind: 'block_start' | 'block_end'; id: number }[] = [];
    for (const r of rows.map(toRow)) {
      if (!r.isActive) out.push({ at: r.startDate, kind: 'block_start', id: r.id });
      else if (r.expireDate < NO_END) out.push({ at: r.expireDate, kind: 'block_end', id: r.id });
    }
    return out;
  }
}
