// Over ~400 lines: UTM5's dealer functions with their api.xml layouts, which are long by nature; handlers stay thin.
import { L, type CallArgs, type UrfaCall } from '@utm5/protocol';
import type { Principal } from '../../../system-users/principal';
import { actorOf, defineFunction, guarded, type HandlerContext } from '../../core-function';
import { DEALER_TEXT_FIELDS, type DealerInput } from '../../../billing/dealers/dealer-service';
import { percentE6 } from '../../../billing/accounts/account-service';
import {
  micro,
  money,
  percent,
  profileInput,
  readParams,
  readProfile,
  userInfoOutput,
  userInfoResult,
  USER_NOT_FOUND,
} from './common';
import { getPaymentMethodsList, paymentRequest, paymentsByAccount } from './payments';
import { USERS_LIST_OUTPUT, usersListResult } from './users';

const dealerInput = [
  L.str('login'),
  L.str('password'),
  L.ip('ip4_address', { default: '0.0.0.0' }),
  L.int('mask4', { default: '32' }),
  L.ip('ip6_address', { default: '::0' }),
  L.int('mask6', { default: '128' }),
  ...DEALER_TEXT_FIELDS.map((f) => L.str(f, { default: '' })),
  L.int('groups_count', { default: 'size(group_id)' }),
  L.for('i', '0', 'groups_count', [L.int('group_id', { index: 'i' })]),
];

function readDealer(a: CallArgs): DealerInput {
  return {
    login: a.str('login'),
    password: a.str('password'),
    ip4: a.ip('ip4_address'),
    mask4: a.int('mask4'),
    ip6: a.ip('ip6_address'),
    mask6: a.int('mask6'),
    fields: Object.fromEntries(DEALER_TEXT_FIELDS.map((f) => [f, a.str(f)])) as DealerInput['fields'],
    groups: a.ints('group_id'),
  };
}

export const addDealer = defineFunction(
  'rpcf_add_dealer',
  0x13001,
  {
    input: dealerInput,
    output: [
      L.int('dealer_id'),
      L.if('dealer_id', 'eq', '0', [L.error('10', 'error adding dealer. look debug.log for details')]),
    ],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      'add dealer',
      async () => ({ dealer_id: await ctx.billing.dealers.add(actorOf(call), readDealer(call.args)) }),
      () => ({ dealer_id: 0 }),
    ),
);

export const editDealer = defineFunction(
  'rpcf_edit_dealer',
  0x13002,
  {
    input: [L.int('dealer_id'), ...dealerInput],
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('10', 'error adding dealer. look debug.log for details')]),
    ],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      'edit dealer',
      async () => {
        await ctx.billing.dealers.edit(actorOf(call), call.args.int('dealer_id'), readDealer(call.args));
        return { result: 1 };
      },
      () => ({ result: 0 }),
    ),
);

export const deleteDealer = defineFunction(
  'rpcf_delete_dealer',
  0x13003,
  {
    input: [L.int('dealer_id')],
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('10', 'error deleting dealer. look debug.log for details')]),
    ],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      'delete dealer',
      async () => {
        await ctx.billing.dealers.remove(actorOf(call), call.args.int('dealer_id'));
        return { result: 1 };
      },
      () => ({ result: 0 }),
    ),
);

export const getDealerInfo = defineFunction(
  'rpcf_get_dealer_info',
  0x13004,
  {
    input: [L.int('dealer_id')],
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('10', 'error getting dealer info. look debug.log for details')]),
      L.str('login'),
      L.str('password'),
      L.ip('ip4_address'),
      L.int('mask4'),
      L.ip('ip6_address'),
      L.int('mask6'),
      ...DEALER_TEXT_FIELDS.map((f) => L.str(f)),
      L.int('who_create'),
      L.int('who_change'),
      L.int('create_date'),
      L.int('change_date'),
      L.int('groups_count'),
      L.for('i', '0', 'groups_count', [L.int('group_id', { index: 'i' }), L.str('group_name', { index: 'i' })]),
    ],
  },
  async (call, ctx) => {
    const d = await ctx.billing.dealers.get(call.args.int('dealer_id'));
    if (!d) return { result: 0 };
    const names = new Map((await ctx.billing.groups.list()).map((g) => [g.id, g.name]));
    return {
      result: 1,
      login: d.login,
      password: d.password,
      ip4_address: d.ip4,
      mask4: d.mask4,
      ip6_address: d.ip6,
      mask6: d.mask6,
      ...d.fields,
      who_create: d.whoCreate,
      who_change: d.whoChange,
      create_date: d.createDate,
      change_date: d.changeDate,
      groups_count: d.groups.length,
      group_id: d.groups,
      group_name: d.groups.map((g) => names.get(g) ?? ''),
    };
  },
);

