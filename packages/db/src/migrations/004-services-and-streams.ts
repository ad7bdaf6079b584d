import type { Knex } from 'knex';
import type { Migration } from './migration';

/**
 * system_services: the scheduler's per-service settings and last run (JeraSoft's System Services, DESIGN.md).
 * stream_senders: the last committed sequence number of every daemon that sends records over Stream, updated in the
 * same transaction as the records, so a resend after a dropped link is recognised and not applied twice.
 */
export const m004ServicesAndStreams: Migration = {
  name: '004-services-and-streams',
  async up(k: Knex) {
    await k.schema.createTable('system_services', (t) => {
      t.string('name', 64).primary();
      t.boolean('enabled').notNullable();
      t.string('schedule', 255).notNullable(); // "periodic 5 align 2", "fixed 00:00 12:00", "daemon"
      t.string('run_groups', 255).notNullable().defaultTo('');
      t.bigInteger('last_run').nullable();
      t.integer('last_duration_ms').nullable();
      t.string('last_result', 1024).notNullable().defaultTo('');
    });
    await k.schema.createTable('stream_senders', (t) => {
      t.string('sender', 128).primary();
      t.bigInteger('last_seq').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
  },
  async down(k: Knex) {
    await k.schema.dropTableIfExists('stream_senders');
    await k.schema.dropTableIfExists('system_services');
  },
};
