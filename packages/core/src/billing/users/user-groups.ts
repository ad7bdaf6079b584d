import type { Database } from '@utm5/db';
import { BillingError } from '../billing-error';

/** User groups (for group operations and for choosing customer-portal settings sets). */
export class UserGroups {
  constructor(private readonly db: Database) {}

  async list(): Promise<{ id: number; name: string }[]> {
    const rows: { id: number; name: string }[] = await this.db.knex('user_groups').orderBy('id').select('id', 'name');
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }

  async add(id: number, name: string): Promise<void> {
    if (!Number.isInteger(id) || id <= 0)
      throw new BillingError('UTM_BAD_INPUT', `group id ${id} must be a positive integer`);
    if (name.trim() === '') throw new BillingError('UTM_BAD_INPUT', 'group name must not be empty');
    if (await this.db.knex('user_groups').where({ id }).first('id'))
      throw new BillingError('UTM_BAD_INPUT', `user group ${id} already exists`);
    await this.db.knex('user_groups').insert({ id, name });
  }

  async rename(id: number, name: string): Promise<void> {
    const n = await this.db.knex('user_groups').where({ id }).update({ name });
    if (n === 0) throw new BillingError('UTM_BAD_INPUT', `no user group ${id}`);
  }

  async remove(id: number): Promise<void> {
    await this.db.tx(async (trx) => {
      await trx('user_group_members').where({ group_id: id }).delete();
      const n = await trx('user_groups').where({ id }).delete();
      if (n === 0) throw new BillingError('UTM_BAD_INPUT', `no user group ${id}`);
    });
  }

  async members(id: number): Promise<{ id: number; login: string }[]> {
    const rows: { id: number; login: string }[] = await this.db
      .knex('user_group_members as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where({ 'm.group_id': id, 'u.is_deleted': false })
      .orderBy('u.id')
      .select('u.id', 'u.login');
    return rows.map((r) => ({ id: Number(r.id), login: r.login }));
  }

  async byName(name: string): Promise<number> {
    const r = await this.db.knex('user_groups').where({ name }).first('id');
    return r ? Number(r.id) : 0;
  }
}
