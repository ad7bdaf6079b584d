import type { Database, Knex } from '@utm5/db';
import { toTLink, type TLink } from './model';

type Db = Knex | Knex.Transaction;

/** A tariff plan an account had (tariff_history); unlinkDate 0: still linked. */
export interface TariffHistoryEntry {
  readonly tariffId: number;
  readonly linkDate: number;
  readonly unlinkDate: number;
  /** '' when the plan is gone. */
  readonly tariffName: string;
}

/** Tariff links (tariff_links) and the account's tariff history (tariff_history). */
export class TariffLinkRepo {
  constructor(private readonly db: Database) {}

  async insert(
    trx: Knex.Transaction,
    t: { accountId: number; userId: number; current: number; next: number; periodId: number; linkDate: number },
  ): Promise<number> {
    const [x] = await trx('tariff_links').insert({
      account_id: t.accountId,
      user_id: t.userId,
      tariff_current: t.current,
      tariff_next: t.next,
      discount_period_id: t.periodId,
      link_date: t.linkDate,
    });
    return Number(x);
  }

  /** The account's live tariff link, if it is the account's. */
  async ofAccount(trx: Db, tlinkId: number, accountId: number): Promise<TLink | undefined> {
    const r = await trx('tariff_links').where({ id: tlinkId, account_id: accountId, is_deleted: false }).first();
    return r ? toTLink(r) : undefined;
  }

  async ofAccountInPeriod(trx: Db, accountId: number, periodId: number): Promise<TLink[]> {
    return (
      (await trx('tariff_links').where({
        account_id: accountId,
        discount_period_id: periodId,
        is_deleted: false,
      })) as Record<string, unknown>[]
    ).map(toTLink);
  }

  /** Accounts with live tariff links in the period. */
  async accountsInPeriod(periodId: number): Promise<number[]> {
    return (
      await this.db
        .knex('tariff_links')
        .where({ discount_period_id: periodId, is_deleted: false })
        .distinct('account_id')
    ).map((r: { account_id: number }) => Number(r.account_id));
  }

  /** Sets the plan the link switches to at period end; the number of links changed (0: no such live link). */
  async setNext(tlinkId: number, next: number): Promise<number> {
    return this.db.knex('tariff_links').where({ id: tlinkId, is_deleted: false }).update({ tariff_next: next });
  }

  async setCurrent(trx: Knex.Transaction, tlinkId: number, current: number): Promise<void> {
    await trx('tariff_links').where({ id: tlinkId }).update({ tariff_current: current });
  }

  /** The account's live tariff links of period `from` move to period `to`. */
  async movePeriod(trx: Knex.Transaction, accountId: number, from: number, to: number): Promise<void> {
    await trx('tariff_links')
      .where({ account_id: accountId, discount_period_id: from, is_deleted: false })
      .update({ discount_period_id: to });
  }

  async markUnlinked(trx: Knex.Transaction, tlinkId: number, at: number): Promise<void> {
    await trx('tariff_links').where({ id: tlinkId }).update({ is_deleted: true, unlink_date: at });
  }

  // ---- tariff_history ----

  async historyOpen(trx: Knex.Transaction, accountId: number, tariffId: number, at: number): Promise<void> {
    await trx('tariff_history').insert({ account_id: accountId, tariff_id: tariffId, link_date: at });
  }

  /** Ends the account's open history entries of the plan. */
  async historyClose(trx: Knex.Transaction, accountId: number, tariffId: number, at: number): Promise<void> {
    await trx('tariff_history')
      .where({ account_id: accountId, tariff_id: tariffId, unlink_date: 0 })
      .update({ unlink_date: at });
  }

  /** The tariff links of a user in force (accountId 0: of all the user's accounts), by id. */
  async ofUser(userId: number, accountId = 0): Promise<TLink[]> {
    let q = this.db.knex('tariff_links').where({ user_id: userId, is_deleted: false });
    if (accountId) q = q.andWhere({ account_id: accountId });
    return ((await q.orderBy('id')) as Record<string, unknown>[]).map(toTLink);
  }

  async get(id: number): Promise<TLink | undefined> {
    const r = await this.db.knex('tariff_links').where({ id, is_deleted: false }).first();
    return r ? toTLink(r) : undefined;
  }

  /** Whether a tariff link in force has the plan as its current or next one. */
  async planInUse(tariffId: number): Promise<boolean> {
    return Boolean(
      await this.db
        .knex('tariff_links')
        .where({ is_deleted: false })
        .andWhere((q) => q.where({ tariff_current: tariffId }).orWhere({ tariff_next: tariffId }))
        .first('id'),
    );
  }

  /** The plans the account had, oldest first. */
  async history(accountId: number): Promise<TariffHistoryEntry[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('tariff_history as h')
      .leftJoin('tariffs as t', 't.id', 'h.tariff_id')
      .where('h.account_id', accountId)
      .orderBy('h.id')
      .select('h.*', 't.name');
    return rows.map((r) => ({
      tariffId: Number(r['tariff_id']),
      linkDate: Number(r['link_date']),
      unlinkDate: Number(r['unlink_date']),
      tariffName: String(r['name'] ?? ''),
    }));
  }
}