export const getDealersList = defineFunction(
  'rpcf_get_dealers_list',
  0x13019,
  {
    output: [
      L.int('dealers_count'),
      L.for('i', '0', 'dealers_count', [
        L.int('dealer_id_array', { index: 'i' }),
        L.str('login_array', { index: 'i' }),
        L.str('full_name_array', { index: 'i' }),
        L.ip('ip4_array', { index: 'i' }),
        L.int('mask4_array', { index: 'i' }),
        L.ip('ip6_array', { index: 'i' }),
        L.int('mask6_array', { index: 'i' }),
      ]),
    ],
  },
  async (_c, ctx) => {
    const l = await ctx.billing.dealers.list();
    return {
      dealers_count: l.length,
      dealer_id_array: l.map((d) => d.id),
      login_array: l.map((d) => d.login),
      full_name_array: l.map((d) => d.fields.full_name),
      ip4_array: l.map((d) => d.ip4),
      mask4_array: l.map((d) => d.mask4),
      ip6_array: l.map((d) => d.ip6),
      mask6_array: l.map((d) => d.mask6),
    };
  },
);

// ---- what a dealer may do, only to their own users ----

async function ownUser(ctx: HandlerContext, call: UrfaCall<Principal>, userId: number): Promise<boolean> {
  const mine = await ctx.billing.dealers.owns(call.principal.id, userId);
  if (!mine)
    ctx.journal(
      call.principal,
      call.peer,
      'dealer_refused',
      `dealer '${call.principal.login}' touched user ${userId} of another dealer`,
      userId,
    );
  return mine;
}

async function ownAccount(ctx: HandlerContext, call: UrfaCall<Principal>, accountId: number): Promise<boolean> {
  const mine = await ctx.billing.dealers.ownsAccount(call.principal.id, accountId);
  if (!mine)
    ctx.journal(
      call.principal,
      call.peer,
      'dealer_refused',
      `dealer '${call.principal.login}' touched account ${accountId} of another dealer`,
    );
  return mine;
}

