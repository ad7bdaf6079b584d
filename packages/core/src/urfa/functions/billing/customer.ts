// Over ~400 lines: the customer cabinet's user5_* functions with their layouts; one family, kept together for the
// cabinets.
import { L, type CallResult } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type HandlerContext } from '../../core-function';
import { BlockType } from '../../../billing/blocking/block-types';
import { micro, money, percent } from './common';
import { paymentsByAccount } from './payments';

/** Customer functions act on the logged-in customer (call.principal.id is the user id). */

export const user5GetUserInfo = defineFunction(
  'rpcf_user5_get_user_info',
  -0x4052,
  {
    output: [
      L.int('user_id'),
      L.str('login'),
      L.int('basic_account'),
      L.double('balance'),
      L.double('credit'),
      L.int('is_blocked'),
      L.int('create_date'),
      L.int('last_change_date'),
      L.int('who_create'),
      L.int('who_change'),
      L.int('is_juridical'),
      L.str('full_name'),
      L.str('juridical_address'),
      L.str('actual_address'),
      L.str('work_telephone'),
      L.str('home_telephone'),
      L.str('mobile_telephone'),
      L.str('web_page'),
      L.str('icq_number'),
      L.str('tax_number'),
      L.str('kpp_number'),
      L.int('bank_id'),
      L.str('bank_account'),
      L.int('int_status'),
      L.double('vat_rate'),
      L.str('passport'),
      L.double('locked_in_funds'),
      L.str('email'),
    ],
  },
  async (call, ctx) => {
    const b = ctx.billing;
    const u = await b.users.require(call.principal.id);
    const acc = await b.accounts.get(u.basicAccount);
    return {
      user_id: u.id,
      login: u.login,
      basic_account: u.basicAccount,
      balance: money(acc?.balance ?? 0),
      credit: money(acc?.credit ?? 0),
      is_blocked: acc?.blockType ?? 0,
      create_date: u.createDate,
      last_change_date: u.lastChangeDate,
      who_create: u.whoCreate,
      who_change: u.whoChange,
      is_juridical: u.is_juridical,
      full_name: u.full_name,
      juridical_address: u.jur_address,
      actual_address: u.act_address,
      work_telephone: u.work_tel,
      home_telephone: u.home_tel,
      mobile_telephone: u.mob_tel,
      web_page: u.web_page,
      icq_number: u.icq_number,
      tax_number: u.tax_number,
      kpp_number: u.kpp_number,
      bank_id: u.bank_id,
      bank_account: u.bank_account,
      int_status: acc?.intStatus ? 1 : 0,
      vat_rate: percent(acc?.vatRateE6 ?? 0),
      passport: u.passport,
      locked_in_funds: 0,
      email: u.email,
    };
  },
);

