import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/** user_log: the audit journal of who changed what (manual: archived table user_log). */
export const m003UserLog: Migration = {
  name: '003-user-log',
  async up(k: Knex) {
    await k.schema.createTable('user_log', (t) => {
      t.bigIncrements('id');
      t.bigInteger('ts').notNullable();
      t.integer('actor_id').notNullable();
      t.string('actor_login', 64).notNullable().defaultTo('');
      t.string('actor_ip', 45).notNullable().defaultTo('');
      t.string('action', 64).notNullable();
      t.integer('user_id').nullable();
      t.integer('account_id').nullable();
      t.text('details').notNullable();
      addIndex(t, 'user_log_ts_idx');
      addIndex(t, 'user_log_user_idx');
    });
  },
  async down(k: Knex) {
    await k.schema.dropTableIfExists('user_log');
  },
};
