import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * IP pools utm5_radius hands dial-up, guest and blocked users their addresses from (several pools may share a name:
 * named_pool_shuffle says in which order they are used), and what a RADIUS session's address was given for, so a
 * session in the guest or blocked pool is not charged for its time, and what the sessions report shows. Dial-up services get the manual's maximum session
 * time and login prefix, hotspot services their allowed networks.
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
      // What the sessions report (rpcf_get_dhs_report) shows besides: the NAS's port and identifier, packets, last status.
      t.integer('nas_port').notNullable().defaultTo(0);
      t.integer('nas_port_type').notNullable().defaultTo(0);
      t.string('nas_identifier', 255).notNullable().defaultTo('');
      t.bigInteger('in_packets').notNullable().defaultTo(0);
      t.bigInteger('out_packets').notNullable().defaultTo(0);
      t.integer('acct_status').notNullable().defaultTo(0); // Acct-Status-Type of the last request: 1 Start, 3 Interim, 2 Stop
    });
    // Hotspot services: the networks a user may log in from (the manual's "Allowed networks").
    await k.schema.createTable('hotspot_networks', (t) => {
      t.integer('service_id').notNullable();
      t.string('ip', 64).notNullable();
      t.integer('mask').notNullable();
      t.primary(['service_id', 'ip', 'mask']);
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
    await k.schema.alterTable('radius_sessions', (t) => {
      for (const c of [
        'pool_kind',
        'nas_port',
        'nas_port_type',
        'nas_identifier',
        'in_packets',
        'out_packets',
        'acct_status',
      ])
        t.dropColumn(c);
    });
    await k.schema.dropTableIfExists('hotspot_networks');
    await k.schema.dropTableIfExists('ip_pools');
  },
};
