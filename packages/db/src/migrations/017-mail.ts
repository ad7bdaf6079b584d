import type { Knex } from 'knex';
import type { Migration } from './migration';

/** Not released yet: the mail outbox. */
export const m017Mail: Migration = {
  name: '017-mail',
  async up(_k: Knex) {},
  async down(_k: Knex) {},
};
