import type { Database } from '../connection';
import { DbError } from '../db-error';

/** A right of a system group over a range of URFA function ids (a single id when from = to). */
export interface FunctionRight {
  readonly from: number;
  readonly to: number;
  readonly allowed: boolean;
}

export interface SystemGroupRecord {
  readonly id: number;
  readonly name: string;
  readonly info: string;
  readonly rights: readonly FunctionRight[];
}

/** System groups and the function rights they grant. */
export class SystemGroupRepo {
  constructor(private readonly db: Database) {}

  async list(): Promise<SystemGroupRecord[]> {
    const groups: { id: number; name: string; info: string }[] = await this.db
      .knex('system_groups')
      .select('*')
      .orderBy('id');
    const rights: { group_id: number; fid_from: number; fid_to: number; allowed: number | boolean }[] = await this.db
      .knex('system_group_rights')
      .select('*');
    return groups.map((g) => ({
      ...g,
      rights: rights
        .filter((r) => r.group_id === g.id)
        .map((r) => ({ from: Number(r.fid_from), to: Number(r.fid_to), allowed: Boolean(r.allowed) })),
    }));
  }

  /** Creates or replaces a group with exactly these rights. */
  async save(g: SystemGroupRecord): Promise<void> {
    await this.db
      .tx(async (trx) => {
        const exists = await trx('system_groups').where({ id: g.id }).first();
        if (exists) await trx('system_groups').where({ id: g.id }).update({ name: g.name, info: g.info });
        else await trx('system_groups').insert({ id: g.id, name: g.name, info: g.info });
        await trx('system_group_rights').where({ group_id: g.id }).delete();
        const seen = new Set<string>();
        const rows = [];
        for (const r of g.rights) {
          const key = `${r.from}:${r.to}`;
          if (seen.has(key)) continue;
          seen.add(key);
          rows.push({ group_id: g.id, fid_from: r.from, fid_to: r.to, allowed: r.allowed });
        }
        if (rows.length > 0) await trx('system_group_rights').insert(rows);
      })
      .catch((err) => {
        const code = (err as { code?: string }).code;
        if (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new DbError('UTM_DB_CONFLICT', `system group name '${g.name}' is taken`, { cause: err });
        }
        throw err;
      });
  }

  async remove(id: number): Promise<void> {
    await this.db.tx(async (trx) => {
      await trx('system_group_rights').where({ group_id: id }).delete();
      await trx('system_group_members').where({ group_id: id }).delete();
      const n = await trx('system_groups').where({ id }).delete();
      if (n === 0) throw new DbError('UTM_DB_NOT_FOUND', `system group ${id} does not exist`);
    });
  }
}
