import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';

/** Ids of the default system groups; rights are ranges of URFA function ids. */
export const WHEEL_GROUP_ID = 1;
export const DEALERS_GROUP_ID = 2;

export const m001SystemUsers: Migration = {
  name: '001-system-users',
  async up(k: Knex) {
    await k.schema.createTable('system_users', (t) => {
      t.integer('id').primary(); // negative, as UTM5 numbers system users
      t.string('login', 64).notNullable();
      t.string('password_enc', 512).notNullable();
      t.string('ip4', 15).notNullable().defaultTo('0.0.0.0');
      t.integer('mask4').notNullable().defaultTo(0);
      t.string('ip6', 45).notNullable().defaultTo('::');
      t.integer('mask6').notNullable().defaultTo(0);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      addIndex(t, 'system_users_login_uq');
    });
    await k.schema.createTable('system_groups', (t) => {
      t.integer('id').primary();
      t.string('name', 64).notNullable();
      t.string('info', 255).notNullable().defaultTo('');
      addIndex(t, 'system_groups_name_uq');
    });
    await k.schema.createTable('system_group_members', (t) => {
      t.integer('user_id').notNullable().references('id').inTable('system_users').onDelete('CASCADE');
      t.integer('group_id').notNullable().references('id').inTable('system_groups').onDelete('CASCADE');
      t.primary(['user_id', 'group_id']);
      addIndex(t, 'system_group_members_group_idx');
    });
    await k.schema.createTable('system_group_rights', (t) => {
      t.integer('group_id').notNullable().references('id').inTable('system_groups').onDelete('CASCADE');
      t.bigInteger('fid_from').notNullable();
      t.bigInteger('fid_to').notNullable();
      t.boolean('allowed').notNullable();
      t.primary(['group_id', 'fid_from', 'fid_to']);
    });
    await k('system_groups').insert([
      { id: WHEEL_GROUP_ID, name: 'Wheel', info: 'Administrators: every system function' },
      { id: DEALERS_GROUP_ID, name: 'Dealers', info: 'Dealers: create users, assign services, make payments' },
    ]);
    await k('system_group_rights').insert([
      { group_id: WHEEL_GROUP_ID, fid_from: 0, fid_to: 0x7fffffff, allowed: true },
      { group_id: DEALERS_GROUP_ID, fid_from: 0x70000000, fid_to: 0x7fffffff, allowed: true },
    ]);
  },
  async down(k: Knex) {
    for (const t of ['system_group_rights', 'system_group_members', 'system_groups', 'system_users']) {
      await k.schema.dropTableIfExists(t);
    }
  },
};
