import type { Knex } from 'knex';
import type { Database } from '../connection';

export interface UserLogEntry {
  readonly ts: number;
  readonly actorId: number;
  readonly actorLogin: string;
  readonly actorIp: string;
  readonly action: string;
  readonly userId?: number | null;
  readonly accountId?: number | null;
  readonly details: string;
}

/** The audit journal (user_log): append-only. */
export class UserLogRepo {
  constructor(private readonly db: Database) {}

  async append(e: UserLogEntry, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.db.knex)('user_log').insert({
      ts: e.ts,
      actor_id: e.actorId,
      actor_login: e.actorLogin,
      actor_ip: e.actorIp,
      action: e.action,
      user_id: e.userId ?? null,
      account_id: e.accountId ?? null,
      details: e.details,
    });
  }

  /** Removes entries older than `before` (unix seconds); returns how many went. */
  async prune(before: number): Promise<number> {
    return Number(await this.db.sys('user_log').where('ts', '<', before).delete());
  }

  async list(filter: { from?: number; to?: number; userId?: number; limit?: number } = {}): Promise<UserLogEntry[]> {
    let q = this.db.knex('user_log').select('*').orderBy('id');
    if (filter.from !== undefined) q = q.where('ts', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('ts', '<', filter.to);
    if (filter.userId !== undefined) q = q.where('user_id', filter.userId);
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    const rows: Record<string, unknown>[] = await q;
    return rows.map((r) => ({
      ts: Number(r['ts']),
      actorId: Number(r['actor_id']),
      actorLogin: String(r['actor_login']),
      actorIp: String(r['actor_ip']),
      action: String(r['action']),
      userId: r['user_id'] === null ? null : Number(r['user_id']),
      accountId: r['account_id'] === null ? null : Number(r['account_id']),
      details: String(r['details']),
    }));
  }
}
