/**
 * A customer's profile as UTM5 keeps it (the user.* template variables and rpcf_add_user_new's inputs), declared once:
 * the column list drives reads, writes and the URFA layouts' names.
 */
export const USER_TEXT_FIELDS = [
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
  'comments',
  'personal_manager',
] as const;

export const USER_INT_FIELDS = [
  'is_juridical',
  'house_id',
  'bank_id',
  'connect_date',
  'is_send_invoice',
  'advance_payment',
  'switch_id',
  'port_number',
  'currency_id',
  'doc_profile_id',
] as const;

export type UserTextField = (typeof USER_TEXT_FIELDS)[number];
export type UserIntField = (typeof USER_INT_FIELDS)[number];

export type UserProfile = { [K in UserTextField]: string } & { [K in UserIntField]: number };

export interface UserRecord extends UserProfile {
  readonly id: number;
  readonly login: string;
  readonly basicAccount: number;
  readonly createDate: number;
  readonly lastChangeDate: number;
  readonly whoCreate: number;
  readonly whoChange: number;
  readonly dealerId: number | null;
  readonly isCardUser: boolean;
  readonly isDeleted: boolean;
}

export function emptyProfile(currency: number): UserProfile {
  const p: Record<string, string | number> = {};
  for (const f of USER_TEXT_FIELDS) p[f] = '';
  for (const f of USER_INT_FIELDS) p[f] = 0;
  p['currency_id'] = currency;
  return p as UserProfile;
}

export function profileColumns(p: UserProfile): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const f of USER_TEXT_FIELDS) out[f] = p[f].slice(0, f === 'comments' ? 65535 : 255);
  for (const f of USER_INT_FIELDS)
    out[f] = f === 'is_juridical' || f === 'is_send_invoice' || f === 'advance_payment' ? p[f] !== 0 : p[f];
  return out;
}

export function toUserRecord(r: Record<string, unknown>): UserRecord {
  const p: Record<string, unknown> = {};
  for (const f of USER_TEXT_FIELDS) p[f] = String(r[f] ?? '');
  for (const f of USER_INT_FIELDS) p[f] = Number(r[f] ?? 0);
  return {
    ...(p as UserProfile),
    id: Number(r['id']),
    login: String(r['login']),
    basicAccount: Number(r['basic_account']),
    createDate: Number(r['create_date']),
    lastChangeDate: Number(r['last_change_date']),
    whoCreate: Number(r['who_create']),
    whoChange: Number(r['who_change']),
    dealerId: r['dealer_id'] === null || r['dealer_id'] === undefined ? null : Number(r['dealer_id']),
    isCardUser: Boolean(r['is_card_user']),
    isDeleted: Boolean(r['is_deleted']),
  };
}
