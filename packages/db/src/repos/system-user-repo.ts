import type { Knex } from 'knex';
import type { Database } from '../connection';
import { DbError } from '../db-error';

export interface SystemUserRecord {
  readonly id: number;
  readonly login: string;
  /** Sealed with the core's key file; CHAP needs the clear password back. */
  readonly passwordEnc: string;
  readonly ip4: string;
  readonly mask4: number;
  readonly ip6: string;
  readonly mask6: number;
  readonly groups: readonly number[];
}

export type NewSystemUser = Omit<SystemUserRecord, 'id'> & { readonly id?: number };

interface Row {
  id: number;
  login: string;
  password_enc: string;
  ip4: string;
  mask4: number;
  ip6: string;
  mask6: number;
}

/** A unique index or primary key refused a row (MariaDB or SQLite). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return (
    e.code === 'ER_DUP_ENTRY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** System users (negative ids) and their group membership. */
export class SystemUserRepo {
  constructor(private readonly db: Database) {}

  async list(): Promise<SystemUserRecord[]> {
    const rows: Row[] = await this.db.knex('system_users').select('*').orderBy('id', 'desc');
    const members: { user_id: number; group_id: number }[] = await this.db.knex('system_group_members').select('*');
    const byUser = new Map<number, number[]>();
    for (const m of members) byUser.set(m.user_id, [...(byUser.get(m.user_id) ?? []), m.group_id]);
    return rows.map((r) => ({
      id: r.id,
      login: r.login,
      passwordEnc: r.password_enc,
      ip4: r.ip4,
      mask4: r.mask4,
      ip6: r.ip6,
      mask6: r.mask6,
      groups: (byUser.get(r.id) ?? []).sort((a, b) => a - b),
    }));
  }

  async count(): Promise<number> {
    const [{ n }] = await this.db.knex('system_users').count({ n: '*' });
    return Number(n);
  }

  /** Inserts a user; without an id, takes the next free negative id. Returns the id. */
  async create(u: NewSystemUser, now: number): Promise<number> {
    try {
      return await this.db.tx(async (trx) => {
        let id = u.id;
        if (id === undefined) {
          const [{ m }] = await trx('system_users').min({ m: 'id' });
          id = Math.min(-1, Number(m ?? 0) - 1);
        }
        await trx('system_users').insert({
          id,
          login: u.login,
          password_enc: u.passwordEnc,
          ip4: u.ip4,
          mask4: u.mask4,
          ip6: u.ip6,
          mask6: u.mask6,
          created_at: now,
          updated_at: now,
        });
        await this.writeGroups(trx, id, u.groups);
        return id;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DbError('UTM_DB_CONFLICT', `system user '${u.login}' or id ${u.id} already exists`, { cause: err });
      throw err;
    }
  }

  async update(u: SystemUserRecord, now: number): Promise<void> {
    try {
      await this.db.tx(async (trx) => {
        const n = await trx('system_users').where({ id: u.id }).update({
          login: u.login,
          password_enc: u.passwordEnc,
          ip4: u.ip4,
          mask4: u.mask4,
          ip6: u.ip6,
          mask6: u.mask6,
          updated_at: now,
        });
        if (n === 0) throw new DbError('UTM_DB_NOT_FOUND', `system user ${u.id} does not exist`);
        await trx('system_group_members').where({ user_id: u.id }).delete();
        await this.writeGroups(trx, u.id, u.groups);
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new DbError('UTM_DB_CONFLICT', `system user '${u.login}' already exists`, { cause: err });
      throw err;
    }
  }

  async remove(id: number): Promise<void> {
    await this.db.tx(async (trx) => {
      await trx('system_group_members').where({ user_id: id }).delete();
      const n = await trx('system_users').where({ id }).delete();
      if (n === 0) throw new DbError('UTM_DB_NOT_FOUND', `system user ${id} does not exist`);
    });
  }

  private async writeGroups(trx: Knex.Transaction, userId: number, groups: readonly number[]): Promise<void> {
    const unique = [...new Set(groups)];
    if (unique.length > 0)
      await trx('system_group_members').insert(unique.map((g) => ({ user_id: userId, group_id: g })));
  }
}
