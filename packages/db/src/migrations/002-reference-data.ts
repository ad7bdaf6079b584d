import type { Knex } from 'knex';
import type { Migration } from './migration';
import { addIndex } from '../schema/indexes';
import { SYSTEM_PARAMETERS } from '../schema/system-parameters';
import { PREDEFINED_PAYMENT_METHODS } from '../schema/payment-methods';

/** Rates are held as integers scaled by 1e9 (exact, and fine enough for any currency pair). */
export const RATE_SCALE = 1_000_000_000;

export const m002ReferenceData: Migration = {
  name: '002-reference-data',
  async up(k: Knex) {
    await k.schema.createTable('system_parameters', (t) => {
      t.string('name', 64).primary();
      t.text('value').notNullable();
      t.string('description', 255).notNullable().defaultTo('');
    });
    await k.schema.createTable('currencies', (t) => {
      t.integer('id').primary(); // ISO 4217 numeric code
      t.string('short_name', 8).notNullable();
      t.string('full_name', 64).notNullable();
      t.bigInteger('rate_e9').notNullable(); // internal units per 1 currency unit, x1e9
      t.bigInteger('percent_e6').notNullable().defaultTo(0); // correction to the rate, percent x1e6
    });
    await k.schema.createTable('currency_rate_history', (t) => {
      t.increments('id');
      t.integer('currency_id').notNullable().references('id').inTable('currencies').onDelete('CASCADE');
      t.bigInteger('valid_from').notNullable();
      t.bigInteger('rate_e9').notNullable();
      t.bigInteger('percent_e6').notNullable().defaultTo(0);
      addIndex(t, 'currency_rate_history_cur_idx');
    });
    await k.schema.createTable('payment_methods', (t) => {
      t.integer('id').primary();
      t.string('name', 128).notNullable();
      t.boolean('predefined').notNullable().defaultTo(false);
    });
    await k('system_parameters').insert(
      SYSTEM_PARAMETERS.map((p) => ({ name: p.name, value: p.default, description: p.description })),
    );
    await k('currencies').insert({
      id: 810,
      short_name: 'RUB',
      full_name: 'Russian rouble',
      rate_e9: RATE_SCALE,
      percent_e6: 0,
    });
    await k('currency_rate_history').insert({ currency_id: 810, valid_from: 0, rate_e9: RATE_SCALE, percent_e6: 0 });
    await k('payment_methods').insert(PREDEFINED_PAYMENT_METHODS.map((m) => ({ ...m, predefined: true })));
  },
  async down(k: Knex) {
    for (const t of ['payment_methods', 'currency_rate_history', 'currencies', 'system_parameters']) {
      await k.schema.dropTableIfExists(t);
    }
  },
};
