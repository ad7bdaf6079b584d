import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * RADIUS: registered NASes with their secrets and attributes, the dial-up/hotspot part of services (IP pool,
 * simultaneous sessions, price per hour by time range), dial-up/hotspot service links' logins, capacity limits per
 * dealer/user/account/service (seed 003), and the sessions utm5_radius reports.
 */
export const m008Radius: Migration = {
  name: '008-radius',
  async up(k: Knex) {
    await k.schema.createTable('nas', (t) => {
      t.increments('id');
      t.string('name', 128).notNullable();
      t.string('ip', 64).notNullable();
      t.string('secret', 512).notNullable(); // sealed with the core's secret key
      t.integer('dae_port').notNullable().defaultTo(3799); // RFC 5176 Disconnect/CoA port
      t.string('dae_secret', 512).notNullable().defaultTo(''); // sealed; '' = the NAS secret
      t.boolean('coa_enabled').notNullable().defaultTo(false);
      t.string('comment', 255).notNullable().defaultTo('');
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'nas_ip_idx');
    });
    // Attributes added to every Access-Accept: the NAS's first, then the service's, then the link's (manual).
    await k.schema.createTable('radius_attrs', (t) => {
      t.increments('id');
      t.string('owner', 16).notNullable(); // 'nas' | 'service' | 'slink'
      t.integer('owner_id').notNullable();
      t.integer('vendor').notNullable().defaultTo(0);
      t.integer('attr').notNullable();
      t.integer('tag').notNullable().defaultTo(0);
      t.string('value', 1024).notNullable();
      t.integer('action').notNullable().defaultTo(0); // 0 add, 1 replace, 2 remove
      addIndex(t, 'radius_attrs_owner_idx');
    });
    await k.schema.createTable('dialup_services', (t) => {
      t.integer('service_id').primary();
      t.string('pool_name', 128).notNullable().defaultTo('');
      t.integer('max_sessions').notNullable().defaultTo(0); // simultaneous sessions per link; 0 = unlimited
      t.boolean('is_dynamic').notNullable().defaultTo(false); // dynamic IP address allocation to an IP traffic link
    });
    // Price per hour of connection by time range (dial-up and hotspot); the range of highest priority in force wins.
    await k.schema.createTable('service_time_prices', (t) => {
      t.integer('service_id').notNullable();
      t.integer('range_id').notNullable();
      t.bigInteger('price_per_hour').notNullable(); // micro-units
      t.primary(['service_id', 'range_id']);
    });
    await k.schema.createTable('dialup_links', (t) => {
      t.integer('slink_id').primary();
      t.string('login', 255).notNullable();
      t.string('password', 512).notNullable().defaultTo(''); // sealed
      t.string('allowed_cid', 255).notNullable().defaultTo('');
      t.string('allowed_csid', 255).notNullable().defaultTo('');
      t.boolean('callback_allowed').notNullable().defaultTo(false);
      t.boolean('ringdown_allowed').notNullable().defaultTo(true);
      t.string('callback_number', 64).notNullable().defaultTo('');
      addIndex(t, 'dialup_links_login_idx');
    });
    await k.schema.createTable('session_limits', (t) => {
      t.string('level', 16).notNullable(); // 'dealer' | 'user' | 'account' | 'service'
      t.integer('ref_id').notNullable();
      t.integer('max_sessions').notNullable();
      t.primary(['level', 'ref_id']);
    });
    await k.schema.createTable('radius_sessions', (t) => {
      t.bigIncrements('id');
      t.string('nas_ip', 64).notNullable();
      t.string('acct_session_id', 255).notNullable();
      t.string('login', 255).notNullable();
      t.integer('slink_id').notNullable().defaultTo(0);
      t.integer('account_id').notNullable().defaultTo(0);
      t.integer('service_type').notNullable().defaultTo(0);
      t.string('framed_ip', 64).notNullable().defaultTo('');
      t.string('calling_station', 255).notNullable().defaultTo('');
      t.string('called_station', 255).notNullable().defaultTo('');
      t.bigInteger('started_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('stopped_at').notNullable().defaultTo(0); // 0 = open
      t.bigInteger('duration').notNullable().defaultTo(0); // seconds (Acct-Session-Time)
      t.bigInteger('in_octets').notNullable().defaultTo(0);
      t.bigInteger('out_octets').notNullable().defaultTo(0);
      t.bigInteger('charged').notNullable().defaultTo(0); // micro-units charged for time so far
      t.string('terminate_cause', 64).notNullable().defaultTo('');
      addIndex(t, 'radius_sessions_nas_uq');
      addIndex(t, 'radius_sessions_account_idx');
    });
  },
  async down(k: Knex) {
    for (const t of [
      'radius_sessions',
      'session_limits',
      'dialup_links',
      'service_time_prices',
      'dialup_services',
      'radius_attrs',
      'nas',
    ]) {
      await k.schema.dropTableIfExists(t);
    }
  },
};
