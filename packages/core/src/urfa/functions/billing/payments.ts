import { L, type CallArgs } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type HandlerContext } from '../../core-function';
import type { PaymentReportFilter, PaymentReportRow } from '../../../billing/payments/payment-service';
import { money } from './common';

const paymentInput = [
  L.double('payment'),
  L.int('currency_id', { default: '810' }),
  L.int('payment_date', { default: 'now()' }),
  L.int('burn_date', { default: '0' }),
  L.int('payment_method', { default: '1' }),
  L.str('admin_comment', { default: '' }),
  L.str('comment', { default: '' }),
  L.str('payment_ext_number', { default: '' }),
  L.int('payment_to_invoice', { default: '0' }),
  L.int('turn_on_inet', { default: '1' }),
];

const paymentDocs = {
  account_id: 'account to credit',
  payment: 'amount in the payment currency',
  currency_id: 'ISO 4217 code of the payment currency',
  payment_date: 'when the money was paid (unix time)',
  burn_date:
    'unix time the payment expires: mandatory for credit payments (method 4), ' +
    'makes any other payment expiring; 0 for none',
  payment_method: 'payment method id (1 cash, 2 wire transfer, 3 card, 4 credit ...)',
  admin_comment: 'comment for administrators',
  comment: 'comment for the customer',
  payment_ext_number: 'external payment number: a retry with the same number and method credits nothing',
  turn_on_inet: '1 turns the Internet on when the funds allow',
  payment_to_invoice: 'invoice the payment settles (0 none)',
};

export function paymentRequest(a: CallArgs) {
  return {
    accountId: a.int('account_id'),
    amount: a.double('payment'),
    currencyId: a.int('currency_id'),
    paymentDate: a.int('payment_date'),
    burnDate: a.int('burn_date'),
    method: a.int('payment_method'),
    adminComment: a.str('admin_comment'),
    comment: a.str('comment'),
    extNumber: a.str('payment_ext_number'),
    toInvoice: a.int('payment_to_invoice'),
    turnOnInet: a.int('turn_on_inet') !== 0,
  };
}

export const addPaymentForAccount = defineFunction(
  'rpcf_add_payment_for_account',
  0x3110,
  {
    comment: 'a retry with the same payment_ext_number and method credits nothing and returns the first transaction id',
    docs: { ...paymentDocs, unused: 'not used' },
    input: [L.int('account_id'), L.int('unused', { default: '0' }), ...paymentInput],
    output: [
      L.int('payment_transaction_id'),
      L.if('payment_transaction_id', 'eq', '0', [L.error('13', 'payment failed (the core log says why)')]),
    ],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      `payment to account ${call.args.int('account_id')}`,
      async () => {
        const r = await ctx.billing.payments.add(actorOf(call), paymentRequest(call.args));
        return { payment_transaction_id: r.id };
      },
      () => ({ payment_transaction_id: 0 }),
    ),
);

export const addPayment = defineFunction(
  'utm5ts_add_payment',
  0x60000050,
  {
    comment:
      'UTM5-TS extension: rpcf_add_payment_for_account that also says whether the external number was a duplicate and why a refusal happened',
    docs: paymentDocs,
    input: [L.int('account_id'), ...paymentInput],
    output: [
      L.int('payment_transaction_id'),
      L.int('duplicate'),
      L.str('error'),
      L.if('payment_transaction_id', 'eq', '0', [L.error('13', 'payment refused:', 'error')]),
    ],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      `payment to account ${call.args.int('account_id')}`,
      async () => {
        const r = await ctx.billing.payments.add(actorOf(call), paymentRequest(call.args));
        return { payment_transaction_id: r.id, duplicate: r.duplicate ? 1 : 0, error: '' };
      },
      (err) => ({ payment_transaction_id: 0, duplicate: 0, error: err.message }),
    ),
);

export const cancelPaymentForAccount = defineFunction(
  'rpcf_cancel_payment_for_account',
  0x3111,
  {
    comment:
      'rolls a payment back with a Rollback payment of the opposite sum; refused for credit and expiring payments',
    input: [L.int('pay_t_id'), L.str('com_for_user'), L.str('com_for_admin')],
  },
  async (call, ctx) => {
    const a = call.args;
    await guarded(
      ctx,
      call,
      `rollback of payment ${a.int('pay_t_id')}`,
      () =>
        ctx.billing.payments.rollback(actorOf(call), a.int('pay_t_id'), a.str('com_for_user'), a.str('com_for_admin')),
      () => 0,
    );
    return {};
  },
);

