import { L } from '@utm5/protocol';
import type { Knex } from '@utm5/db';
import { defineFunction } from '../../core-function';
import type { Core } from '../../../core';
import { money } from './common';

/**
 * Kinds of money leaving an account other than for a service (rpcf_other_charges_report's charge types less repay,
 * and transfers out), and kinds counted as payments (with transfers in and the opening balance of a new account), so
 * that incoming_rest + payments - discounted_with_tax - discounted_other_charges = outgoing_rest.
 */
const OTHER_KINDS = ['burn', 'rollback', 'zero_balance', 'transfer_out'];
const PAYMENT_KINDS = ['payment', 'transfer_in', 'initial'];
const SERVICE_KINDS = ['charge', 'repay'];
/** discounted_* of rpcf_general_report_new by service_type (1 one-time .. 8 VoD). */
const BY_TYPE = ['once', 'periodic', 'iptraffic', 'hotspot', 'dialup', 'telephony', 'iptv', 'vod'] as const;

interface Scope {
  int(n: string): number;
}

/** Accounts (with the login and name of their user) chosen by user, account and group; 0 does not filter. */
function accounts(core: Core, a: Scope): Knex.QueryBuilder {
  const k = core.db!.knex;
  let q = k('accounts as a').join('users as u', 'u.id', 'a.user_id');
  if (a.int('user_id')) q = q.andWhere('u.id', a.int('user_id'));
  if (a.int('account_id')) q = q.andWhere('a.id', a.int('account_id'));
  if (a.int('group_id')) q = q.whereIn('u.id', k('user_group_members').where({ group_id: a.int('group_id') }).select('user_id'));
  return q;
}

export const serviceReportNew = defineFunction('rpcf_service_report_new', 0x3021, {
  comment: 'service charges (and refunds, negative) per account in a time span; discount includes taxes; apid is accepted and ignored',
  input: [L.int('user_id', { default: '0' }), L.int('account_id', { default: '0' }), L.int('group_id', { default: '0' }),
    L.int('apid', { default: '0' }), L.int('time_start'), L.int('time_end', { default: 'now()' })],
  output: [L.int('accounts_count'), L.for('j', '0', 'accounts_count', [
    L.int('atr_size'), L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: 'j' }),
    L.for('i', '0', 'atr_size', [
      L.int('account_id', { index: 'j,i' }), L.str('login', { index: 'j,i' }), L.str('full_name', { index: 'j,i' }), L.int('discount_date', { index: 'j,i' }),
      L.int('discount_period_id', { index: 'j,i' }), L.double('discount', { index: 'j,i' }), L.str('service_name', { index: 'j,i' }),
      L.int('service_type', { index: 'j,i' }),
    ]),
  ])],
}, async (call, core) => {
  const a = call.args;
  const rows: Record<string, unknown>[] = await accounts(core, a).join('account_ledger as t', 't.account_id', 'a.id')
    .leftJoin('services as s', 's.id', 't.service_id').whereIn('t.kind', SERVICE_KINDS).andWhere('t.ts', '>=', a.int('time_start'))
    .andWhere('t.ts', '<', a.int('time_end')).orderBy('t.account_id').orderBy('t.id')
    .select('t.account_id', 't.ts', 't.period_id', 't.amount', 't.service_type', 's.name as service_name', 'u.login', 'u.full_name');
  const g: Record<string, unknown>[][] = [];
  for (const r of rows) {
    const last = g[g.length - 1];
    if (last && last[0]!['account_id'] === r['account_id']) last.push(r);
    else g.push([r]);
  }
  const cols = (c: string, f: (v: unknown) => string | number = (v) => Number(v)) => g.map((x) => x.map((r) => f(r[c])));
  return {
    accounts_count: g.length, atr_size_array: g.map((x) => x.length), account_id: cols('account_id'), login: cols('login', String),
    full_name: cols('full_name', String), discount_date: cols('ts'), discount_period_id: cols('period_id'),
    discount: cols('amount', (v) => money(-Number(v))), service_name: cols('service_name', (v) => String(v ?? '')), service_type: cols('service_type'),
  };
});

