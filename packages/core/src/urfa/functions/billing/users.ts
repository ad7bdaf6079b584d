// Over ~400 lines: UTM5's user functions with their api.xml layouts, which are long by nature; handlers stay thin.
import { L, type CallArgs } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type HandlerContext } from '../../core-function';
import { BillingError } from '../../../billing/billing-error';
import { percentE6 } from '../../../billing/accounts/account-service';
import type { UserParamDef } from '../../../billing/users/user-params-repo';
import { micro, profileInput, readParams, readProfile, userInfoOutput, userInfoResult, USER_NOT_FOUND } from './common';

/** Refusal codes users see in error_code (with error_description), as UTM5's add/edit functions report them. */
function errorCode(err: Error): number {
  const code = err instanceof BillingError ? err.code : '';
  return code === 'UTM_LOGIN_TAKEN' ? 1 : code === 'UTM_BAD_INPUT' ? 2 : code === 'UTM_NO_USER' ? 3 : 9;
}

export const addUserNew = defineFunction(
  'rpcf_add_user_new',
  0x2125,
  {
    input: [
      L.str('login'),
      L.str('password'),
      ...profileInput({ switchAndCurrency: true }),
      L.int('groups_count', { default: 'size(groups)' }),
      L.for('i', '0', 'groups_count', [L.int('groups', { index: 'i' })]),
      L.int('is_blocked', { default: '0' }),
      L.double('balance', { default: '0.0' }),
      L.double('credit', { default: '0.0' }),
      L.double('vat_rate', { default: '0.0' }),
      L.double('sale_tax_rate', { default: '0.0' }),
      L.int('int_status', { default: '1' }),
    ],
    output: [
      L.int('user_id'),
      L.if('user_id', 'eq', '0', [L.int('error_code'), L.str('error_description')]),
      L.if('user_id', 'ne', '0', [L.int('basic_account')]),
      L.if('user_id', 'eq', '0', [L.error('10', 'unable to add the user:', 'error_description')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const b = ctx.billing;
    return guarded<Record<string, string | number>>(
      ctx,
      call,
      `add user '${a.str('login')}'`,
      async () => {
        const r = await b.users.add(actorOf(call), {
          login: a.str('login'),
          password: a.str('password'),
          profile: readProfile(a, b.systemCurrency, true),
          params: readParams(a),
          groups: a.ints('groups'),
          dealerId: call.principal.kind === 'dealer' ? call.principal.id : null,
          account: {
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
        });
        return { user_id: r.userId, basic_account: r.accountId };
      },
      (err) => ({ user_id: 0, error_code: errorCode(err), error_description: err.message }),
    );
  },
);

export const editUserNew = defineFunction(
  'rpcf_edit_user_new',
  0x2126,
  {
    input: [L.int('user_id'), L.str('login'), L.str('password'), ...profileInput({ switchAndCurrency: true })],
    output: [
      L.int('user_id'),
      L.if('user_id', 'eq', '0', [L.int('error_code'), L.str('error_description')]),
      L.if('user_id', 'eq', '0', [L.error('10', 'unable to change the user:', 'error_description')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const b = ctx.billing;
    const id = a.int('user_id');
    return guarded<Record<string, string | number>>(
      ctx,
      call,
      `edit user ${id}`,
      async () => {
        await b.users.edit(
          actorOf(call),
          id,
          a.str('login'),
          a.str('password'),
          readProfile(a, b.systemCurrency, true),
          readParams(a),
        );
        return { user_id: id };
      },
      (err) => ({ user_id: 0, error_code: errorCode(err), error_description: err.message }),
    );
  },
);

export const getUserinfo = defineFunction(
  'rpcf_get_userinfo',
  0x2006,
  {
    input: [L.int('user_id')],
    output: userInfoOutput('parameter_id'),
  },
  async (call, ctx) => {
    const b = ctx.billing;
    const u = await b.users.get(call.args.int('user_id'));
    if (!u) return USER_NOT_FOUND;
    return userInfoResult(
      u,
      b.users.password(u),
      await b.accounts.forUser(u.id),
      await b.users.params(u.id),
      'parameter_id',
    );
  },
);

export const removeUser = defineFunction(
  'rpcf_remove_user',
  0x200e,
  {
    input: [L.int('user_id')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('10', 'unable to remove the user (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('user_id');
    return guarded(
      ctx,
      call,
      `remove user ${id}`,
      async () => {
        await ctx.billing.users.remove(actorOf(call), id);
        return { result: 0 };
      },
      () => ({ result: 1 }),
    );
  },
);

/** The rows of rpcf_get_users_list and rpcf_dealer_get_users_list (IP groups arrive with IP traffic links). */
export const USERS_LIST_OUTPUT = [
  L.int('cnt'),
  L.for('i', '0', 'cnt', [
    L.int('user_id_array', { index: 'i' }),
    L.str('login_array', { index: 'i' }),
    L.int('basic_account', { index: 'i' }),
    L.str('full_name', { index: 'i' }),
    L.int('is_blocked', { index: 'i' }),
    L.double('balance', { index: 'i' }),
    L.int('ip_adr_size'),
    L.set({ dst: 'ip_adr_size_array', src: 'ip_adr_size', dstIndex: 'i' }),
    L.for('j', '0', 'ip_adr_size', [
      L.int('group_size'),
      L.set({ dst: 'group_size_array', src: 'group_size', dstIndex: 'i,j' }),
      L.for('x', '0', 'group_size', [
        L.ip('ip_address', { index: 'i,j,x' }),
        L.int('mask', { index: 'i,j,x' }),
        L.int('group_type', { index: 'i,j,x' }),
      ]),
    ]),
    L.int('user_int_status', { index: 'i' }),
  ]),
];

export const getUsersList = defineFunction(
  'rpcf_get_users_list',
  0x2044,
  {
    input: [L.int('from'), L.int('to'), L.int('card_user', { default: '0' })],
    output: USERS_LIST_OUTPUT,
  },
  async (call, ctx) => {
    const b = ctx.billing;
    const users = await b.users.list({
      from: call.args.int('from'),
      to: call.args.int('to'),
      cardUsers: call.args.int('card_user') !== 0 ? true : undefined,
    });
    return usersListResult(ctx, users);
  },
);

/** The per-user rows of rpcf_get_users_list and the dealer's variant. IP groups arrive with IP traffic links. */
export async function usersListResult(
  ctx: Pick<HandlerContext, 'billing'>,
  users: { id: number; login: string; basicAccount: number; full_name: string }[],
) {
  const b = ctx.billing;
  const accts = await Promise.all(users.map((u) => b.accounts.get(u.basicAccount)));
  return {
    cnt: users.length,
    user_id_array: users.map((u) => u.id),
    login_array: users.map((u) => u.login),
    basic_account: users.map((u) => u.basicAccount),
    full_name: users.map((u) => u.full_name),
    is_blocked: accts.map((a) => a?.blockType ?? 0),
    balance: accts.map((a) => (a ? a.balance / 1e6 : 0)),
    ip_adr_size_array: users.map(() => 0),
    user_int_status: accts.map((a) => (a?.intStatus ? 1 : 0)),
  };
}

export const searchUsersLite = defineFunction(
  'rpcf_search_users_lite',
  0x1202,
  {
    input: [L.str('login'), L.str('email'), L.str('fname')],
    output: [
      L.int('success'),
      L.int('total'),
      L.int('show_count'),
      L.if('show_count', 'ne', '0', [
        L.for('i', '0', 'show_count', [
          L.int('id', { index: 'i' }),
          L.str('login', { index: 'i' }),
          L.str('email', { index: 'i' }),
          L.str('name', { index: 'i' }),
        ]),
      ]),
    ],
  },
  async (call, ctx) => {
    const rows = await ctx.billing.users.search({
      login: call.args.str('login'),
      email: call.args.str('email'),
      fullName: call.args.str('fname'),
    });
    const max = ctx.params.int('search_users_lite_max');
    const shown = rows.slice(0, max);
    return {
      success: 1,
      total: rows.length,
      show_count: shown.length,
      id: shown.map((r) => r.id),
      login: shown.map((r) => r.login),
      email: shown.map((r) => r.email),
      name: shown.map((r) => r.fullName),
    };
  },
);

export const getUserByAccount = defineFunction(
  'rpcf_get_user_by_account',
  0x2026,
  {
    input: [L.int('account_id')],
    output: [L.int('user_id'), L.if('user_id', 'eq', '0', [L.error('19', 'No such account linked with user')])],
  },
  async (call, ctx) => {
    const a = await ctx.billing.accounts.get(call.args.int('account_id'));
    return { user_id: a?.userId ?? 0 };
  },
);

export const getUserContacts = defineFunction(
  'rpcf_get_user_contacts',
  0x2021,
  {
    input: [L.int('user_id')],
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.int('id', { index: 'i' }),
        L.str('person', { index: 'i' }),
        L.str('descr', { index: 'i' }),
        L.str('contact', { index: 'i' }),
        L.str('email', { index: 'i' }),
        L.int('email_notify', { index: 'i' }),
        L.str('short_name', { index: 'i' }),
        L.str('birthday', { index: 'i' }),
        L.int('id_exec_man', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const rows = await ctx.billing.users.contacts(call.args.int('user_id'));
    return {
      size: rows.length,
      id: rows.map((r) => r.id),
      person: rows.map((r) => r.person),
      descr: rows.map((r) => r.descr),
      contact: rows.map((r) => r.contact),
      email: rows.map((r) => r.email),
      email_notify: rows.map((r) => (r.emailNotify ? 1 : 0)),
      short_name: rows.map((r) => r.shortName),
      birthday: rows.map((r) => r.birthday),
      id_exec_man: rows.map((r) => r.execManagerId),
    };
  },
);

export const addUserContact = defineFunction(
  'utm5ts_add_user_contact',
  0x60000060,
  {
    comment: 'UTM5-TS extension: add an additional contact (manager, accountant ...) to a user',
    input: [
      L.int('user_id'),
      L.str('person'),
      L.str('descr', { default: '' }),
      L.str('contact', { default: '' }),
      L.str('email', { default: '' }),
      L.int('email_notify', { default: '0' }),
      L.str('short_name', { default: '' }),
      L.str('birthday', { default: '' }),
      L.int('id_exec_man', { default: '0' }),
    ],
    output: [L.int('id'), L.if('id', 'eq', '0', [L.error('10', 'user not found')])],
  },
  async (call, ctx) => {
    const a = call.args;
    const u = await ctx.billing.users.get(a.int('user_id'));
    if (!u) return { id: 0 };
    const id = await ctx.billing.users.addContact(actorOf(call), u.id, {
      person: a.str('person'),
      descr: a.str('descr'),
      contact: a.str('contact'),
      email: a.str('email'),
      emailNotify: a.int('email_notify') !== 0,
      shortName: a.str('short_name'),
      birthday: a.str('birthday'),
      execManagerId: a.int('id_exec_man'),
    });
    return { id };
  },
);

export const delUserContact = defineFunction(
  'rpcf_del_user_contact',
  0x2023,
  { input: [L.int('id')] },
  async (call, ctx) => {
    await ctx.billing.users.removeContact(actorOf(call), call.args.int('id'));
    return {};
  },
);

export const getUaparamList = defineFunction(
  'rpcf_get_uaparam_list',
  0x440b,
  {
    output: [
      L.int('uparam_size'),
      L.for('i', '0', 'uparam_size', [
        L.int('id', { index: 'i' }),
        L.str('name', { index: 'i' }),
        L.str('display_name', { index: 'i' }),
        L.int('visible', { index: 'i' }),
      ]),
    ],
  },
  async (_c, ctx) => {
    const rows = await ctx.billing.users.paramDefinitions();
    return {
      uparam_size: rows.length,
      id: rows.map((r) => r.id),
      name: rows.map((r) => r.name),
      display_name: rows.map((r) => r.displayName),
      visible: rows.map((r) => (r.visible ? 1 : 0)),
    };
  },
);

const uaparamInput = [L.int('id'), L.str('name'), L.str('display_name'), L.int('visible')];

function readUaparam(a: CallArgs): UserParamDef {
  return { id: a.int('id'), name: a.str('name'), displayName: a.str('display_name'), visible: a.int('visible') !== 0 };
}

export const addUaparam = defineFunction('rpcf_add_uaparam', 0x440c, { input: uaparamInput }, async (call, ctx) => {
  await guarded(
    ctx,
    call,
    'add user parameter',
    () => ctx.billing.users.addParamDefinition(readUaparam(call.args)),
    () => undefined,
  );
  return {};
});

export const editUaparam = defineFunction('rpcf_edit_uaparam', 0x440e, { input: uaparamInput }, async (call, ctx) => {
  await ctx.billing.users.editParamDefinition(readUaparam(call.args));
  return {};
});

export const delUaparam = defineFunction(
  'rpcf_del_uaparam',
  0x440d,
  { input: [L.int('uaparam_id')] },
  async (call, ctx) => {
    await ctx.billing.users.removeParamDefinition(call.args.int('uaparam_id'));
    return {};
  },
);

export const getUserLog = defineFunction(
  'rpcf_get_user_log',
  0x2136,
  {
    input: [L.int('user_id'), L.int('tstart'), L.int('tstop'), L.int('group_id'), L.int('action')],
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.int('user_id', { index: 'i' }),
        L.str('ud_login', { index: 'i' }),
        L.int('who', { index: 'i' }),
        L.str('usd_login', { index: 'i' }),
        L.int('date', { index: 'i' }),
        L.int('action', { index: 'i' }),
        L.str('want', { index: 'i' }),
        L.str('comment', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const rows = await ctx.billing.auditLog.entries({
      from: a.int('tstart'),
      to: a.int('tstop'),
      userId: a.int('user_id'),
      actionCode: a.int('action'),
      groupId: a.int('group_id'),
    });
    return {
      size: rows.length,
      user_id: rows.map((r) => r.userId),
      ud_login: rows.map((r) => r.userLogin),
      who: rows.map((r) => r.actorId),
      usd_login: rows.map((r) => r.actorLogin),
      date: rows.map((r) => r.ts),
      action: rows.map((r) => r.actionCode),
      want: rows.map((r) => r.action),
      comment: rows.map((r) => r.details),
    };
  },
);

export const addUserLog = defineFunction(
  'rpcf_add_user_log',
  0x1510c,
  {
    input: [L.int('user_id'), L.int('what', { default: '0' }), L.str('comment')],
  },
  async (call, ctx) => {
    const a = call.args;
    await ctx.billing.users.addComment(actorOf(call), a.int('user_id'), a.int('what'), a.str('comment'));
    return {};
  },
);