export const rollbackPayment = defineFunction(
  'utm5ts_rollback_payment',
  0x60000053,
  {
    comment:
      'UTM5-TS extension: rpcf_cancel_payment_for_account returning the rollback transaction id, or why it was refused',
    input: [L.int('pay_t_id'), L.str('com_for_user', { default: '' }), L.str('com_for_admin', { default: '' })],
    output: [
      L.int('rollback_id'),
      L.str('error'),
      L.if('rollback_id', 'eq', '0', [L.error('14', 'rollback refused:', 'error')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    return guarded(
      ctx,
      call,
      `rollback of payment ${a.int('pay_t_id')}`,
      async () => ({
        rollback_id: await ctx.billing.payments.rollback(
          actorOf(call),
          a.int('pay_t_id'),
          a.str('com_for_user'),
          a.str('com_for_admin'),
        ),
        error: '',
      }),
      (err) => ({ rollback_id: 0, error: err.message }),
    );
  },
);

/** Payments grouped by account, for rpcf_payments_report_new and its dealer and customer variants. */
export async function paymentsByAccount(ctx: HandlerContext, f: PaymentReportFilter) {
  const rows = await ctx.billing.payments.report(f);
  const groups: PaymentReportRow[][] = [];
  for (const r of rows) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.accountId === r.accountId) last.push(r);
    else groups.push([r]);
  }
  const col = <T>(fn: (r: PaymentReportRow) => T) => groups.map((g) => g.map(fn));
  return {
    count: groups.length,
    sizes: groups.map((g) => g.length),
    id: col((r) => r.id),
    account_id: col((r) => r.accountId),
    login: col((r) => r.login),
    actual_date: col((r) => r.actualDate),
    payment_enter_date: col((r) => r.enterDate),
    payment: col((r) => money(r.absolute)),
    payment_incurrency: col((r) => money(r.inCurrency)),
    currency_id: col((r) => r.currencyId),
    method: col((r) => r.method),
    method_name: col((r) => r.methodName),
    who_receved: col((r) => r.whoReceived),
    admin_comment: col((r) => r.adminComment),
    comment: col((r) => r.comment),
    payment_ext_number: col((r) => r.extNumber),
    full_name: col((r) => r.fullName),
    acc_external_id: col((r) => r.accountExternalId),
    burnt_date: col((r) => r.burnDate),
  };
}

export const paymentsReportNew = defineFunction(
  'rpcf_payments_report_new',
  0x3030,
  {
    input: [
      L.int('user_id', { default: '0' }),
      L.int('account_id'),
      L.int('group_id', { default: '0' }),
      L.int('apid', { default: '0' }),
      L.int('time_start'),
      L.int('time_end'),
    ],
    output: [
      L.int('users_count'),
      L.for('i', '0', 'users_count', [
        L.int('atr_size'),
        L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: 'i' }),
        L.for(
          'j',
          '0',
          'atr_size',
          [
            'id',
            'account_id',
            'login',
            'actual_date',
            'payment_enter_date',
            'payment',
            'payment_incurrency',
            'currency_id',
            'method',
            'who_receved',
            'admin_comment',
            'payment_ext_number',
            'full_name',
            'acc_external_id',
            'burnt_date',
          ].map((n) =>
            ['login', 'admin_comment', 'payment_ext_number', 'full_name', 'acc_external_id'].includes(n)
              ? L.str(n, { index: 'i,j' })
              : ['payment', 'payment_incurrency'].includes(n)
                ? L.double(n, { index: 'i,j' })
                : L.int(n, { index: 'i,j' }),
          ),
        ),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const r = await paymentsByAccount(ctx, {
      userId: a.int('user_id'),
      accountId: a.int('account_id'),
      groupId: a.int('group_id'),
      from: a.int('time_start'),
      to: a.int('time_end'),
    });
    return { users_count: r.count, atr_size_array: r.sizes, ...r };
  },
);

export const getPaymentMethodsList = defineFunction(
  'rpcf_get_payment_methods_list',
  0x3100,
  {
    output: [
      L.int('payments_list_count'),
      L.for('i', '0', 'payments_list_count', [L.int('id', { index: 'i' }), L.str('name', { index: 'i' })]),
    ],
  },
  async (_c, ctx) => {
    const rows = await ctx.billing.payments.methods.list();
    return { payments_list_count: rows.length, id: rows.map((r) => r.id), name: rows.map((r) => r.name) };
  },
);

export const addPaymentMethod = defineFunction(
  'rpcf_add_payment_method',
  0x3101,
  {
    comment: 'user methods get the next id from 100 on; the id given is not used',
    input: [L.int('id', { default: '0' }), L.str('name')],
  },
  async (call, ctx) => {
    const id = await ctx.billing.payments.methods.add(call.args.str('name'));
    ctx.journal(call.principal, call.peer, 'settings', `payment method ${id} '${call.args.str('name')}' added`);
    return {};
  },
);

export const editPaymentMethod = defineFunction(
  'rpcf_edit_payment_method',
  0x3102,
  { comment: 'predefined methods (ids below 100) are not editable', input: [L.int('id'), L.str('name')] },
  async (call, ctx) => {
    const id = call.args.int('id');
    if (id < 100)
      ctx.log
        .child({ component: 'urfa' })
        .warn(`${call.principal.login}: predefined payment method ${id} is not editable`);
    else {
      await ctx.billing.payments.methods.rename(id, call.args.str('name'));
      ctx.journal(call.principal, call.peer, 'settings', `payment method ${id} renamed '${call.args.str('name')}'`);
    }
    return {};
  },
);
