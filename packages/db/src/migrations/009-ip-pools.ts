import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * IP pools utm5_radius hands dial-up, guest and blocked users their addresses from (several pools may share a name:
 * named_pool_shuffle says in which order they are used), and what a RADIUS session's address was given for, so a
 * session in the guest or blocked pool is not charged for its time. Dial-up services get the manual's maximum session
 * time and login prefix.
 */
export const m009IpPools: Migration = {
  name: '009-ip-pools',
  async up(k: Knex) {
    await k.schema.createTable('ip_pools', (t) => {
      t.increments('id');
      t.string('name', 128).notNullable();
      t.string('address', 64).notNullable(); // network address; with mask, the pool's range
      t.integer('mask').notNullable();
      addIndex(t, 'ip_pools_name_idx');
    });
    await k.schema.alterTable('radius_sessions', (t) => {
      t.string('pool_kind', 16).notNullable().defaultTo(''); // '' | 'guest' | 'blocked'
    });
    await k.schema.alterTable('dialup_services', (t) => {
      t.integer('max_timeout').notNullable().defaultTo(0); // seconds a session may last; 0 = no cap
      t.string('login_prefix', 64).notNullable().defaultTo(''); // put before the login of a new link
    });
  },
  async down(k: Knex) {
    await k.schema.alterTable('dialup_services', (t) => {
      t.dropColumn('max_timeout');
      t.dropColumn('login_prefix');
    });
    await k.schema.alterTable('radius_sessions', (t) => t.dropColumn('pool_kind'));
    await k.schema.dropTableIfExists('ip_pools');
  },
};
