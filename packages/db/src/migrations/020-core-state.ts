import type { Knex } from 'knex';
import type { Migration } from './migration';

/** Small state of the core that must survive a restart (the test clock's time), one row a key. */
export const m020CoreState: Migration = {
  name: '020-core-state',
  async up(k: Knex) {
    await k.schema.createTable('core_state', (t) => {
      t.string('key', 64).primary();
      t.string('value', 255).notNullable();
    });
  },
  async down(k: Knex) {
    await k.schema.dropTableIfExists('core_state');
  },
};
