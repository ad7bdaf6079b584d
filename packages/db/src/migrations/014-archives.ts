import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * The archive registry (the manual's Settings => Systems => Archive DB): one row per archived table and period, with
 * the archive table's name, its row count and checksum at the move, and its status (OK, Verify, Unable to verify,
 * Need repair). Reports read the archives registered OK beside the live table.
 */
export const m014Archives: Migration = {
  name: '014-archives',
  async up(k: Knex) {
    await k.schema.createTable('archives', (t) => {
      t.increments('id');
      t.integer('archive_type').notNullable(); // the manual's table type: 1 discount_transactions_all ...
      t.string('source_table', 64).notNullable();
      t.string('archive_table', 64).notNullable();
      t.bigInteger('period_start').notNullable(); // [start, end) of the date field
      t.bigInteger('period_end').notNullable();
      t.bigInteger('rows').notNullable().defaultTo(0);
      t.string('checksum', 64).notNullable().defaultTo('');
      t.string('status', 16).notNullable().defaultTo('OK');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('verified_at').notNullable().defaultTo(0);
      addIndex(t, 'archives_table_uq');
      addIndex(t, 'archives_source_idx');
    });
  },
  async down(k: Knex) {
    await k.schema.dropTableIfExists('archives');
  },
};
