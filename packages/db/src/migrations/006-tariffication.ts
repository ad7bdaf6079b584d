import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * Tariffication: accounting periods (UTM5's discount periods), time ranges, coefficient schemes, charge policies,
 * services and templates, tariff plans, tariff and service links with their per-period charging state. The ledger
 * gains the references every charge carries (service link, service, type, period, tax).
 */
export const m006Tariffication: Migration = {
  name: '006-tariffication',
  async up(k: Knex) {
    await k.schema.createTable('discount_periods', (t) => {
      t.increments('id');
      t.integer('static_id').notNullable(); // the chain of periods that renew one another
      t.bigInteger('start_date').notNullable();
      t.bigInteger('end_date').notNullable();
      t.integer('periodic_type').notNullable(); // 1 daily, 2 weekly, 3 monthly, 4 quarterly, 5 annual, 6 custom
      t.integer('custom_duration').notNullable().defaultTo(0);
      t.integer('charges_per_week').notNullable().defaultTo(0); // 0: the flow_charges_count system parameter applies
      t.integer('invoice_month').notNullable().defaultTo(0);
      t.bigInteger('anchor').notNullable(); // the chain's first start: monthly ends keep its day of month
      t.integer('ordinal').notNullable().defaultTo(0); // periods since the anchor
      t.integer('next_id').notNullable().defaultTo(0);
      t.boolean('is_closed').notNullable().defaultTo(false);
      addIndex(t, 'discount_periods_open_idx');
    });
    await k.schema.createTable('time_ranges', (t) => {
      t.increments('id');
      t.string('name', 128).notNullable();
      t.integer('priority').notNullable().defaultTo(0);
    });
    await k.schema.createTable('time_range_entries', (t) => {
      t.increments('id');
      t.integer('range_id').notNullable();
      for (const c of [
        'sec_start',
        'sec_stop',
        'min_start',
        'min_stop',
        'hour_start',
        'hour_stop',
        'wday_start',
        'wday_stop',
      ])
        t.integer(c).notNullable();
    });
    await k.schema.createTable('time_range_days', (t) => {
      t.increments('id');
      t.integer('range_id').notNullable();
      t.integer('mday').notNullable();
      t.integer('month').notNullable();
    });
    await k.schema.createTable('coeff_schemes', (t) => {
      t.increments('id');
      t.string('name', 128).notNullable();
      t.string('comment', 255).notNullable().defaultTo('');
      t.bigInteger('create_date').notNullable();
      t.bigInteger('change_date').notNullable();
    });
    await k.schema.createTable('coeff_scheme_items', (t) => {
      t.increments('id');
      t.integer('scheme_id').notNullable();
      t.integer('delay').notNullable(); // the ordinal period the coefficient starts at
      t.integer('duration').notNullable(); // for how many periods
      t.bigInteger('coeff_e6').notNullable();
    });
    await k.schema.createTable('charge_policies', (t) => {
      t.increments('id');
      t.string('name', 128).notNullable();
      t.integer('flags').notNullable();
      t.string('timemarks', 1024).notNullable().defaultTo(''); // seconds from the period start, comma-separated
    });
    await k.schema.createTable('services', (t) => {
      t.increments('id');
      t.string('name', 255).notNullable();
      t.string('comment', 255).notNullable().defaultTo('');
      t.integer('service_type').notNullable(); // 1 one-time, 2 periodic, 3 IP traffic, 4 hotspot, 5 dial-up, 6 telephony, 7 IPTV, 8 VoD
      t.integer('status').notNullable(); // 0 common, 1 template, 2 tariff plan service
      t.integer('parent_id').notNullable().defaultTo(0);
      t.integer('tariff_id').notNullable().defaultTo(0);
      t.boolean('link_by_default').notNullable().defaultTo(false);
      t.boolean('multiple_linking').notNullable().defaultTo(false);
      t.bigInteger('cost').notNullable().defaultTo(0);
      t.integer('discount_method').notNullable().defaultTo(1); // 1 at the start, 2 at the end, 3 flow
      t.integer('scheme_id').notNullable().defaultTo(0);
      t.integer('policy_id').notNullable().defaultTo(0);
      t.bigInteger('start_date').notNullable().defaultTo(0);
      t.bigInteger('expire_date').notNullable().defaultTo(2000000000);
      t.integer('contract_type').notNullable().defaultTo(0);
      t.integer('drop_from_group').notNullable().defaultTo(0);
      t.integer('supplier_id').notNullable().defaultTo(0);
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'services_tariff_idx');
    });
    await k.schema.createTable('tariffs', (t) => {
      t.increments('id');
      t.string('name', 255).notNullable();
      t.string('comments', 255).notNullable().defaultTo('');
      t.bigInteger('create_date').notNullable();
      t.integer('who_create').notNullable();
      t.bigInteger('change_date').notNullable();
      t.integer('who_change').notNullable();
      t.bigInteger('expire_date').notNullable().defaultTo(2000000000);
      t.boolean('is_blocked').notNullable().defaultTo(false);
      t.boolean('zero_balance').notNullable().defaultTo(false); // UTM5's balance_rollover: reset the balance at period end
      t.boolean('is_deleted').notNullable().defaultTo(false);
    });
    await k.schema.createTable('tariff_links', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable();
      t.integer('user_id').notNullable();
      t.integer('tariff_current').notNullable();
      t.integer('tariff_next').notNullable();
      t.integer('discount_period_id').notNullable();
      t.bigInteger('link_date').notNullable();
      t.bigInteger('unlink_date').notNullable().defaultTo(0);
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'tariff_links_account_idx');
      addIndex(t, 'tariff_links_period_idx');
    });
    await k.schema.createTable('tariff_history', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable();
      t.integer('tariff_id').notNullable();
      t.bigInteger('link_date').notNullable();
      t.bigInteger('unlink_date').notNullable().defaultTo(0);
      addIndex(t, 'tariff_history_account_idx');
    });
    await k.schema.createTable('service_links', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable();
      t.integer('user_id').notNullable();
      t.integer('service_id').notNullable();
      t.integer('tariff_link_id').notNullable().defaultTo(0);
      t.integer('discount_period_id').notNullable().defaultTo(0); // 0 for one-time links
      t.bigInteger('start_date').notNullable();
      t.bigInteger('expire_date').notNullable().defaultTo(2000000000);
      t.integer('policy_id').notNullable().defaultTo(0);
      t.bigInteger('cost_coef_e6').notNullable().defaultTo(1000000);
      t.integer('house_id').notNullable().defaultTo(0);
      t.string('comment', 255).notNullable().defaultTo('');
      t.boolean('unabon').notNullable().defaultTo(false);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('discount_date').notNullable().defaultTo(0); // one-time: when it is charged
      t.boolean('once_charged').notNullable().defaultTo(false);
      t.bigInteger('removed_at').notNullable().defaultTo(0);
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'service_links_account_idx');
      addIndex(t, 'service_links_period_idx');
      addIndex(t, 'service_links_service_idx');
    });
    await k.schema.createTable('slink_periods', (t) => {
      t.integer('slink_id').notNullable();
      t.integer('period_id').notNullable();
      t.integer('ordinal').notNullable(); // 0 = the period current when the link was made
      t.bigInteger('charged').notNullable().defaultTo(0); // periodic fee charged for this period, net of refunds
      t.bigInteger('repaid').notNullable().defaultTo(0);
      t.boolean('settled').notNullable().defaultTo(false);
      t.boolean('skipped').notNullable().defaultTo(false); // the start charge was not made (funds lack / no charge in block)
      t.primary(['slink_id', 'period_id']);
      addIndex(t, 'slink_periods_period_idx');
    });
    await k.schema.alterTable('account_ledger', (t) => {
      t.integer('slink_id').notNullable().defaultTo(0);
      t.integer('service_id').notNullable().defaultTo(0);
      t.integer('service_type').notNullable().defaultTo(0);
      t.integer('period_id').notNullable().defaultTo(0);
      t.bigInteger('tax').notNullable().defaultTo(0); // part of amount that is VAT and sale tax
    });
    await k.schema.alterTable('blocks_info', (t) => {
      t.string('reason', 16).notNullable().defaultTo(''); // 'funds_lack': the system block of a charge policy
    });
    // The charge-policy flags of each link frozen when a block began (the manual: block recalculation follows the
    // policy as it was at the block's start).
    await k.schema.createTable('block_policies', (t) => {
      t.integer('block_id').notNullable();
      t.integer('slink_id').notNullable();
      t.integer('flags').notNullable();
      t.primary(['block_id', 'slink_id']);
    });
    await k('charge_policies').insert({ id: 1, name: 'Default', flags: 0, timemarks: '' });
  },
  async down(k: Knex) {
    for (const t of [
      'block_policies',
      'slink_periods',
      'service_links',
      'tariff_history',
      'tariff_links',
      'tariffs',
      'services',
      'charge_policies',
      'coeff_scheme_items',
      'coeff_schemes',
      'time_range_days',
      'time_range_entries',
      'time_ranges',
      'discount_periods',
    ]) {
      await k.schema.dropTableIfExists(t);
    }
  },
};
