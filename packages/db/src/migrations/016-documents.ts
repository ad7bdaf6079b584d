import type { Knex } from 'knex';
import type { Migration } from './migration';

/** Reserved for documents and shipped empty; databases that recorded it get the tables from 018-invoices. */
export const m016Documents: Migration = {
  name: '016-documents',
  async up(_k: Knex) {},
  async down(_k: Knex) {},
};