export const dealerAddUser = defineFunction(
  'rpcf_dealer_add_user',
  0x70000001,
  {
    input: [L.str('login'), L.str('password'), ...profileInput({ switchAndCurrency: false })],
    output: [
      L.int('user_id'),
      L.if('user_id', 'ne', '0', [L.int('account_id')]),
      L.if('user_id', 'eq', '0', [L.error('10', 'unable to add the user (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const b = ctx.billing;
    return guarded<Record<string, number>>(
      ctx,
      call,
      `dealer adds user '${a.str('login')}'`,
      async () => {
        const r = await b.users.add(actorOf(call), {
          login: a.str('login'),
          password: a.str('password'),
          profile: readProfile(a, b.systemCurrency, false),
          params: readParams(a),
          groups: [],
          dealerId: call.principal.id,
          account: {
            balance: 0,
            credit: 0,
            vatRateE6: 0,
            saleTaxRateE6: 0,
            intStatus: true,
            unlimited: false,
            autoEnableInet: true,
            externalId: '',
            isBlocked: 0,
          },
        });
        return { user_id: r.userId, account_id: r.accountId };
      },
      () => ({ user_id: 0 }),
    );
  },
);

export const dealerEditUser = defineFunction(
  'rpcf_dealer_edit_user',
  0x70000002,
  {
    input: [L.int('user_id'), L.str('login'), L.str('password'), ...profileInput({ switchAndCurrency: false })],
    output: [
      L.int('user_id'),
      L.if('user_id', 'eq', '0', [L.error('10', 'user not found or you dont have enough privileges')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('user_id');
    if (!(await ownUser(ctx, call, id))) return { user_id: 0 };
    const u = await ctx.billing.users.require(id);
    return guarded(
      ctx,
      call,
      `dealer edits user ${id}`,
      async () => {
        await ctx.billing.users.edit(
          actorOf(call),
          id,
          a.str('login'),
          a.str('password'),
          readProfile(a, u.currency_id, false),
          readParams(a),
        );
        return { user_id: id };
      },
      () => ({ user_id: 0 }),
    );
  },
);

export const dealerDeleteUser = defineFunction(
  'rpcf_dealer_delete_user',
  0x70000003,
  {
    input: [L.int('user_id')],
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('10', 'user not found or you dont have enough privileges')]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('user_id');
    if (!(await ownUser(ctx, call, id))) return { result: 0 };
    return guarded(
      ctx,
      call,
      `dealer removes user ${id}`,
      async () => {
        await ctx.billing.users.remove(actorOf(call), id);
        return { result: 1 };
      },
      () => ({ result: 0 }),
    );
  },
);

export const dealerGetUsersList = defineFunction(
  'rpcf_dealer_get_users_list',
  0x70000056,
  {
    input: [L.int('from', { default: '0' }), L.int('to', { default: '-1' })],
    output: USERS_LIST_OUTPUT,
  },
  async (call, ctx) =>
    usersListResult(
      ctx,
      await ctx.billing.users.list({
        dealerId: call.principal.id,
        from: call.args.int('from'),
        to: call.args.int('to'),
      }),
    ),
);

export const dealerGetUserInfo = defineFunction(
  'rpcf_dealer_get_user_info',
  0x70000005,
  {
    input: [L.int('user_id')],
    output: userInfoOutput('parameted_id'),
  },
  async (call, ctx) => {
    const id = call.args.int('user_id');
    if (!(await ownUser(ctx, call, id))) return USER_NOT_FOUND;
    const b = ctx.billing;
    const u = await b.users.require(id);
    return userInfoResult(
      u,
      b.users.password(u),
      await b.accounts.forUser(id),
      await b.users.params(id),
      'parameted_id',
    );
  },
);

export const dealerGetGroupsForUser = defineFunction(
  'rpcf_dealer_get_groups_for_user',
  0x70000006,
  {
    input: [L.int('user_id')],
    output: [
      L.int('groups_size'),
      L.if('groups_size', 'eq', '0', [L.error('10', 'user has no groups or you dont have enough privileges')]),
      L.for('i', '0', 'groups_size', [L.int('group_id', { index: 'i' }), L.str('group_name', { index: 'i' })]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('user_id');
    const g = (await ownUser(ctx, call, id)) ? await ctx.billing.users.groupsOf(id) : [];
    return { groups_size: g.length, group_id: g.map((x) => x.id), group_name: g.map((x) => x.name) };
  },
);

export const dealerGetUserAccountList = defineFunction(
  'rpcf_dealer_get_user_account_list',
  0x70000008,
  {
    input: [L.int('user_id')],
    output: [
      L.int('accounts_count'),
      L.if('accounts_count', 'eq', '0', [L.error('10', 'user has no accounts or you dont have enough privileges')]),
      L.for('i', '0', 'accounts_count', [L.int('account', { index: 'i' }), L.str('account_name', { index: 'i' })]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('user_id');
    const accs = (await ownUser(ctx, call, id)) ? await ctx.billing.accounts.forUser(id) : [];
    return {
      accounts_count: accs.length,
      account: accs.map((a) => a.id),
      account_name: accs.map((a) => `account ${a.id}`),
    };
  },
);

export const dealerGetAccountInfo = defineFunction(
  'rpcf_dealer_get_account_info',
  0x70000013,
  {
    input: [L.int('account_id')],
    output: [
      L.int('account_id'),
      L.if('account_id', 'eq', '0', [L.error('11', ' account not found or you dont have enough privileges')]),
      L.int('discount_period_id'),
      L.int('is_blocked'),
      L.double('vat_rate'),
      L.double('sale_tax_rate'),
      L.double('comission_coefficient'),
      L.double('default_comission_value'),
      L.double('credit'),
      L.double('balance'),
      L.int('int_status'),
      L.int('block_recalc_abon'),
      L.int('block_recalc_prepaid'),
      L.int('unlimited'),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('account_id');
    if (!(await ownAccount(ctx, call, id))) return { account_id: 0 };
    const a = await ctx.billing.accounts.require(id);
    return {
      account_id: a.id,
      discount_period_id: 0,
      is_blocked: a.blockType,
      vat_rate: percent(a.vatRateE6),
      sale_tax_rate: percent(a.saleTaxRateE6),
      comission_coefficient: 0,
      default_comission_value: 0,
      credit: money(a.credit),
      balance: money(a.balance),
      int_status: a.intStatus,
      block_recalc_abon: 0,
      block_recalc_prepaid: 0,
      unlimited: a.unlimited,
    };
  },
);

export const dealerBlockAccount = defineFunction(
  'rpcf_dealer_block_account',
  0x70000014,
  {
    input: [L.int('account_id'), L.int('is_blocked')],
    output: [
      L.int('aid'),
      L.if('aid', 'eq', '0', [L.error('11', 'account not found or you dont have enough privileges')]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('account_id');
    if (!(await ownAccount(ctx, call, id))) return { aid: 0 };
    return guarded(
      ctx,
      call,
      `dealer blocks account ${id}`,
      async () => {
        await ctx.billing.accounts.setAdminBlock(actorOf(call), id, call.args.int('is_blocked') !== 0);
        return { aid: id };
      },
      () => ({ aid: 0 }),
    );
  },
);

export const dealerAddAccount = defineFunction(
  'rpcf_dealer_add_account',
  0x70000011,
  {
    input: [
      L.int('user_id'),
      L.int('is_basic', { default: '1' }),
      L.int('is_blocked', { default: '0' }),
      L.str('account_name', { default: 'auto create account' }),
      L.double('balance', { default: '0.0' }),
      L.double('credit', { default: '0.0' }),
      L.int('discount_period_id', { default: '0' }),
      L.int('dealer_account_id', { default: '0' }),
      L.double('comission_coefficient', { default: '0.0' }),
      L.double('default_comission_value', { default: '0.0' }),
      L.int('is_dealer', { default: '0' }),
      L.double('vat_rate', { default: '0.0' }),
      L.double('sale_tax_rate', { default: '0.0' }),
      L.int('int_status', { default: '1' }),
    ],
    output: [
      L.int('account_id'),
      L.if('account_id', 'eq', '0', [L.error('11', 'unable to add account or you dont have enough privileges')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const userId = a.int('user_id');
    if (!(await ownUser(ctx, call, userId))) return { account_id: 0 };
    return guarded(
      ctx,
      call,
      `dealer adds account for user ${userId}`,
      async () => {
        // The dealer variant leaves the user's basic account as it is, whatever is_basic says.
        const id = await ctx.billing.users.addAccount(
          actorOf(call),
          userId,
          {
            balance: micro(a.double('balance')),
            credit: micro(a.double('credit')),
            vatRateE6: percentE6(a.double('vat_rate')),
            saleTaxRateE6: percentE6(a.double('sale_tax_rate')),
            intStatus: a.int('int_status') !== 0,
            unlimited: false,
            autoEnableInet: true,
            externalId: '',
            isBlocked: a.int('is_blocked'),
          },
          false,
        );
        return { account_id: id };
      },
      () => ({ account_id: 0 }),
    );
  },
);

export const dealerAddPaymentForAccount = defineFunction(
  'rpcf_dealer_add_payment_for_account',
  0x70000016,
  {
    input: [
      L.int('account_id'),
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
    ],
    output: [
      L.int('payment_transaction_id'),
      L.if('payment_transaction_id', 'eq', '0', [L.error('13', 'payment failed')]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('account_id');
    if (!(await ownAccount(ctx, call, id))) return { payment_transaction_id: 0 };
    return guarded(
      ctx,
      call,
      `dealer payment to account ${id}`,
      async () => ({
        payment_transaction_id: (await ctx.billing.payments.add(actorOf(call), paymentRequest(call.args))).id,
      }),
      () => ({ payment_transaction_id: 0 }),
    );
  },
);

export const dealerGetPaymentMethodsList = defineFunction(
  'rpcf_dealer_get_payment_methods_list',
  0x70000019,
  { output: getPaymentMethodsList.schema.output },
  (call, ctx) => getPaymentMethodsList.handler(call, ctx),
);

export const dealerPaymentsReport = defineFunction(
  'rpcf_dealer_payments_report',
  0x70000038,
  {
    input: [
      L.int('user_id', { default: '0' }),
      L.int('account_id', { default: '0' }),
      L.int('group_id', { default: '0' }),
      L.int('apid', { default: '0' }),
      L.int('time_start'),
      L.int('time_end', { default: 'now()' }),
    ],
    output: [
      L.int('accounts_count'),
      L.for('j', '0', 'accounts_count', [
        L.int('atr_size'),
        L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: 'j' }),
        L.for(
          'i',
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
          ].map((n) =>
            ['login', 'admin_comment', 'payment_ext_number'].includes(n)
              ? L.str(n, { index: 'j,i' })
              : ['payment', 'payment_incurrency'].includes(n)
                ? L.double(n, { index: 'j,i' })
                : L.int(n, { index: 'j,i' }),
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
      dealerId: call.principal.id,
      from: a.int('time_start'),
      to: a.int('time_end'),
    });
    return { accounts_count: r.count, atr_size_array: r.sizes, ...r };
  },
);