export const generalReportNew = defineFunction('rpcf_general_report_new', 0x3025, {
  comment: 'per account: balance at start_date, service charges net of refunds and without taxes by service type, other charges '
    + '(expiring payments burnt, rollbacks, balance resets, transfers out), taxes, charges with taxes, payments (with transfers in and '
    + 'the opening balance of new accounts), balance at end_date; '
    + 'discount_period_id > 0 counts only the charges of that accounting period',
  input: [L.int('user_id', { default: '0' }), L.int('account_id', { default: '0' }), L.int('group_id', { default: '0' }),
    L.int('discount_period_id', { default: '0' }), L.int('start_date'), L.int('end_date', { default: 'now()' })],
  output: [L.int('accounts_count'), L.for('i', '0', 'accounts_count', [
    L.int('account_id', { index: 'i' }), L.str('login', { index: 'i' }), L.str('full_name', { index: 'i' }), L.double('incoming_rest', { index: 'i' }),
    ...BY_TYPE.map((t) => L.double(`discounted_${t}`, { index: 'i' })),
    L.double('discounted_other_charges', { index: 'i' }), L.double('tax', { index: 'i' }), L.double('discounted_with_tax', { index: 'i' }),
    L.double('payments', { index: 'i' }), L.double('outgoing_rest', { index: 'i' }),
  ])],
}, async (call, core) => {
  const a = call.args;
  const k = core.db!.knex;
  const start = a.int('start_date');
  const end = a.int('end_date');
  const period = a.int('discount_period_id');
  const accs: { id: number; login: string; full_name: string }[] = await accounts(core, a).where('a.is_deleted', false).orderBy('a.id')
    .select('a.id', 'u.login', 'u.full_name');
  const ids = accs.map((x) => Number(x.id));
  const sums = async (q: (b: Knex.QueryBuilder) => Knex.QueryBuilder, col = 'amount'): Promise<Map<number, number>> => {
    const rows: { account_id: number; s: number | string | null }[] = await q(k('account_ledger').whereIn('account_id', ids))
      .groupBy('account_id').select('account_id').sum({ s: col });
    return new Map(rows.map((r) => [Number(r.account_id), Number(r.s ?? 0)]));
  };
  const span = (b: Knex.QueryBuilder) => b.andWhere('ts', '>=', start).andWhere('ts', '<', end);
  const service = (b: Knex.QueryBuilder) => {
    const q = span(b).whereIn('kind', SERVICE_KINDS);
    return period ? q.andWhere('period_id', period) : q;
  };
  const opening = await sums((b) => b.andWhere('ts', '<', start));
  const closing = await sums((b) => b.andWhere('ts', '<', end));
  const byType = await Promise.all(BY_TYPE.map(async (_t, i) => ({
    amount: await sums((b) => service(b).andWhere('service_type', i + 1)),
    tax: await sums((b) => service(b).andWhere('service_type', i + 1), 'tax'),
  })));
  const allAmount = await sums(service);
  const allTax = await sums(service, 'tax');
  const other = await sums((b) => span(b).whereIn('kind', OTHER_KINDS));
  const paid = await sums((b) => span(b).whereIn('kind', PAYMENT_KINDS));
  const get = (m: Map<number, number>, id: number) => m.get(id) ?? 0;
  const out: Record<string, (string | number)[] | number> = {
    accounts_count: accs.length, account_id: ids, login: accs.map((x) => String(x.login)), full_name: accs.map((x) => String(x.full_name)),
    incoming_rest: ids.map((id) => money(get(opening, id))),
    discounted_other_charges: ids.map((id) => money(-get(other, id))), tax: ids.map((id) => money(get(allTax, id))),
    discounted_with_tax: ids.map((id) => money(-get(allAmount, id))), payments: ids.map((id) => money(get(paid, id))),
    outgoing_rest: ids.map((id) => money(get(closing, id))),
  };
  // A charge's amount is -(fee + tax): the fee without tax is -amount - tax.
  BY_TYPE.forEach((t, i) => { out[`discounted_${t}`] = ids.map((id) => money(-get(byType[i]!.amount, id) - get(byType[i]!.tax, id))); });
  return out;
});
