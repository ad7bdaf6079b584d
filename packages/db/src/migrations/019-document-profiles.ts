import type { Knex } from 'knex';
import type { Migration } from './migration';

/**
 * Document profiles (a template per document type, chosen per user: users.doc_profile_id), the replacement list the
 * translate and replace modifiers read, and documents uploaded over a rendered one (a signed contract, say).
 */
export const m019DocumentProfiles: Migration = {
  name: '019-document-profiles',
  async up(k: Knex) {
    await k.schema.createTable('document_profiles', (t) => {
      t.increments('id');
      t.string('name', 255).notNullable();
      t.bigInteger('created').notNullable();
      t.bigInteger('modified').notNullable();
    });
    await k.schema.createTable('document_profile_templates', (t) => {
      t.integer('profile_id').notNullable();
      t.integer('doc_type').notNullable();
      t.integer('template_id').notNullable();
      t.primary(['profile_id', 'doc_type']);
    });
    await k.schema.createTable('document_replacements', (t) => {
      t.string('key', 191).primary();
      t.string('value', 1024).notNullable();
    });
    await k.schema.alterTable('documents', (t) => {
      t.boolean('uploaded').notNullable().defaultTo(false);
    });
  },
  async down(k: Knex) {
    await k.schema.alterTable('documents', (t) => t.dropColumn('uploaded'));
    for (const t of ['document_replacements', 'document_profile_templates', 'document_profiles'])
      await k.schema.dropTableIfExists(t);
  },
};
