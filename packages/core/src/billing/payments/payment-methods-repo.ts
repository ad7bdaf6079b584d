import { FIRST_USER_PAYMENT_METHOD_ID, type Database, type Knex } from '@utm5/db';

/** payment_methods: the predefined ones (ids below 100) and the operator's own. */
export class PaymentMethodsRepo {
  constructor(private readonly db: Database) {}

  async list(): Promise<{ id: number; name: string }[]> {
    const rows: { id: number; name: string }[] = await this.db.knex('payment_methods').orderBy('id');
    return rows.map((r) => ({ id: Number(r.id), name: r.name }));
  }

  async exists(id: number, k: Knex | Knex.Transaction = this.db.knex): Promise<boolean> {
    return (await k('payment_methods').where({ id }).first('id')) !== undefined;
  }

  /** A user method gets the next id from 100 on; returns it. */
  async add(name: string): Promise<number> {
    return this.db.tx(async (trx) => {
      const [{ m }] = await trx('payment_methods').max({ m: 'id' });
      const id = Math.max(FIRST_USER_PAYMENT_METHOD_ID, Number(m ?? 0) + 1);
      await trx('payment_methods').insert({ id, name, predefined: false });
      return id;
    });
  }

  async rename(id: number, name: string): Promise<void> {
    await this.db.knex('payment_methods').where({ id }).update({ name });
  }
}
