import type { Knex } from 'knex';
import type { Migration } from './migration';

/**
 * Traffic billed from RADIUS accounting (radius_do_accounting / radius_do_interim_accounting): how much of each
 * session's cumulative octet counters has been billed, so that each Interim-Update or Stop bills only the growth
 * since the last billed request. Kept apart from in_octets/out_octets, which follow every request whether billed or
 * not (with Stop-only billing the Stop must bill the whole session, not the growth since the last Interim-Update).
 */
export const m010RadiusTraffic: Migration = {
  name: '010-radius-traffic',
  async up(k: Knex) {
    await k.schema.alterTable('radius_sessions', (t) => {
      t.bigInteger('billed_in_octets').notNullable().defaultTo(0);
      t.bigInteger('billed_out_octets').notNullable().defaultTo(0);
    });
  },
  async down(k: Knex) {
    await k.schema.alterTable('radius_sessions', (t) => {
      t.dropColumn('billed_in_octets');
      t.dropColumn('billed_out_octets');
    });
  },
};
