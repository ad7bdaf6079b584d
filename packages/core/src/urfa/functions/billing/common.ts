import { moneyFromDouble, moneyToDouble } from '@utm5/common';
import { L, type CallArgs, type LayoutNode } from '@utm5/protocol';
import {
  USER_INT_FIELDS,
  USER_TEXT_FIELDS,
  emptyProfile,
  type UserProfile,
  type UserRecord,
} from '../../../billing/users/user-profile';
import type { AccountRecord } from '../../../billing/accounts/account-service';

export const money = moneyToDouble;
export const micro = moneyFromDouble;

/** A percent held as micro-percent, as a URFA double. */
export const percent = (e6: number): number => e6 / 1e6;

/**
 * The profile part of rpcf_add_user_new / rpcf_edit_user_new / rpcf_dealer_add_user, in UTM5's order; the wire
 * name binded_currency_id is the profile's currency_id. Declared once and shared by all of them.
 */
const PROFILE_WIRE: readonly (readonly [string, 'str' | 'int'])[] = [
  ['full_name', 'str'],
  ['is_juridical', 'int'],
  ['jur_address', 'str'],
  ['act_address', 'str'],
  ['flat_number', 'str'],
  ['entrance', 'str'],
  ['floor', 'str'],
  ['district', 'str'],
  ['building', 'str'],
  ['passport', 'str'],
  ['house_id', 'int'],
  ['work_tel', 'str'],
  ['home_tel', 'str'],
  ['mob_tel', 'str'],
  ['web_page', 'str'],
  ['icq_number', 'str'],
  ['tax_number', 'str'],
  ['kpp_number', 'str'],
  ['email', 'str'],
  ['bank_id', 'int'],
  ['bank_account', 'str'],
  ['comments', 'str'],
  ['personal_manager', 'str'],
  ['connect_date', 'int'],
  ['is_send_invoice', 'int'],
  ['advance_payment', 'int'],
];

export function profileInput(opts: { switchAndCurrency: boolean }): LayoutNode[] {
  const nodes: LayoutNode[] = PROFILE_WIRE.map(([n, t]) =>
    t === 'str' ? L.str(n, { default: '' }) : L.int(n, { default: '0' }),
  );
  if (opts.switchAndCurrency) {
    nodes.push(
      L.int('switch_id', { default: '0' }),
      L.int('port_number', { default: '0' }),
      L.int('binded_currency_id', { default: '810' }),
    );
  }
  // The reference counts this loop with size(parameter_value), which only a client can evaluate; parameters_count
  // (defaulted to that size) is the same on the wire.
  nodes.push(
    L.int('parameters_count', { default: 'size(parameter_value)' }),
    L.for('i', '0', 'parameters_count', [
      L.int('parameter_id', { index: 'i' }),
      L.str('parameter_value', { index: 'i' }),
    ]),
  );
  return nodes;
}

export function readProfile(a: CallArgs, currency: number, hasSwitch: boolean): UserProfile {
  const p = emptyProfile(currency) as Record<string, string | number>;
  for (const [n, t] of PROFILE_WIRE) p[n] = t === 'str' ? a.str(n) : a.int(n);
  if (hasSwitch) {
    p['switch_id'] = a.int('switch_id');
    p['port_number'] = a.int('port_number');
    p['currency_id'] = a.int('binded_currency_id');
  }
  return p as unknown as UserProfile;
}

export function readParams(a: CallArgs): { id: number; value: string }[] {
  const n = a.int('parameters_count');
  return Array.from({ length: n }, (_, i) => ({ id: a.int('parameter_id', i), value: a.str('parameter_value', i) }));
}

/** rpcf_get_userinfo's output layout after user_id and the accounts, shared with the dealer's variant. */
export function userInfoOutput(paramName: string): LayoutNode[] {
  return [
    L.int('user_id'),
    L.if('user_id', 'eq', '0', [L.error('10', 'user not found')]),
    L.int('accounts_count'),
    L.for('i', '0', 'accounts_count', [
      L.int('account_id_array', { index: 'i' }),
      L.str('account_name_array', { index: 'i' }),
    ]),
    L.str('login'),
    L.str('password'),
    L.int('basic_account'),
    L.str('full_name'),
    L.int('create_date'),
    L.int('last_change_date'),
    L.int('who_create'),
    L.int('who_change'),
    L.int('is_juridical'),
    L.str('jur_address'),
    L.str('act_address'),
    L.str('work_tel'),
    L.str('home_tel'),
    L.str('mob_tel'),
    L.str('web_page'),
    L.str('icq_number'),
    L.str('tax_number'),
    L.str('kpp_number'),
    L.int('bank_id'),
    L.str('bank_account'),
    L.str('comments'),
    L.str('personal_manager'),
    L.int('connect_date'),
    L.str('email'),
    L.int('is_send_invoice'),
    L.int('advance_payment'),
    L.int('house_id'),
    L.str('flat_number'),
    L.str('entrance'),
    L.str('floor'),
    L.str('district'),
    L.str('building'),
    L.str('passport'),
    L.int('parameters_size'),
    L.for('i', '0', 'parameters_size', [L.int(paramName, { index: 'i' }), L.str('parameter_value', { index: 'i' })]),
  ];
}

export function userInfoResult(
  u: UserRecord,
  password: string,
  accounts: AccountRecord[],
  params: { id: number; value: string }[],
  paramName: string,
) {
  const out: Record<string, string | number | (string | number)[]> = {
    user_id: u.id,
    accounts_count: accounts.length,
    account_id_array: accounts.map((a) => a.id),
    account_name_array: accounts.map((a) => `account ${a.id}`),
    login: u.login,
    password,
    basic_account: u.basicAccount,
    create_date: u.createDate,
    last_change_date: u.lastChangeDate,
    who_create: u.whoCreate,
    who_change: u.whoChange,
    parameters_size: params.length,
    [paramName]: params.map((p) => p.id),
    parameter_value: params.map((p) => p.value),
  };
  for (const f of USER_TEXT_FIELDS) out[f] = u[f];
  for (const f of USER_INT_FIELDS) out[f] = u[f];
  return out;
}

export const USER_NOT_FOUND = { user_id: 0 };
