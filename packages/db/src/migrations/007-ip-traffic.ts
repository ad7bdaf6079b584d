import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * IP traffic: traffic classes and subclasses, the IP traffic part of services (borders, prepaid, groups), IP groups
 * of service links, per-link traffic counters per accounting period, hourly traffic statistics, NetFlow providers
 * and traffic collectors.
 */
export const m007IpTraffic: Migration = {
  name: '007-ip-traffic',
  async up(k: Knex) {
    await k.schema.createTable('tclasses', (t) => {
      t.integer('id').primary(); // chosen by the administrator: classes are tried in decreasing id order
      t.string('name', 128).notNullable();
      t.integer('graph_color').notNullable().defaultTo(0);
      t.boolean('is_display').notNullable().defaultTo(true);
      t.boolean('is_fill').notNullable().defaultTo(false);
      t.integer('time_range_id').notNullable().defaultTo(0);
      t.boolean('dont_save').notNullable().defaultTo(false);
      t.integer('local_policy').notNullable().defaultTo(0); // 0 to the receiver, 1 to the sender, 2 both
      t.boolean('is_deleted').notNullable().defaultTo(false);
    });
    await k.schema.createTable('tclass_subclasses', (t) => {
      t.increments('id');
      t.integer('tclass_id').notNullable();
      t.string('saddr', 64).notNullable();
      t.integer('saddr_mask').notNullable();
      t.integer('sport').notNullable().defaultTo(0);
      t.integer('input').notNullable().defaultTo(0);
      t.integer('src_as').notNullable().defaultTo(0);
      t.string('daddr', 64).notNullable();
      t.integer('daddr_mask').notNullable();
      t.integer('dport').notNullable().defaultTo(0);
      t.integer('output').notNullable().defaultTo(0);
      t.integer('dst_as').notNullable().defaultTo(0);
      t.integer('proto').notNullable().defaultTo(0);
      t.integer('tos').notNullable().defaultTo(0);
      t.string('nexthop', 64).notNullable().defaultTo('0.0.0.0');
      t.integer('tcp_flags').notNullable().defaultTo(0);
      t.string('ip_from', 64).notNullable().defaultTo('0.0.0.0'); // the NetFlow provider's address; 0.0.0.0 = any
      t.integer('nfprovider_id').notNullable().defaultTo(0);
      t.integer('use_flags').notNullable().defaultTo(0); // which of sport..tcp_flags are matched (see TCLASS_USE)
      t.boolean('skip').notNullable().defaultTo(false);
      addIndex(t, 'tclass_subclasses_class_idx');
    });
    await k.schema.createTable('iptraffic_services', (t) => {
      t.integer('service_id').primary();
      t.boolean('reset_prepaid').notNullable().defaultTo(false); // UTM5's null_service_prepaid
      t.integer('aggregation_interval').notNullable().defaultTo(0); // seconds; 0 = hourly statistics
      t.boolean('is_dynamic').notNullable().defaultTo(false);
      t.integer('sessions_limit').notNullable().defaultTo(0);
    });
    await k.schema.createTable('iptraffic_borders', (t) => {
      t.integer('service_id').notNullable();
      t.integer('tclass_id').notNullable();
      t.bigInteger('size').notNullable(); // bytes from the period start
      t.bigInteger('cost').notNullable(); // micro-units per megabyte
      t.primary(['service_id', 'tclass_id', 'size']);
    });
    await k.schema.createTable('iptraffic_prepaid', (t) => {
      t.integer('service_id').notNullable();
      t.integer('tclass_id').notNullable();
      t.bigInteger('size').notNullable();
      t.bigInteger('size_max').notNullable().defaultTo(0); // accumulate no more than; 0 = unlimited
      t.primary(['service_id', 'tclass_id']);
    });
    await k.schema.createTable('iptraffic_groups', (t) => {
      t.integer('service_id').notNullable();
      t.integer('tclass_id').notNullable();
      t.integer('group_id').notNullable();
      t.integer('group_type').notNullable().defaultTo(1); // 1 sum, 2 max
      t.primary(['service_id', 'tclass_id']);
    });
    await k.schema.createTable('ip_groups', (t) => {
      t.increments('id');
      t.integer('slink_id').notNullable();
      t.string('ip', 64).notNullable();
      t.integer('mask').notNullable();
      t.string('mac', 64).notNullable().defaultTo('');
      t.string('login', 255).notNullable().defaultTo('');
      t.string('password', 255).notNullable().defaultTo('');
      t.string('allowed_cid', 255).notNullable().defaultTo('');
      t.string('pool_name', 255).notNullable().defaultTo('');
      t.boolean('is_skip_radius').notNullable().defaultTo(false);
      t.boolean('is_skip_rfw').notNullable().defaultTo(false);
      t.integer('router_id').notNullable().defaultTo(0); // NetFlow provider id; 0 = any
      t.integer('switch_id').notNullable().defaultTo(0);
      t.integer('port_id').notNullable().defaultTo(0);
      t.integer('vlan_id').notNullable().defaultTo(0);
      t.integer('pool_id').notNullable().defaultTo(0);
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'ip_groups_slink_idx');
      addIndex(t, 'ip_groups_login_idx');
    });
    // What each IP traffic link used of each class in a period, and its prepaid allowance there.
    await k.schema.createTable('slink_traffic', (t) => {
      t.integer('slink_id').notNullable();
      t.integer('period_id').notNullable();
      t.integer('tclass_id').notNullable();
      t.bigInteger('bytes').notNullable().defaultTo(0);
      t.bigInteger('prepaid').notNullable().defaultTo(0);
      t.primary(['slink_id', 'period_id', 'tclass_id']);
    });
    await k.schema.alterTable('service_links', (t) => {
      t.boolean('unprepay').notNullable().defaultTo(false); // this link gets no prepaid traffic
    });
    await k.schema.alterTable('slink_periods', (t) => {
      t.double('traffic_accrued').notNullable().defaultTo(0); // micro-units, not rounded
      t.bigInteger('traffic_charged').notNullable().defaultTo(0);
      t.bigInteger('traffic_charged_at').notNullable().defaultTo(0);
    });
    await k.schema.createTable('traffic_stats', (t) => {
      t.bigIncrements('id');
      t.bigInteger('ts').notNullable(); // the start of the aggregation interval
      t.integer('account_id').notNullable();
      t.integer('slink_id').notNullable();
      t.integer('tclass_id').notNullable();
      t.string('ip', 64).notNullable();
      t.bigInteger('bytes').notNullable();
      t.bigInteger('packets').notNullable().defaultTo(0);
      t.bigInteger('cost').notNullable().defaultTo(0); // micro-units accrued for these bytes
      t.integer('collector_id').notNullable().defaultTo(0);
      addIndex(t, 'traffic_stats_account_idx');
      addIndex(t, 'traffic_stats_ts_idx');
    });
    await k.schema.createTable('traffic_collectors', (t) => {
      t.increments('id');
      t.string('name', 128).notNullable();
      t.string('comment', 255).notNullable().defaultTo('');
      t.string('raw_path', 1024).notNullable().defaultTo('');
      t.string('raw_script', 1024).notNullable().defaultTo('');
      t.bigInteger('raw_max_size').notNullable().defaultTo(104857600);
      t.integer('raw_max_count').notNullable().defaultTo(0);
      t.integer('send_limit').notNullable().defaultTo(10000);
      t.integer('buffer_size').notNullable().defaultTo(10000);
      t.integer('commit_interval').notNullable().defaultTo(60);
      t.bigInteger('multiplier_e6').notNullable().defaultTo(1000000);
      t.bigInteger('started_at').notNullable().defaultTo(0);
      t.bigInteger('records').notNullable().defaultTo(0);
      t.bigInteger('error_records').notNullable().defaultTo(0);
      addIndex(t, 'traffic_collectors_name_uq');
    });
    await k.schema.createTable('netflow_providers', (t) => {
      t.increments('id');
      t.integer('collector_id').notNullable().defaultTo(1);
      t.string('name', 128).notNullable();
      t.string('ip', 64).notNullable();
      t.string('comment', 255).notNullable().defaultTo('');
      addIndex(t, 'netflow_providers_name_uq');
    });
    // The System traffic collector the manual says every installation has.
    await k('traffic_collectors').insert({ id: 1, name: 'traffic_collector', comment: 'System traffic collector' });
  },
  async down(k: Knex) {
    for (const t of [
      'netflow_providers',
      'traffic_collectors',
      'traffic_stats',
      'slink_traffic',
      'ip_groups',
      'iptraffic_groups',
      'iptraffic_prepaid',
      'iptraffic_borders',
      'iptraffic_services',
      'tclass_subclasses',
      'tclasses',
    ]) {
      await k.schema.dropTableIfExists(t);
    }
    await k.schema.alterTable('slink_periods', (t) =>
      t.dropColumns('traffic_accrued', 'traffic_charged', 'traffic_charged_at'),
    );
    await k.schema.alterTable('service_links', (t) => t.dropColumn('unprepay'));
  },
};
