import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * Documents (the manual's "Documents"): templates by document type, invoices with their entries, the ledger rows
 * each entry bills (so a charge is invoiced once whatever reruns), the gapless document counters, and the rendered
 * files kept under doc_storage_dir. 016 was reserved for this and shipped empty, so existing databases get it here.
 */
export const m018Invoices: Migration = {
  name: '018-invoices',
  async up(k: Knex) {
    await k.schema.createTable('document_templates', (t) => {
      t.increments('id');
      t.integer('doc_type').notNullable(); // DOC_TYPES in @utm5/core documents
      t.string('name', 255).notNullable();
      t.string('path', 1024).notNullable(); // the .odt file
      t.bigInteger('created').notNullable();
      t.bigInteger('modified').notNullable();
    });
    await k.schema.createTable('invoices', (t) => {
      t.increments('id');
      t.integer('number').notNullable(); // document_counters 'invoice': no gap, no repeat
      t.string('ext_num', 255).notNullable().defaultTo('');
      t.integer('account_id').notNullable();
      t.integer('user_id').notNullable();
      t.integer('ap_id').notNullable().defaultTo(0); // accounting period; 0 for a manual invoice
      t.bigInteger('invoice_date').notNullable();
      t.bigInteger('period_start').notNullable().defaultTo(0);
      t.bigInteger('period_end').notNullable().defaultTo(0);
      t.bigInteger('balance_on_set').notNullable().defaultTo(0);
      t.bigInteger('total_sum').notNullable().defaultTo(0); // without tax, micro
      t.bigInteger('total_tax').notNullable().defaultTo(0);
      t.boolean('is_prepaid').notNullable().defaultTo(false);
      t.boolean('is_manual').notNullable().defaultTo(false);
      t.boolean('is_printed').notNullable().defaultTo(false);
      t.bigInteger('payment_transaction_id').notNullable().defaultTo(0);
      t.bigInteger('expire_date').notNullable().defaultTo(0);
      addIndex(t, 'invoices_number_uq');
      addIndex(t, 'invoices_account_idx');
      addIndex(t, 'invoices_date_idx');
    });
    await k.schema.createTable('invoice_entry', (t) => {
      t.bigIncrements('id');
      t.integer('invoice_id').notNullable();
      t.integer('slink_id').notNullable().defaultTo(0);
      t.integer('service_id').notNullable().defaultTo(0);
      t.integer('service_type').notNullable().defaultTo(0);
      t.integer('tariff_link_id').notNullable().defaultTo(0);
      t.integer('accounting_period_id').notNullable().defaultTo(0);
      t.bigInteger('date').notNullable();
      t.string('name', 255).notNullable();
      t.double('qnt').notNullable().defaultTo(1);
      t.bigInteger('base_cost').notNullable(); // price of one unit without tax, micro
      t.bigInteger('sum_cost').notNullable(); // without tax
      t.bigInteger('tax_amount').notNullable().defaultTo(0);
      addIndex(t, 'invoice_entry_invoice_idx');
    });
    // The ledger rows an entry bills (the manual's invoice_entry_details): the primary key is what makes a charge
    // invoiced once, however often a period close is retried.
    await k.schema.createTable('invoice_entry_details', (t) => {
      t.bigInteger('ledger_id').primary();
      t.bigInteger('entry_id').notNullable();
      t.integer('invoice_id').notNullable();
      t.bigInteger('date').notNullable();
    });
    await k.schema.createTable('document_counters', (t) => {
      t.string('name', 32).primary();
      t.bigInteger('value').notNullable().defaultTo(0);
    });
    await k('document_counters').insert({ name: 'invoice', value: 0 });
    await k.schema.createTable('documents', (t) => {
      t.increments('id');
      t.integer('doc_type').notNullable();
      t.bigInteger('base_id').notNullable(); // the invoice, payment or user the document is of
      t.integer('user_id').notNullable().defaultTo(0);
      t.string('file_type', 8).notNullable(); // odt | pdf
      t.string('path', 1024).notNullable();
      t.integer('template_id').notNullable().defaultTo(0);
      t.bigInteger('created').notNullable();
      addIndex(t, 'documents_base_uq');
      addIndex(t, 'documents_created_idx');
    });
  },
  async down(k: Knex) {
    for (const t of [
      'documents',
      'document_counters',
      'invoice_entry_details',
      'invoice_entry',
      'invoices',
      'document_templates',
    ])
      await k.schema.dropTableIfExists(t);
  },
};
