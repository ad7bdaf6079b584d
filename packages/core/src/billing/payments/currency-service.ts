import { mulDiv } from '@utm5/common';
import { RATE_SCALE, type Database, type Knex } from '@utm5/db';
import { BillingError } from '../billing-error';

/** Rates are held as internal units per currency unit x RATE_SCALE; URFA gives and shows them as doubles. */
export { RATE_SCALE };

export interface Currency {
  readonly id: number;
  readonly shortName: string;
  readonly fullName: string;
  readonly rateE9: number;
  readonly percentE6: number;
}

/** Currencies with their rate history; payments are converted at the rate in force at the payment date. */
export class CurrencyService {
  constructor(
    private readonly db: Database,
    private readonly systemCurrency: () => number,
  ) {}

  async list(): Promise<Currency[]> {
    const rows: Record<string, unknown>[] = await this.db.knex('currencies').select('*').orderBy('id');
    return rows.map((r) => ({
      id: Number(r['id']),
      shortName: String(r['short_name']),
      fullName: String(r['full_name']),
      rateE9: Number(r['rate_e9']),
      percentE6: Number(r['percent_e6']),
    }));
  }

  async get(id: number): Promise<Currency | undefined> {
    return (await this.list()).find((c) => c.id === id);
  }

  /** The rate (internal units per currency unit, x1e9) in force at time t; the system currency is always 1. */
  async rateAt(currencyId: number, t: number, trx: Knex | Knex.Transaction = this.db.knex): Promise<number> {
    if (currencyId === this.systemCurrency()) return RATE_SCALE;
    const row = await trx('currency_rate_history')
      .where({ currency_id: currencyId })
      .andWhere('valid_from', '<=', t)
      .orderBy('valid_from', 'desc')
      .orderBy('id', 'desc')
      .first('rate_e9');
    if (row) return Number(row.rate_e9);
    const cur = await trx('currencies').where({ id: currencyId }).first('rate_e9');
    if (!cur)
      throw new BillingError('UTM_NO_CURRENCY', `no currency ${currencyId} (add it first, see get_currency_list)`);
    return Number(cur.rate_e9);
  }

  static convert(amountMicro: number, rateE9: number): number {
    return mulDiv(amountMicro, rateE9, RATE_SCALE);
  }

  /** Adds or changes a currency; a changed rate becomes a history entry valid from `date`. */
  async save(c: Currency, date: number, isNew: boolean): Promise<void> {
    if (!/^\d{1,3}$/.test(String(c.id)) || c.id <= 0)
      throw new BillingError('UTM_BAD_INPUT', `currency id ${c.id} must be an ISO 4217 numeric code`);
    if (!(c.rateE9 > 0))
      throw new BillingError('UTM_BAD_INPUT', `currency rate must be positive (got ${c.rateE9 / RATE_SCALE})`);
    await this.db.tx(async (trx) => {
      const exists = await trx('currencies').where({ id: c.id }).first();
      if (isNew && exists) throw new BillingError('UTM_BAD_INPUT', `currency ${c.id} already exists`);
      if (!isNew && !exists) throw new BillingError('UTM_NO_CURRENCY', `no currency ${c.id}`);
      const row = { short_name: c.shortName, full_name: c.fullName, rate_e9: c.rateE9, percent_e6: c.percentE6 };
      if (exists) await trx('currencies').where({ id: c.id }).update(row);
      else await trx('currencies').insert({ id: c.id, ...row });
      await trx('currency_rate_history').insert({
        currency_id: c.id,
        valid_from: date,
        rate_e9: c.rateE9,
        percent_e6: c.percentE6,
      });
    });
  }

  async history(id: number): Promise<{ time: number; rateE9: number }[]> {
    const rows: { valid_from: number; rate_e9: number }[] = await this.db
      .knex('currency_rate_history')
      .where({ currency_id: id })
      .orderBy('valid_from', 'desc')
      .orderBy('id', 'desc')
      .select('valid_from', 'rate_e9');
    return rows.map((r) => ({ time: Number(r.valid_from), rateE9: Number(r.rate_e9) }));
  }

  async remove(id: number): Promise<void> {
    if (id === this.systemCurrency()) throw new BillingError('UTM_IN_USE', `currency ${id} is the system currency`);
    const used = await this.db.knex('payment_transactions').where({ currency_id: id }).first('id');
    if (used) throw new BillingError('UTM_IN_USE', `currency ${id} has payments and cannot be removed`);
    const users = await this.db.knex('users').where({ currency_id: id, is_deleted: false }).first('id');
    if (users) throw new BillingError('UTM_IN_USE', `currency ${id} is the currency of user ${users.id}`);
    await this.db.tx(async (trx) => {
      await trx('currency_rate_history').where({ currency_id: id }).delete();
      await trx('currencies').where({ id }).delete();
    });
  }
}
