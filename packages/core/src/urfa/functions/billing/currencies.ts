import { L, type UrfaCall } from '@utm5/protocol';
import type { Principal } from '../../../system-users/principal';
import { defineFunction, guarded, type HandlerContext } from '../../core-function';
import { RATE_SCALE } from '../../../billing/payments/currency-service';

const rate = (x: number) => Math.round(x * RATE_SCALE);

export const getSystemCurrency = defineFunction(
  'rpcf_get_system_currency',
  0x0101,
  { output: [L.int('currency_id')] },
  (_c, ctx) => ({ currency_id: ctx.billing.systemCurrency }),
);

/** The currencies with their current rates: the admin's list and the cabinet's (rpcf_user5_get_currency_list). */
const currencyList = {
  output: [
    L.int('currency_size'),
    L.for('i', '0', 'currency_size', [
      L.int('id', { index: 'i' }),
      L.str('currency_brief_name', { index: 'i' }),
      L.str('currency_full_name', { index: 'i' }),
      L.double('percent', { index: 'i' }),
      L.double('rates', { index: 'i' }),
    ]),
  ],
};

async function listCurrencies(ctx: HandlerContext) {
  const list = await ctx.billing.currencies.list();
  return {
    currency_size: list.length,
    id: list.map((c) => c.id),
    currency_brief_name: list.map((c) => c.shortName),
    currency_full_name: list.map((c) => c.fullName),
    percent: list.map((c) => c.percentE6 / 1e6),
    rates: list.map((c) => c.rateE9 / RATE_SCALE),
  };
}

export const getCurrencyList = defineFunction('rpcf_get_currency_list', 0x2910, currencyList, (_c, ctx) =>
  listCurrencies(ctx),
);

/** The cabinet's payments page shows amounts in the customer's currency from this list. */
export const user5GetCurrencyList = defineFunction('rpcf_user5_get_currency_list', -0x4037, currencyList, (_c, ctx) =>
  listCurrencies(ctx),
);

const currencyInput = [
  L.int('id'),
  L.str('currency_brief_name'),
  L.str('currency_full_name'),
  L.int('date', { default: 'now()' }),
  L.double('rate'),
  L.double('percent', { default: '0' }),
];

function saveCurrency(isNew: boolean) {
  return async (call: UrfaCall<Principal>, ctx: HandlerContext) => {
    const a = call.args;
    await guarded(
      ctx,
      call,
      `${isNew ? 'add' : 'edit'} currency ${a.int('id')}`,
      () =>
        ctx.billing.currencies
          .save(
            {
              id: a.int('id'),
              shortName: a.str('currency_brief_name'),
              fullName: a.str('currency_full_name'),
              rateE9: rate(a.double('rate')),
              percentE6: Math.round(a.double('percent') * 1e6),
            },
            a.int('date'),
            isNew,
          )
          .then(() =>
            ctx.journal(
              call.principal,
              call.peer,
              'settings',
              `currency ${a.int('id')} ${isNew ? 'added' : 'changed'}: rate ${a.double('rate')} from ${a.int('date')}`,
            ),
          ),
      () => undefined,
    );
    return {};
  };
}

export const addCurrency = defineFunction('rpcf_add_currency', 0x2911, { input: currencyInput }, saveCurrency(true));

export const editCurrency = defineFunction(
  'rpcf_edit_currency',
  0x2912,
  { comment: 'a new rate joins the history, valid from date', input: currencyInput },
  saveCurrency(false),
);

export const getCurrencyRateHistory = defineFunction(
  'rpcf_get_currency_rate_history',
  0x2913,
  {
    input: [L.int('id')],
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [L.int('time', { index: 'i' }), L.double('value', { index: 'i' })]),
    ],
  },
  async (call, ctx) => {
    const h = await ctx.billing.currencies.history(call.args.int('id'));
    return { size: h.length, time: h.map((x) => x.time), value: h.map((x) => x.rateE9 / RATE_SCALE) };
  },
);

export const removeCurrency = defineFunction(
  'rpcf_remove_currency',
  0x2915,
  { input: [L.int('id')] },
  async (call, ctx) => {
    await guarded(
      ctx,
      call,
      `remove currency ${call.args.int('id')}`,
      () =>
        ctx.billing.currencies
          .remove(call.args.int('id'))
          .then(() => ctx.journal(call.principal, call.peer, 'settings', `currency ${call.args.int('id')} removed`)),
      () => undefined,
    );
    return {};
  },
);

export const getCurrencyRateToDate = defineFunction(
  'rpcf_get_currency_rate_to_date',
  0x8003,
  {
    input: [L.int('date'), L.int('code')],
    output: [L.double('result')],
  },
  async (call, ctx) => ({
    result: (await ctx.billing.currencies.rateAt(call.args.int('code'), call.args.int('date'))) / RATE_SCALE,
  }),
);
