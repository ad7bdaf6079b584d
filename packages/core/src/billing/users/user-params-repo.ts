import type { Database, Knex } from '@utm5/db';

/** An additional user parameter (uaparams): the definition whose values user_params holds per user. */
export interface UserParamDef {
  readonly id: number;
  readonly name: string;
  readonly displayName: string;
  readonly visible: boolean;
}

/** uaparams and user_params. */
export class UserParamsRepo {
  constructor(private readonly db: Database) {}

  async definitions(): Promise<UserParamDef[]> {
    const rows: { id: number; name: string; display_name: string; visible: number | boolean }[] = await this.db
      .knex('uaparams')
      .orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      displayName: r.display_name,
      visible: Boolean(r.visible),
    }));
  }

  async addDefinition(d: UserParamDef): Promise<void> {
    await this.db.knex('uaparams').insert({ id: d.id, name: d.name, display_name: d.displayName, visible: d.visible });
  }

  async updateDefinition(d: UserParamDef): Promise<void> {
    await this.db
      .knex('uaparams')
      .where({ id: d.id })
      .update({ name: d.name, display_name: d.displayName, visible: d.visible });
  }

  /** The definition goes with every user's value of it. */
  async removeDefinition(id: number): Promise<void> {
    await this.db.tx(async (trx) => {
      await trx('user_params').where({ param_id: id }).delete();
      await trx('uaparams').where({ id }).delete();
    });
  }

  async values(userId: number): Promise<{ id: number; value: string }[]> {
    const rows: { param_id: number; value: string }[] = await this.db
      .knex('user_params')
      .where({ user_id: userId })
      .orderBy('param_id');
    return rows.map((r) => ({ id: Number(r.param_id), value: r.value }));
  }

  /** Replaces the user's values inside the caller's transaction; of a parameter given twice the last value counts. */
  async replaceValues(
    trx: Knex.Transaction,
    userId: number,
    params: readonly { id: number; value: string }[],
  ): Promise<void> {
    await trx('user_params').where({ user_id: userId }).delete();
    const seen = new Map<number, string>();
    for (const p of params) seen.set(p.id, p.value);
    if (seen.size)
      await trx('user_params').insert([...seen].map(([param_id, value]) => ({ user_id: userId, param_id, value })));
  }
}
