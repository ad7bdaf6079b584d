import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * The mail outbox (the manual's "E-mail notifications"): one row per notification, written in the transaction of the
 * event it tells of and keyed by that event, so an event queues one mail however often it is raised or the core
 * restarts; the row keeps its attempts, next try, last error and sent time until it is delivered (or refused for good).
 */
export const m017Mail: Migration = {
  name: '017-mail',
  async up(k: Knex) {
    await k.schema.createTable('mail_outbox', (t) => {
      t.bigIncrements('id');
      t.string('event_key', 128).notNullable(); // e.g. payment:17, invoice:5, balance:<account>:<border>:<ts>:<balance>
      t.string('kind', 16).notNullable(); // payment | balance | invoice
      t.integer('account_id').notNullable().defaultTo(0);
      t.integer('user_id').notNullable().defaultTo(0);
      t.integer('invoice_id').notNullable().defaultTo(0); // its PDF is attached when the mail is sent
      t.string('sender', 255).notNullable();
      t.string('recipient', 255).notNullable();
      t.string('copy_to', 255).notNullable().defaultTo(''); // notification_copy_email (Bcc)
      t.string('subject', 255).notNullable();
      t.text('body').notNullable();
      t.string('status', 16).notNullable().defaultTo('queued'); // queued | sent | failed (refused for good)
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('next_try_at').notNullable();
      t.bigInteger('sent_at'); // null until the SMTP relay accepted it
      t.string('last_error', 255).notNullable().defaultTo('');
      addIndex(t, 'mail_outbox_event_uq');
      addIndex(t, 'mail_outbox_due_idx');
    });
  },
  async down(k: Knex) {
    await k.schema.dropTableIfExists('mail_outbox');
  },
};
