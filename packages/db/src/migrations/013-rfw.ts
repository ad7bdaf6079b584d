import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * utm5_rfw: the firewall rules (applicability, initiating events, place, command template) and the queue of commands
 * rendered from them per firewall, kept until the firewall's utm5_rfw has run them (or they expire).
 *
 * A firewall is UTM5's "router": the same object as a NetFlow provider (netflow_providers: its name is the rfw_name,
 * its ip the NetFlow source), so it gains the firewall's type, and the rsh login and password of the Cisco type.
 */
export const m013Rfw: Migration = {
  name: '013-rfw',
  async up(k: Knex) {
    await k.schema.alterTable('netflow_providers', (t) => {
      t.integer('fw_type').notNullable().defaultTo(0); // 0 local, 1 cisco (rsh)
      t.string('login', 128).notNullable().defaultTo('');
      t.text('password').notNullable().defaultTo(''); // sealed with the core's secret key
    });
    await k.schema.createTable('fw_rules', (t) => {
      t.increments('id');
      t.integer('flags').notNullable().defaultTo(0); // 1 all users, 2 AND of user/group/tariff (else OR)
      t.bigInteger('events').notNullable().defaultTo(0); // mask of FW_EVENTS bits
      t.integer('router_id').notNullable().defaultTo(0); // 0: every firewall
      t.integer('tariff_id').notNullable().defaultTo(0);
      t.integer('group_id').notNullable().defaultTo(0);
      t.integer('user_id').notNullable().defaultTo(0);
      t.text('rule').notNullable(); // the command template
      t.string('comment', 255).notNullable().defaultTo('');
      t.bigInteger('create_date').notNullable().defaultTo(0);
      t.boolean('is_deleted').notNullable().defaultTo(false);
    });
    await k.schema.createTable('rfw_queue', (t) => {
      t.bigIncrements('id'); // the seq utm5_rfw sees: the order commands run in
      t.integer('router_id').notNullable();
      t.integer('rule_id').notNullable();
      t.string('event', 64).notNullable();
      t.string('order_key', 255).notNullable().defaultTo('');
      t.text('argv').notNullable(); // JSON array of strings
      t.bigInteger('created_at').notNullable();
      t.bigInteger('delivered_at'); // null: not yet run by the rfw
      t.string('status', 16); // ok | failed | duplicate | expired
      t.integer('exit_code');
      t.integer('attempts').notNullable().defaultTo(0);
      t.text('stderr');
      addIndex(t, 'rfw_queue_pending_idx');
      addIndex(t, 'rfw_queue_created_idx');
    });
  },
  async down(k: Knex) {
    await k.schema.dropTableIfExists('rfw_queue');
    await k.schema.dropTableIfExists('fw_rules');
    await k.schema.alterTable('netflow_providers', (t) => {
      t.dropColumn('fw_type');
      t.dropColumn('login');
      t.dropColumn('password');
    });
  },
};
