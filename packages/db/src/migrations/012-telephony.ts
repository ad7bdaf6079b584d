import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * Telephony: zones and directions (the manual's "Telephony settings"), the telephony part of services (rounding,
 * prices per tariff class and time range, borders, prepaid time, fixed cost per call, emergency zones), the numbers
 * of telephony service links, the usage counted per link, period and class (borders and prepaid time), the rated calls
 * with their parts of constant price, and the calls open at utm5_radius (simultaneous-call limits).
 *
 * A tariff class is a zone id (> 0) or minus a direction id (< 0): a direction's own price wins over its zone's.
 * Money is in micro-units; a part's cost is kept unrounded (a double) so totals are sums of unrounded costs.
 */
export const m012Telephony: Migration = {
  name: '012-telephony',
  async up(k: Knex) {
    await k.schema.createTable('tel_zones', (t) => {
      t.increments('id');
      t.string('name', 255).notNullable();
      t.integer('zone_type').notNullable().defaultTo(0); // 0 local, 1 innerzone, 2 intercity, 3 international
      t.integer('supplier_id').notNullable().defaultTo(0);
      t.bigInteger('create_date').notNullable().defaultTo(0);
      t.bigInteger('update_date').notNullable().defaultTo(0);
      t.boolean('is_deleted').notNullable().defaultTo(false);
    });
    await k.schema.createTable('tel_directions', (t) => {
      t.increments('id');
      t.integer('zone_id').notNullable().defaultTo(0); // 0: in no zone
      t.integer('supplier_id').notNullable().defaultTo(0);
      t.string('name', 255).notNullable();
      t.string('called_prefix', 255).notNullable().defaultTo('');
      t.string('calling_prefix', 255).notNullable().defaultTo('');
      t.boolean('called_regexp').notNullable().defaultTo(false); // the prefix is a POSIX regular expression
      t.boolean('calling_regexp').notNullable().defaultTo(false);
      t.string('incoming_trunk', 128).notNullable().defaultTo(''); // '' = any
      t.string('outgoing_trunk', 128).notNullable().defaultTo('');
      t.string('pbx_id', 128).notNullable().defaultTo('');
      t.boolean('skip').notNullable().defaultTo(false); // calls of this direction are not accounted
      t.integer('dir_type').notNullable().defaultTo(0); // the zone's type when in a zone
      t.bigInteger('create_date').notNullable().defaultTo(0);
      t.bigInteger('update_date').notNullable().defaultTo(0);
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'tel_directions_zone_idx');
    });
    await k.schema.createTable('tel_services', (t) => {
      t.integer('service_id').primary();
      t.integer('free_time').notNullable().defaultTo(0); // s: a call no longer than this costs nothing
      t.integer('first_period_length').notNullable().defaultTo(0); // s
      t.integer('first_period_step').notNullable().defaultTo(1); // s: rounding step within the first period
      t.integer('second_period_step').notNullable().defaultTo(1); // s: rounding step after it
      t.integer('time_unit_size').notNullable().defaultTo(60); // s: the price is per this many seconds
      t.boolean('discount_free_time').notNullable().defaultTo(false); // prepaid time counts towards the borders
      t.bigInteger('minimum_charge').notNullable().defaultTo(0); // micro-units per period
      t.integer('max_sessions').notNullable().defaultTo(0); // simultaneous calls per link; 0 = unlimited
    });
    await k.schema.createTable('tel_service_classes', (t) => {
      t.integer('service_id').notNullable();
      t.integer('tariff_class').notNullable();
      t.integer('prepaid').notNullable().defaultTo(0); // s per accounting period
      t.bigInteger('fixed_cost').notNullable().defaultTo(0); // micro-units per call
      t.primary(['service_id', 'tariff_class']);
    });
    await k.schema.createTable('tel_service_prices', (t) => {
      t.integer('service_id').notNullable();
      t.integer('tariff_class').notNullable();
      t.integer('range_id').notNullable();
      t.bigInteger('price').notNullable(); // micro-units per time_unit_size seconds
      t.primary(['service_id', 'tariff_class', 'range_id']);
    });
    // From `border` seconds of calls of the class in the period on, the price is multiplied by cost_mult.
    await k.schema.createTable('tel_service_borders', (t) => {
      t.integer('service_id').notNullable();
      t.integer('tariff_class').notNullable();
      t.integer('border').notNullable();
      t.double('cost_mult').notNullable();
      t.primary(['service_id', 'tariff_class', 'border']);
    });
    // Zones callable while the account is blocked (rpcf_set_tel_emergency_calls).
    await k.schema.createTable('tel_emergency', (t) => {
      t.integer('service_id').notNullable();
      t.integer('zone_id').notNullable();
      t.primary(['service_id', 'zone_id']);
    });
    // The numbers of a telephony service link; a number ending in '#' is a tech prefix of called numbers.
    await k.schema.createTable('tel_numbers', (t) => {
      t.increments('id');
      t.integer('slink_id').notNullable();
      t.string('login', 255).notNullable().defaultTo('');
      t.string('number', 64).notNullable().defaultTo('');
      t.string('incoming_trunk', 128).notNullable().defaultTo('');
      t.string('outgoing_trunk', 128).notNullable().defaultTo('');
      t.string('pbx_id', 128).notNullable().defaultTo('');
      t.string('password', 512).notNullable().defaultTo(''); // sealed
      t.string('allowed_cid', 255).notNullable().defaultTo('');
      addIndex(t, 'tel_numbers_slink_idx');
      addIndex(t, 'tel_numbers_number_idx');
      addIndex(t, 'tel_numbers_login_idx');
    });
    // Seconds of calls per link, accounting period and tariff class: what the borders and prepaid time count.
    await k.schema.createTable('tel_usage', (t) => {
      t.integer('slink_id').notNullable();
      t.integer('period_id').notNullable();
      t.integer('tariff_class').notNullable();
      t.bigInteger('used').notNullable().defaultTo(0); // rounded seconds counted towards the borders
      t.bigInteger('prepaid_used').notNullable().defaultTo(0);
      t.primary(['slink_id', 'period_id', 'tariff_class']);
    });
    await k.schema.createTable('tel_calls', (t) => {
      t.bigIncrements('id');
      t.string('call_uid', 191).notNullable(); // the source's call id, or 'sha1:' and a hash of the call
      t.string('source', 16).notNullable(); // 'cdr' | 'radius' | 'urfa'
      t.integer('slink_id').notNullable();
      t.integer('account_id').notNullable();
      t.integer('service_id').notNullable();
      t.integer('period_id').notNullable().defaultTo(0);
      t.string('login', 255).notNullable().defaultTo('');
      t.string('calling', 64).notNullable().defaultTo('');
      t.string('called', 64).notNullable().defaultTo('');
      t.string('incoming_trunk', 128).notNullable().defaultTo('');
      t.string('outgoing_trunk', 128).notNullable().defaultTo('');
      t.string('pbx_id', 128).notNullable().defaultTo('');
      t.string('session_id', 191).notNullable().defaultTo('');
      t.string('disconnect_cause', 64).notNullable().defaultTo('');
      t.bigInteger('start_time').notNullable();
      t.integer('duration').notNullable(); // s, as reported
      t.integer('rounded').notNullable(); // s, as charged
      t.integer('zone_id').notNullable().defaultTo(0);
      t.integer('dir_id').notNullable().defaultTo(0);
      t.integer('tariff_class').notNullable().defaultTo(0);
      t.double('cost').notNullable().defaultTo(0); // micro-units, unrounded: parts plus the fixed cost
      t.bigInteger('fixed_cost').notNullable().defaultTo(0);
      t.bigInteger('charged').notNullable().defaultTo(0); // micro-units written to the ledger for this call
      t.integer('flags').notNullable().defaultTo(0); // see telephony/model.ts CALL_FLAG
      t.bigInteger('recv_date').notNullable();
      addIndex(t, 'tel_calls_uid_uq');
      addIndex(t, 'tel_calls_account_idx');
      addIndex(t, 'tel_calls_start_idx');
    });
    // A call's parts of constant price (time range, border, prepaid), in order.
    await k.schema.createTable('tel_call_parts', (t) => {
      t.bigInteger('call_id').notNullable();
      t.integer('n').notNullable();
      t.bigInteger('start_time').notNullable();
      t.integer('duration').notNullable();
      t.bigInteger('base_cost').notNullable(); // micro-units per time unit
      t.double('cost_mult').notNullable().defaultTo(1);
      t.double('cost').notNullable(); // micro-units, unrounded
      t.boolean('prepaid').notNullable().defaultTo(false);
      t.primary(['call_id', 'n']);
    });
    // Calls utm5_radius reported started and not yet stopped: the simultaneous-call limits count them.
    await k.schema.createTable('tel_sessions', (t) => {
      t.bigIncrements('id');
      t.string('call_uid', 191).notNullable();
      t.string('nas_ip', 64).notNullable().defaultTo('');
      t.integer('slink_id').notNullable();
      t.integer('account_id').notNullable();
      t.string('login', 255).notNullable().defaultTo('');
      t.string('calling', 64).notNullable().defaultTo('');
      t.string('called', 64).notNullable().defaultTo('');
      t.bigInteger('started_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('stopped_at').notNullable().defaultTo(0); // 0 = open
      addIndex(t, 'tel_sessions_uid_uq');
      addIndex(t, 'tel_sessions_slink_idx');
    });
  },
  async down(k: Knex) {
    for (const t of [
      'tel_sessions',
      'tel_call_parts',
      'tel_calls',
      'tel_usage',
      'tel_numbers',
      'tel_emergency',
      'tel_service_borders',
      'tel_service_prices',
      'tel_service_classes',
      'tel_services',
      'tel_directions',
      'tel_zones',
    ]) {
      await k.schema.dropTableIfExists(t);
    }
  },
};
