import type { Knex } from 'knex';
import type { Migration } from './migration';

/** Not released yet: switch types, switches, DHCP pools and their ranges and options, dhcp_leases_log. */
export const m015Dhcp: Migration = {
  name: '015-dhcp',
  async up(_k: Knex) {},
  async down(_k: Knex) {},
};
