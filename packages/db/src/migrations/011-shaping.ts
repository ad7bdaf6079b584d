import type { Knex } from 'knex';
import type { Migration } from './migration';

/**
 * Dynashape: shaping settings per IP traffic service (kinds of IP groups, counted traffic classes and bandwidth limits
 * per direction, RADIUS attributes, turbo mode settings kept for UTM5 clients), the bandwidth in force per link and
 * direction as last decided, and the Set/Edit/Delete bandwidth limit events for the firewall agent.
 *
 * No secondary indexes: the settings are read whole, slink_shaping by its key, shaping_events by id (rfw reads what
 * follows the last id it saw).
 */
export const m011Shaping: Migration = {
  name: '011-shaping',
  async up(k: Knex) {
    await k.schema.createTable('shaping', (t) => {
      t.integer('service_id').primary();
      t.integer('flags').notNullable().defaultTo(0); // 1 VPN IP groups, 2 non-VPN IP groups
    });
    await k.schema.createTable('shaping_tclasses', (t) => {
      t.integer('service_id').notNullable();
      t.string('direction', 3).notNullable(); // 'in' | 'out'
      t.integer('tclass_id').notNullable();
      t.primary(['service_id', 'direction', 'tclass_id']);
    });
    await k.schema.createTable('shaping_limits', (t) => {
      t.increments('id');
      t.integer('service_id').notNullable();
      t.string('direction', 3).notNullable();
      t.integer('acc_state').notNullable().defaultTo(0); // 0 any, 1 not blocked, 2 blocked
      t.bigInteger('border').notNullable().defaultTo(0); // bytes of the counted classes in the period
      t.integer('time_range_id').notNullable().defaultTo(0); // 0 = at any time
      t.integer('bandwidth').notNullable(); // Kbit/s
    });
    await k.schema.createTable('shaping_radius_attrs', (t) => {
      t.increments('id');
      t.integer('service_id').notNullable();
      t.integer('vendor').notNullable().defaultTo(0);
      t.integer('attr').notNullable();
      t.integer('value_type').notNullable().defaultTo(1); // 0 integer, 1 string, 2 IPv4 address (as rpcf_set_radius_attr's param1)
      t.string('value', 1024).notNullable();
    });
    // Kept so UTM5 clients read back what they wrote; UTM5-TS does not run turbo mode.
    await k.schema.createTable('shaping_turbo', (t) => {
      t.increments('id');
      t.integer('service_id').notNullable();
      t.integer('turbo_service_id').notNullable().defaultTo(0);
      t.integer('in_rate').notNullable().defaultTo(0);
      t.integer('out_rate').notNullable().defaultTo(0);
      t.bigInteger('in_limit').notNullable().defaultTo(0);
      t.bigInteger('out_limit').notNullable().defaultTo(0);
      t.integer('name').notNullable().defaultTo(0);
      t.integer('duration').notNullable().defaultTo(0);
      t.integer('acct_period_flag').notNullable().defaultTo(0);
    });
    // The bandwidth in force, so a restart neither repeats nor loses a Set/Edit/Delete.
    await k.schema.createTable('slink_shaping', (t) => {
      t.integer('slink_id').notNullable();
      t.string('direction', 3).notNullable();
      t.integer('bandwidth').notNullable(); // Kbit/s
      t.integer('service_id').notNullable();
      t.bigInteger('since').notNullable();
      t.primary(['slink_id', 'direction']);
    });
    // One row per IP group and event, in the manual's terms (utm5_rfw's firewall rules run per IP group).
    await k.schema.createTable('shaping_events', (t) => {
      t.bigIncrements('id');
      t.bigInteger('ts').notNullable();
      t.string('event', 8).notNullable(); // 'set' | 'edit' | 'delete'
      t.string('direction', 3).notNullable();
      t.integer('bandwidth').notNullable(); // Kbit/s: the new one; for delete, the one that was in force
      t.integer('slink_id').notNullable();
      t.integer('account_id').notNullable();
      t.integer('service_id').notNullable();
      t.integer('ip_group_id').notNullable();
      t.string('ip', 64).notNullable();
      t.integer('mask').notNullable();
      t.string('mac', 64).notNullable().defaultTo('');
      t.string('login', 255).notNullable().defaultTo('');
    });
  },
  async down(k: Knex) {
    for (const t of [
      'shaping_events',
      'slink_shaping',
      'shaping_turbo',
      'shaping_radius_attrs',
      'shaping_limits',
      'shaping_tclasses',
      'shaping',
    ]) {
      await k.schema.dropTableIfExists(t);
    }
  },
};
