import type { Database } from '@utm5/db';
import { toTLink, type TLink } from './model';

/** A tariff plan an account had (tariff_history); unlinkDate 0: still linked. */
export interface TariffHistoryEntry {
  readonly tariffId: number;
  readonly linkDate: number;
  readonly unlinkDate: number;
  /** '' when the plan is gone. */
  readonly tariffName: string;
}

/**
 * Reads of tariff_links and tariff_history. The engine still writes both (linking, unlinking and switching plans
 * take the account lock there); the reads of the catalog and the URFA functions come here so the engine's split can
 * move its own in too.
 */
export class TariffLinkRepo {
  constructor(private readonly db: Database) {}

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
    return Boolean(await this.db.knex('tariff_links').where({ is_deleted: false })
      .andWhere((q) => q.where({ tariff_current: tariffId }).orWhere({ tariff_next: tariffId })).first('id'));
  }

  /** The plans the account had, oldest first. */
  async history(accountId: number): Promise<TariffHistoryEntry[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('tariff_history as h').leftJoin('tariffs as t', 't.id', 'h.tariff_id')
      .where('h.account_id', accountId).orderBy('h.id').select('h.*', 't.name');
    return rows.map((r) => ({
      tariffId: Number(r['tariff_id']), linkDate: Number(r['link_date']), unlinkDate: Number(r['unlink_date']), tariffName: String(r['name'] ?? ''),
    }));
  }
}
