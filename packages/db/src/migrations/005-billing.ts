import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/**
 * Customers, dealers, accounts and the money side: the ledger every balance is derived from, payments (UTM5's
 * payment_transactions), expiring-payment pools, blockings (blocks_info), internal transfers, prepaid cards and the
 * customer-portal settings sets. Money columns are integer micro-units; times unix seconds.
 */
export const m005Billing: Migration = {
  name: '005-billing',
  async up(k: Knex) {
    await k.schema.createTable('dealers', (t) => {
      t.increments('id');
      t.string('login', 64).notNullable();
      t.string('password_enc', 512).notNullable();
      t.string('ip4', 15).notNullable().defaultTo('0.0.0.0');
      t.integer('mask4').notNullable().defaultTo(0);
      t.string('ip6', 45).notNullable().defaultTo('::');
      t.integer('mask6').notNullable().defaultTo(0);
      for (const c of [
        'full_name',
        'act_address',
        'passport',
        'work_tel',
        'home_tel',
        'mob_tel',
        'web_page',
        'icq_number',
        'email',
      ]) {
        t.string(c, 255).notNullable().defaultTo('');
      }
      t.text('comments').notNullable();
      t.integer('who_create').notNullable().defaultTo(0);
      t.integer('who_change').notNullable().defaultTo(0);
      t.bigInteger('create_date').notNullable();
      t.bigInteger('change_date').notNullable();
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'dealers_login_idx');
    });
    await k.schema.createTable('users', (t) => {
      t.increments('id');
      t.string('login', 128).notNullable();
      t.string('password_enc', 512).notNullable();
      for (const c of [
        'full_name',
        'jur_address',
        'act_address',
        'flat_number',
        'entrance',
        'floor',
        'district',
        'building',
        'passport',
        'work_tel',
        'home_tel',
        'mob_tel',
        'web_page',
        'icq_number',
        'tax_number',
        'kpp_number',
        'email',
        'bank_account',
        'personal_manager',
      ]) {
        t.string(c, 255).notNullable().defaultTo('');
      }
      t.text('comments').notNullable();
      t.boolean('is_juridical').notNullable().defaultTo(false);
      t.integer('house_id').notNullable().defaultTo(0);
      t.integer('bank_id').notNullable().defaultTo(0);
      t.bigInteger('connect_date').notNullable().defaultTo(0);
      t.boolean('is_send_invoice').notNullable().defaultTo(false);
      t.boolean('advance_payment').notNullable().defaultTo(false);
      t.integer('switch_id').notNullable().defaultTo(0);
      t.integer('port_number').notNullable().defaultTo(0);
      t.integer('currency_id').notNullable().defaultTo(810);
      t.integer('doc_profile_id').notNullable().defaultTo(0);
      t.integer('basic_account').notNullable().defaultTo(0);
      t.bigInteger('create_date').notNullable();
      t.bigInteger('last_change_date').notNullable();
      t.integer('who_create').notNullable().defaultTo(0);
      t.integer('who_change').notNullable().defaultTo(0);
      t.integer('dealer_id').nullable();
      t.boolean('is_card_user').notNullable().defaultTo(false);
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'users_login_idx');
      addIndex(t, 'users_dealer_idx');
    });
    await k.schema.createTable('uaparams', (t) => {
      t.integer('id').primary();
      t.string('name', 64).notNullable();
      t.string('display_name', 255).notNullable();
      t.boolean('visible').notNullable().defaultTo(true);
    });
    await k.schema.createTable('user_params', (t) => {
      t.integer('user_id').notNullable();
      t.integer('param_id').notNullable();
      t.text('value').notNullable();
      t.primary(['user_id', 'param_id']);
    });
    await k.schema.createTable('user_contacts', (t) => {
      t.increments('id');
      t.integer('user_id').notNullable();
      for (const c of ['person', 'descr', 'contact', 'email', 'short_name', 'birthday'])
        t.string(c, 255).notNullable().defaultTo('');
      t.boolean('email_notify').notNullable().defaultTo(false);
      t.integer('id_exec_man').notNullable().defaultTo(0);
      addIndex(t, 'user_contacts_user_idx');
    });
    await k.schema.createTable('user_groups', (t) => {
      t.integer('id').primary();
      t.string('name', 128).notNullable();
    });
    await k.schema.createTable('user_group_members', (t) => {
      t.integer('user_id').notNullable();
      t.integer('group_id').notNullable();
      t.primary(['user_id', 'group_id']);
      addIndex(t, 'user_group_members_group_idx');
    });
    await k.schema.createTable('dealer_groups', (t) => {
      t.integer('dealer_id').notNullable();
      t.integer('group_id').notNullable();
      t.primary(['dealer_id', 'group_id']);
    });
    await k.schema.createTable('accounts', (t) => {
      t.increments('id');
      t.integer('user_id').notNullable();
      t.bigInteger('balance').notNullable().defaultTo(0); // cached sum of the ledger's amount
      t.bigInteger('credit').notNullable().defaultTo(0); // cached sum of the ledger's credit_delta
      t.bigInteger('vat_rate_e6').notNullable().defaultTo(0); // percent x 1e6
      t.bigInteger('sale_tax_rate_e6').notNullable().defaultTo(0);
      t.boolean('int_status').notNullable().defaultTo(true);
      t.boolean('auto_enable_inet').notNullable().defaultTo(true);
      t.boolean('unlimited').notNullable().defaultTo(false);
      t.string('external_id', 255).notNullable().defaultTo('');
      t.integer('block_type').notNullable().defaultTo(0); // 0, 16 system, 256 administrative, 4096 user
      t.integer('block_id').notNullable().defaultTo(0);
      t.string('irdeto_card', 64).notNullable().defaultTo('');
      t.string('irdeto_stb', 64).notNullable().defaultTo('');
      t.bigInteger('create_date').notNullable();
      t.boolean('is_deleted').notNullable().defaultTo(false);
      addIndex(t, 'accounts_user_idx');
      addIndex(t, 'accounts_external_idx');
    });
    await k.schema.createTable('account_ledger', (t) => {
      t.bigIncrements('id');
      t.integer('account_id').notNullable();
      t.bigInteger('ts').notNullable();
      t.string('kind', 32).notNullable();
      t.bigInteger('amount').notNullable(); // effect on the balance
      t.bigInteger('credit_delta').notNullable().defaultTo(0); // effect on the credit
      t.string('ref_type', 32).notNullable().defaultTo('');
      t.bigInteger('ref_id').notNullable().defaultTo(0);
      t.integer('actor_id').notNullable().defaultTo(0);
      t.string('comment', 255).notNullable().defaultTo('');
      addIndex(t, 'account_ledger_account_idx');
      addIndex(t, 'account_ledger_ts_idx');
    });
    await k.schema.createTable('payment_transactions', (t) => {
      t.bigIncrements('id');
      t.integer('account_id').notNullable();
      t.string('kind', 16).notNullable(); // normal, credit, expiring, promised, rollback, card
      t.bigInteger('payment_absolute').notNullable(); // system currency, micro
      t.bigInteger('payment_incurrency').notNullable(); // payment currency, micro
      t.integer('currency_id').notNullable();
      t.bigInteger('rate_e9').notNullable();
      t.bigInteger('actual_date').notNullable();
      t.bigInteger('payment_enter_date').notNullable();
      t.bigInteger('burn_date').notNullable().defaultTo(0);
      t.boolean('burnt').notNullable().defaultTo(false);
      t.integer('method').notNullable();
      t.integer('who_received').notNullable();
      t.string('admin_comment', 255).notNullable().defaultTo('');
      t.string('comment', 255).notNullable().defaultTo('');
      t.string('payment_ext_number', 128).nullable();
      t.integer('payment_to_invoice').notNullable().defaultTo(0);
      t.boolean('turn_on_inet').notNullable().defaultTo(false);
      t.bigInteger('cancel_id').notNullable().defaultTo(0); // the rollback of this payment, or the payment rolled back
      t.string('hash', 64).notNullable().defaultTo('');
      addIndex(t, 'payment_transactions_account_idx');
      addIndex(t, 'payment_transactions_date_idx');
      addIndex(t, 'payment_transactions_ext_uq');
    });
    await k.schema.createTable('expiring_pools', (t) => {
      t.integer('account_id').primary();
      t.bigInteger('started_at').notNullable();
      t.bigInteger('burn_date').notNullable();
      t.bigInteger('total').notNullable();
      t.bigInteger('first_payment').notNullable();
      t.bigInteger('last_payment').notNullable();
    });
    await k.schema.createTable('blocks_info', (t) => {
      t.increments('id');
      t.integer('account_id').notNullable();
      t.integer('block_type').notNullable();
      t.bigInteger('start_date').notNullable();
      t.bigInteger('expire_date').notNullable();
      t.bigInteger('end_date').notNullable().defaultTo(0); // when it actually ended (0 = active or pending)
      t.boolean('is_deleted').notNullable().defaultTo(false); // ended
      t.boolean('is_active').notNullable().defaultTo(false); // in force now (false while its start is ahead)
      t.string('comment', 255).notNullable().defaultTo('');
      t.integer('who').notNullable().defaultTo(0);
      addIndex(t, 'blocks_info_account_idx');
    });
    await k.schema.createTable('funds_flow', (t) => {
      t.increments('id');
      t.integer('account_id_from').notNullable();
      t.integer('account_id_to').notNullable();
      t.bigInteger('amount').notNullable();
      t.bigInteger('date').notNullable();
      t.integer('user_id').notNullable();
      addIndex(t, 'funds_flow_date_idx');
    });
    for (const [name, extra] of [
      [
        'promised_payment_settings',
        (t: Knex.CreateTableBuilder) => {
          t.bigInteger('max_value').notNullable();
          t.integer('max_duration').notNullable(); // days until the credit expires
          t.integer('interval_duration').notNullable(); // days between uses
          t.integer('flags').notNullable().defaultTo(0); // 1: until the balance is positive
        },
      ],
      [
        'voluntary_suspension_settings',
        (t: Knex.CreateTableBuilder) => {
          t.integer('min_duration').notNullable();
          t.integer('max_duration').notNullable();
          t.integer('interval_duration').notNullable();
          t.integer('block_type').notNullable().defaultTo(4096);
          t.boolean('self_unlock').notNullable().defaultTo(false);
        },
      ],
      ['funds_flow_settings', () => undefined],
    ] as const) {
      await k.schema.createTable(name, (t) => {
        t.increments('id');
        t.integer('group_id').notNullable();
        t.integer('priority').notNullable();
        t.boolean('is_enabled').notNullable();
        if (name !== 'funds_flow_settings') {
          t.bigInteger('min_balance').notNullable().defaultTo(0);
          t.boolean('use_min_balance').notNullable().defaultTo(false);
          t.bigInteger('free_balance').notNullable().defaultTo(0);
          t.boolean('use_free_balance').notNullable().defaultTo(false);
          t.integer('service_id').notNullable().defaultTo(0);
        }
        extra(t);
      });
    }
    await k.schema.createTable('card_pools', (t) => {
      t.integer('id').primary();
      t.bigInteger('first_update').notNullable();
      t.bigInteger('last_update').notNullable();
    });
    await k.schema.createTable('card_pool_owners', (t) => {
      t.integer('pool_id').notNullable();
      t.integer('owner_id').notNullable();
      t.primary(['pool_id', 'owner_id']);
    });
    await k.schema.createTable('cards', (t) => {
      t.integer('id').primary();
      t.integer('pool_id').notNullable();
      t.string('secret', 64).notNullable();
      t.bigInteger('balance').notNullable();
      t.integer('currency').notNullable();
      t.bigInteger('expire').notNullable(); // activate before
      t.integer('days').notNullable().defaultTo(0); // days to use: the activation payment expires after them
      t.integer('tp_id').notNullable().defaultTo(0);
      t.boolean('is_used').notNullable().defaultTo(false);
      t.boolean('is_blocked').notNullable().defaultTo(false);
      t.integer('used_by').notNullable().defaultTo(0);
      t.bigInteger('used_at').notNullable().defaultTo(0);
      addIndex(t, 'cards_pool_idx');
    });
    await k.schema.alterTable('user_log', (t) => {
      t.integer('action_code').notNullable().defaultTo(0);
    });
  },
  async down(k: Knex) {
    for (const t of [
      'cards',
      'card_pool_owners',
      'card_pools',
      'funds_flow_settings',
      'voluntary_suspension_settings',
      'promised_payment_settings',
      'funds_flow',
      'blocks_info',
      'expiring_pools',
      'payment_transactions',
      'account_ledger',
      'accounts',
      'dealer_groups',
      'user_group_members',
      'user_groups',
      'user_contacts',
      'user_params',
      'uaparams',
      'users',
      'dealers',
    ]) {
      await k.schema.dropTableIfExists(t);
    }
  },
};
