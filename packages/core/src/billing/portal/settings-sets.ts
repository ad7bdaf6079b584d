import type { Database } from '@utm5/db';
import { BillingError } from '../billing-error';

export type SettingsTable = 'promised_payment_settings' | 'funds_flow_settings' | 'voluntary_suspension_settings';

export type SettingsRow = Record<string, number | boolean>;

/**
 * Customer-portal settings sets (promised payment, transfer funds, voluntary suspension): each set belongs to a user
 * group and has a priority. The set that applies to a user is the highest-priority one among their groups' sets; if
 * that one is disabled, the facility is off for the user, whatever other sets say.
 */
export class SettingsSets {
  constructor(
    private readonly db: Database,
    private readonly table: SettingsTable,
  ) {}

  async list(): Promise<SettingsRow[]> {
    return (await this.db.knex(this.table).orderBy('id').select('*')) as SettingsRow[];
  }

  async add(row: SettingsRow): Promise<number> {
    await this.checkGroup(Number(row['group_id']));
    const [id] = await this.db.knex(this.table).insert(row);
    return Number(id);
  }

  async edit(id: number, row: SettingsRow): Promise<void> {
    await this.checkGroup(Number(row['group_id']));
    const n = await this.db.knex(this.table).where({ id }).update(row);
    if (n === 0) throw new BillingError('UTM_BAD_INPUT', `no settings set ${id}`);
  }

  async remove(id: number): Promise<void> {
    const n = await this.db.knex(this.table).where({ id }).delete();
    if (n === 0) throw new BillingError('UTM_BAD_INPUT', `no settings set ${id}`);
  }

  private async checkGroup(groupId: number): Promise<void> {
    if (!(await this.db.knex('user_groups').where({ id: groupId }).first('id'))) {
      throw new BillingError('UTM_BAD_INPUT', `no user group ${groupId} for the settings set`);
    }
  }

  /** The set in force for a user, or undefined (no set for their groups, or the top one disabled). */
  async forUser(userId: number): Promise<SettingsRow | undefined> {
    const row = await this.db
      .knex(`${this.table} as s`)
      .join('user_group_members as m', 'm.group_id', 's.group_id')
      .where('m.user_id', userId)
      .orderBy('s.priority', 'desc')
      .orderBy('s.id', 'asc')
      .first('s.*');
    if (!row || !row['is_enabled']) return undefined;
    return row as SettingsRow;
  }
}
