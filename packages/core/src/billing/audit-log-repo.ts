import type { Database } from '@utm5/db';

/** A user_log entry with the login of the user it is about, as rpcf_get_user_log lists it. */
export interface AuditEntry {
  /** 0 for an entry about no user. */
  readonly userId: number;
  /** '' when the entry is about no user (or one no longer in users). */
  readonly userLogin: string;
  readonly actorId: number;
  readonly actorLogin: string;
  readonly ts: number;
  readonly actionCode: number;
  readonly action: string;
  readonly details: string;
}

export interface AuditFilter {
  /** [from, to) in unix seconds. */
  readonly from: number;
  readonly to: number;
  /** 0 or less: any. */
  readonly userId: number;
  readonly actionCode: number;
  /** Members of this user group only. */
  readonly groupId: number;
}

/** Reads the user change log that audit() writes (user_log), in the order written. */
export class AuditLogRepo {
  constructor(private readonly db: Database) {}

  async entries(f: AuditFilter): Promise<AuditEntry[]> {
    let q = this.db
      .knex('user_log as l')
      .leftJoin('users as u', 'u.id', 'l.user_id')
      .where('l.ts', '>=', f.from)
      .andWhere('l.ts', '<', f.to);
    if (f.userId > 0) q = q.andWhere('l.user_id', f.userId);
    if (f.actionCode > 0) q = q.andWhere('l.action_code', f.actionCode);
    if (f.groupId > 0)
      q = q.whereIn('l.user_id', this.db.knex('user_group_members').where({ group_id: f.groupId }).select('user_id'));
    const rows: Record<string, unknown>[] = await q.orderBy('l.id').select('l.*', 'u.login as ud_login');
    return rows.map((r) => ({
      userId: Number(r['user_id'] ?? 0),
      userLogin: String(r['ud_login'] ?? ''),
      actorId: Number(r['actor_id']),
      actorLogin: String(r['actor_login']),
      ts: Number(r['ts']),
      actionCode: Number(r['action_code']),
      action: String(r['action']),
      details: String(r['details']),
    }));
  }
}
