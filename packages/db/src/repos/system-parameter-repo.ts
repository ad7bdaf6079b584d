import type { Database } from '../connection';
import { DbError } from '../db-error';

/** System parameters as name -> text value (the manual's "Systems / Main" settings). */
export class SystemParameterRepo {
  constructor(private readonly db: Database) {}

  async all(): Promise<Map<string, string>> {
    const rows: { name: string; value: string }[] = await this.db.knex('system_parameters').select('name', 'value');
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  async set(name: string, value: string): Promise<void> {
    const n = await this.db.knex('system_parameters').where({ name }).update({ value });
    if (n === 0) throw new DbError('UTM_DB_NOT_FOUND', `system parameter ${name} does not exist`);
  }
}
