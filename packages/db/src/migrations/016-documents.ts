import type { Knex } from 'knex';
import type { Migration } from './migration';

/** Not released yet: document templates, invoices, invoice_entry, invoice_entry_details, documents, contracts, invoice numbering. */
export const m016Documents: Migration = {
  name: '016-documents',
  async up(_k: Knex) {},
  async down(_k: Knex) {},
};