export const user5GetAccounts = defineFunction(
  'rpcf_user5_get_accounts',
  -0x4055,
  {
    output: [
      L.int('accounts_size'),
      L.for('i', '0', 'accounts_size', [
        L.int('account_id', { index: 'i' }),
        L.double('balance', { index: 'i' }),
        L.double('credit', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const accs = await ctx.billing.accounts.forUser(call.principal.id);
    return {
      accounts_size: accs.length,
      account_id: accs.map((a) => a.id),
      balance: accs.map((a) => money(a.balance)),
      credit: accs.map((a) => money(a.credit)),
    };
  },
);

/** The cabinet's account overview (5.3): every account of the customer with its Internet and block state. */
export const user5GetAccountsNew = defineFunction(
  'rpcf_user5_get_accounts_new',
  -0x15028,
  {
    output: [
      L.int('accounts_size'),
      L.for('i', '0', 'accounts_size', [
        L.int('account_id', { index: 'i' }),
        L.double('balance', { index: 'i' }),
        L.double('credit', { index: 'i' }),
        L.int('internet_status', { index: 'i' }),
        L.int('block_status', { index: 'i' }),
        L.double('vat_rate', { index: 'i' }),
        L.double('locked_in_funds', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const accs = await ctx.billing.accounts.forUser(call.principal.id);
    return {
      accounts_size: accs.length,
      account_id: accs.map((a) => a.id),
      balance: accs.map((a) => money(a.balance)),
      credit: accs.map((a) => money(a.credit)),
      internet_status: accs.map((a) => (a.intStatus ? 1 : 0)),
      block_status: accs.map((a) => a.blockType),
      vat_rate: accs.map((a) => percent(a.vatRateE6)),
      // Funds are never held back for pending operations in this billing (as rpcf_user5_get_user_info says).
      locked_in_funds: accs.map(() => 0),
    };
  },
);

export const user5ChangeIntStatus = defineFunction(
  'rpcf_user5_change_int_status',
  -0x4007,
  {
    comment: "toggles the Internet of the customer's basic account (an account that is blocked stays off)",
    input: [L.int('deprecated', { default: '0' })],
  },
  async (call, ctx) => {
    const b = ctx.billing;
    const u = await b.users.require(call.principal.id);
    const acc = await b.accounts.get(u.basicAccount);
    if (acc)
      await guarded(
        ctx,
        call,
        'Internet status',
        () => b.accounts.setInternet(actorOf(call), acc.id, !acc.intStatus),
        () => undefined,
      );
    return {};
  },
);

export const user5ChangePassword = defineFunction(
  'rpcf_user5_change_password',
  -0x4021,
  {
    comment: 'result 0 changed, 1 the old password is wrong, 2 the new passwords differ, 3 the new password is empty',
    input: [L.str('old_password'), L.str('new_password'), L.str('new_password_ret')],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const a = call.args;
    const b = ctx.billing;
    const u = await b.users.require(call.principal.id);
    if (b.users.password(u) !== a.str('old_password')) return { result: 1 };
    if (a.str('new_password') !== a.str('new_password_ret')) return { result: 2 };
    if (a.str('new_password') === '') return { result: 3 };
    await b.users.setPassword(actorOf(call), u.id, a.str('new_password'));
    return { result: 0 };
  },
);

export const user5PaymentsReport = defineFunction(
  'rpcf_user5_payments_report',
  -0x4019,
  {
    input: [L.int('time_start'), L.int('time_end')],
    output: [
      L.int('accounts_count'),
      L.for('j', '0', 'accounts_count', [
        L.int('atr_size'),
        L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: 'j' }),
        L.for('i', '0', 'atr_size', [
          L.int('account_id', { index: 'j,i' }),
          L.int('actual_date', { index: 'j,i' }),
          L.int('payment_enter_date', { index: 'j,i' }),
          L.double('payment', { index: 'j,i' }),
          L.double('payment_incurrency', { index: 'j,i' }),
          L.int('currency_id', { index: 'j,i' }),
          L.int('payment_method_id', { index: 'j,i' }),
          L.str('payment_method', { index: 'j,i' }),
          L.str('comment', { index: 'j,i' }),
        ]),
      ]),
    ],
  },
  async (call, ctx) => {
    const r = await paymentsByAccount(ctx, {
      userId: call.principal.id,
      from: call.args.int('time_start'),
      to: call.args.int('time_end'),
    });
    return {
      accounts_count: r.count,
      atr_size_array: r.sizes,
      account_id: r.account_id,
      actual_date: r.actual_date,
      payment_enter_date: r.payment_enter_date,
      payment: r.payment,
      payment_incurrency: r.payment_incurrency,
      currency_id: r.currency_id,
      payment_method_id: r.method,
      payment_method: r.method_name,
      comment: r.comment,
    };
  },
);

export const user5BlocksReport = defineFunction(
  'rpcf_user5_blocks_report',
  -0x4013,
  {
    input: [L.int('time_start'), L.int('time_end')],
    output: [
      L.int('blocks_size'),
      L.for('i', '0', 'blocks_size', [
        L.int('account_id', { index: 'i' }),
        L.int('start_date', { index: 'i' }),
        L.int('expire_date', { index: 'i' }),
        L.int('what_blocked', { index: 'i' }),
        L.int('block_type', { index: 'i' }),
        L.str('comment', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const rows = await ctx.billing.portal.blockHistory(
      call.principal.id,
      call.args.int('time_start'),
      call.args.int('time_end'),
    );
    return {
      blocks_size: rows.length,
      account_id: rows.map((r) => r.accountId),
      start_date: rows.map((r) => r.startDate),
      expire_date: rows.map((r) => r.expireDate),
      what_blocked: rows.map(() => 1),
      block_type: rows.map((r) => r.blockType),
      comment: rows.map((r) => r.comment),
    };
  },
);

// ---- portal: promised payment, transfer funds, voluntary suspension ----

export const user5GetPromisedPayment = defineFunction(
  'rpcf_user5_get_promised_payment',
  -0x15031,
  {
    comment: 'res -1: not available; 0: may be taken now; 1: not now (interval or minimum balance)',
    input: [L.int('account_id', { default: '0' })],
    output: [
      L.int('res'),
      L.if('res', 'ne', '-1', [
        L.int('last_payment_date'),
        L.double('amount'),
        L.int('duration'),
        L.int('interval_duration'),
        L.double('cost'),
        L.double('min_balance'),
        L.int('use_min_balance'),
        L.double('free_balance'),
        L.int('use_free_balance'),
        L.double('balance'),
        L.int('flags'),
      ]),
    ],
  },
  async (call, ctx): Promise<CallResult> => {
    const o = await ctx.billing.portal.promisedOffer(call.principal.id, call.args.int('account_id'));
    if (!o) return { res: -1 };
    const x = o.offer;
    return {
      res: x.refusal ? 1 : 0,
      last_payment_date: x.lastPaymentDate,
      amount: money(x.maxAmount),
      duration: x.durationDays,
      interval_duration: x.intervalDays,
      cost: money(x.cost),
      min_balance: money(x.minBalance),
      use_min_balance: x.useMinBalance,
      free_balance: money(x.freeBalance),
      use_free_balance: x.useFreeBalance,
      balance: money(x.balance),
      flags: x.flags,
    };
  },
);

export const user5SetPromisedPayment = defineFunction(
  'rpcf_user5_set_promised_payment',
  -0x15025,
  {
    comment: 'result 0 done; 1 refused (the core log says why)',
    input: [L.int('account_id', { default: '0' }), L.double('value')],
    output: [L.int('result'), L.if('result', 'ne', '0', [L.error('15', 'promised payment refused')])],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      'promised payment',
      async () => {
        await ctx.billing.portal.takePromised(
          actorOf(call),
          call.principal.id,
          call.args.int('account_id'),
          micro(call.args.double('value')),
        );
        return { result: 0 };
      },
      () => ({ result: 1 }),
    ),
);

export const user5GetFundsFlow = defineFunction(
  'rpcf_user5_get_funds_flow',
  -0x15008,
  {
    comment: 'result 1 when the customer may transfer funds between their accounts',
    input: [L.int('unused', { default: '0' }), L.int('uid', { default: '0' })],
    output: [L.int('result')],
  },
  async (call, ctx) => ({ result: (await ctx.billing.portal.transfers.forUser(call.principal.id)) ? 1 : 0 }),
);

export const user5SetFundsFlow = defineFunction(
  'rpcf_user5_set_funds_flow',
  -0x15007,
  {
    input: [L.int('account_id_from'), L.int('account_id_to'), L.double('amount')],
    output: [L.int('result'), L.if('result', 'ne', '0', [L.error('16', 'transfer refused')])],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      'transfer',
      async () => {
        const a = call.args;
        await ctx.billing.portal.transfer(
          actorOf(call),
          call.principal.id,
          a.int('account_id_from'),
          a.int('account_id_to'),
          micro(a.double('amount')),
        );
        return { result: 0 };
      },
      () => ({ result: 1 }),
    ),
);

export const user5GetFundsFlowReport = defineFunction(
  'rpcf_user5_get_funds_flow_report',
  -0x15009,
  {
    input: [L.int('time_start'), L.int('time_end')],
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.int('account_id_from', { index: 'i' }),
        L.int('account_id_to', { index: 'i' }),
        L.double('amount', { index: 'i' }),
        L.int('date', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const rows = await ctx.billing.portal.transferHistory(
      call.principal.id,
      call.args.int('time_start'),
      call.args.int('time_end'),
    );
    return {
      count: rows.length,
      account_id_from: rows.map((r) => r.accountIdFrom),
      account_id_to: rows.map((r) => r.accountIdTo),
      amount: rows.map((r) => money(r.amount)),
      date: rows.map((r) => r.date),
    };
  },
);

async function suspensionView(ctx: HandlerContext, userId: number, accountId: number): Promise<CallResult> {
  const st = await ctx.billing.portal.suspensionState(userId, accountId);
  if (st.suspended) return { res: 1, block_start: st.start, block_end: st.end, block_self_unlock: st.selfUnlock };
  const s = st.set;
  return {
    res: 0,
    can_set: s && st.blockType === BlockType.NONE ? 1 : 0,
    last_block_start: st.lastStart,
    min_duration: Number(s?.['min_duration'] ?? 0),
    max_duration: Number(s?.['max_duration'] ?? 0),
    interval_duration: Number(s?.['interval_duration'] ?? 0),
    block_type: Number(s?.['block_type'] ?? BlockType.USER),
    min_balance: money(Number(s?.['min_balance'] ?? 0)),
    use_min_balance: Boolean(s?.['use_min_balance']),
    free_balance: money(Number(s?.['free_balance'] ?? 0)),
    use_free_balance: Boolean(s?.['use_free_balance']),
    self_unlock: Boolean(s?.['self_unlock']),
    cost: 0,
    balance: money(st.balance),
  };
}

export const user5GetVoluntaryBlocking = defineFunction(
  'rpcf_user5_get_voluntary_blocking',
  -0x15014,
  {
    input: [L.int('account_id', { default: '0' })],
    output: [
      L.int('res'),
      L.if('res', 'eq', '1', [L.int('block_start'), L.int('block_end'), L.int('block_self_unlock')]),
      L.if('res', 'eq', '0', [
        L.int('can_set'),
        L.int('last_block_start'),
        L.int('min_duration'),
        L.int('max_duration'),
        L.int('interval_duration'),
        L.int('block_type'),
        L.double('min_balance'),
        L.int('use_min_balance'),
        L.double('free_balance'),
        L.int('use_free_balance'),
        L.int('self_unlock'),
        L.double('cost'),
        L.double('balance'),
      ]),
    ],
  },
  (call, ctx) => suspensionView(ctx, call.principal.id, call.args.int('account_id')),
);

export const user5SetVoluntaryBlocking = defineFunction(
  'rpcf_user5_set_voluntary_blocking',
  -0x15015,
  {
    input: [L.int('account_id', { default: '0' }), L.int('block_start'), L.int('block_end')],
    output: [L.int('result'), L.if('result', 'ne', '0', [L.error('17', 'voluntary suspension refused')])],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      'voluntary suspension',
      async () => {
        const a = call.args;
        await ctx.billing.portal.suspend(
          actorOf(call),
          call.principal.id,
          a.int('account_id'),
          a.int('block_start'),
          a.int('block_end'),
        );
        return { result: 0 };
      },
      () => ({ result: 1 }),
    ),
);

export const user5DeleteVoluntaryBlocking = defineFunction(
  'rpcf_user5_delete_voluntary_blocking',
  -0x15016,
  {
    input: [L.int('account_id', { default: '0' })],
    output: [L.int('result'), L.if('result', 'ne', '0', [L.error('17', 'the suspension cannot be ended early')])],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      'end of voluntary suspension',
      async () => {
        await ctx.billing.portal.resume(actorOf(call), call.principal.id, call.args.int('account_id'));
        return { result: 0 };
      },
      () => ({ result: 1 }),
    ),
);
