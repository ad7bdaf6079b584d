import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import { money } from './common';
import { cols, filters, grouped, groupedOutput, scoped } from '../report-scope';


export const blocksReport = defineFunction('rpcf_blocks_report', 0x3004, {
  comment: 'block_type: 16 system, 256 administrative, 4096 user; show_all 0 lists only blocks in force',
  input: [...filters, L.int('show_all', { default: '1' })],
  output: groupedOutput('i', 'j', ['account_id', 'login', 'start_date', 'expire_date', 'what_blocked', 'block_type', 'comment']
    .map((n) => (n === 'login' || n === 'comment' ? L.str(n, { index: 'i,j' }) : L.int(n, { index: 'i,j' })))),
}, async (call, core) => {
  const a = call.args;
  const g = grouped(await scoped(core, 'blocks_info', 'start_date', a, (q) => (a.int('show_all') ? q : q.andWhere('t.is_deleted', false))));
  return {
    accounts_count: g.length, atr_size_array: g.map((x) => x.length), account_id: cols(g, 'account_id'), login: cols(g, 'login', String),
    start_date: cols(g, 'start_date'), expire_date: cols(g, 'expire_date'), what_blocked: cols(g, 'account_id', () => 1),
    block_type: cols(g, 'block_type'), comment: cols(g, 'comment', String),
  };
});

export const blocksReportEx = defineFunction('rpcf_blocks_report_ex', 0x300b, {
  input: [...filters, L.int('show_all', { default: '1' })],
  output: groupedOutput('i', 'j', ['account_id', 'login', 'start_date', 'expire_date', 'block_type', 'id', 'unabon', 'unprepay', 'is_deleted']
    .map((n) => (n === 'login' ? L.str(n, { index: 'i,j' }) : L.int(n, { index: 'i,j' })))),
}, async (call, core) => {
  const a = call.args;
  const g = grouped(await scoped(core, 'blocks_info', 'start_date', a, (q) => (a.int('show_all') ? q : q.andWhere('t.is_deleted', false))));
  return {
    accounts_count: g.length, atr_size_array: g.map((x) => x.length), account_id: cols(g, 'account_id'), login: cols(g, 'login', String),
    start_date: cols(g, 'start_date'), expire_date: cols(g, 'expire_date'), block_type: cols(g, 'block_type'), id: cols(g, 'id'),
    unabon: cols(g, 'id', () => 0), unprepay: cols(g, 'id', () => 0), is_deleted: cols(g, 'is_deleted', (v) => (v ? 1 : 0)),
  };
});

/** charge_type in the other charges report: why money left an account other than for a service. */
export const OTHER_CHARGE = { burn: 1, rollback: 2, zero_balance: 3, repay: 4 } as const;

export const otherChargesReport = defineFunction('rpcf_other_charges_report', 0x3023, {
  comment: 'charge_type: 1 expiring payments burnt, 2 payment rollback, 3 balance reset at period end, 4 fee given back for blocked time',
  input: filters,
  output: [L.int('accounts_count'), L.for('j', '0', 'accounts_count', [
    L.int('atr_size'), L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: 'j' }),
    L.for('i', '0', 'atr_size', [L.int('account_id', { index: 'j,i' }), L.str('login', { index: 'j,i' }), L.str('full_name', { index: 'j,i' }),
      L.int('discount_date', { index: 'j,i' }), L.double('discount', { index: 'j,i' }), L.int('charge_type', { index: 'j,i' })]),
  ])],
}, async (call, core) => {
  const g = grouped(await scoped(core, 'account_ledger', 'ts', call.args, (q) => q.whereIn('t.kind', Object.keys(OTHER_CHARGE))));
  return {
    accounts_count: g.length, atr_size_array: g.map((x) => x.length), account_id: cols(g, 'account_id'), login: cols(g, 'login', String),
    full_name: cols(g, 'full_name', String), discount_date: cols(g, 'ts'), discount: cols(g, 'amount', (v) => money(-Number(v))),
    charge_type: cols(g, 'kind', (v) => OTHER_CHARGE[v as keyof typeof OTHER_CHARGE]),
  };
});

export const getFundsFlowReport = defineFunction('rpcf_get_funds_flow_report', 0x501c, {
  input: [L.int('time_start'), L.int('time_end'), L.int('uid', { default: '0' })],
  output: [L.int('count'), L.for('i', '0', 'count', [
    L.int('account_id_from', { index: 'i' }), L.int('account_id_to', { index: 'i' }), L.double('amount', { index: 'i' }),
    L.int('date', { index: 'i' }), L.int('uid', { index: 'i' }), L.str('login', { index: 'i' }), L.str('full_name', { index: 'i' }),
  ])],
}, async (call, core) => {
  const a = call.args;
  let q = core.db!.knex('funds_flow as f').join('users as u', 'u.id', 'f.user_id').where('f.date', '>=', a.int('time_start')).andWhere('f.date', '<', a.int('time_end'));
  if (a.int('uid')) q = q.andWhere('f.user_id', a.int('uid'));
  const rows: Record<string, unknown>[] = await q.orderBy('f.id').select('f.*', 'u.login', 'u.full_name');
  return {
    count: rows.length, account_id_from: rows.map((r) => Number(r['account_id_from'])), account_id_to: rows.map((r) => Number(r['account_id_to'])),
    amount: rows.map((r) => money(Number(r['amount']))), date: rows.map((r) => Number(r['date'])), uid: rows.map((r) => Number(r['user_id'])),
    login: rows.map((r) => String(r['login'])), full_name: rows.map((r) => String(r['full_name'])),
  };
});

export const expiringPaymentsReport = defineFunction('utm5ts_expiring_payments_report', 0x60000051, {
  comment: 'UTM5-TS extension: expiring payments per account (first and last payment, burn date, sum, already charged off)',
  input: [L.int('user_id', { default: '0' }), L.int('time_start', { default: '0' }), L.int('time_end', { default: 'max_time()' })],
  output: [L.int('count'), L.for('i', '0', 'count', [
    L.int('account_id', { index: 'i' }), L.str('login', { index: 'i' }), L.int('first_payment', { index: 'i' }), L.int('last_payment', { index: 'i' }),
    L.int('burn_date', { index: 'i' }), L.double('sum', { index: 'i' }), L.double('charged', { index: 'i' }),
  ])],
}, async (call, core) => {
  const a = call.args;
  const k = core.db!.knex;
  let q = k('expiring_pools as p').join('accounts as a', 'a.id', 'p.account_id').join('users as u', 'u.id', 'a.user_id')
    .where('p.last_payment', '>=', a.int('time_start')).andWhere('p.first_payment', '<', a.int('time_end'));
  if (a.int('user_id')) q = q.andWhere('u.id', a.int('user_id'));
  const rows: Record<string, unknown>[] = await q.orderBy('p.account_id').select('p.*', 'u.login');
  const charged = await Promise.all(rows.map(async (r) => {
    const [{ c }] = await k('account_ledger').where({ account_id: Number(r['account_id']), kind: 'charge' }).andWhere('ts', '>=', Number(r['started_at'])).sum({ c: 'amount' });
    return money(-Number(c ?? 0));
  }));
  return {
    count: rows.length, account_id: rows.map((r) => Number(r['account_id'])), login: rows.map((r) => String(r['login'])),
    first_payment: rows.map((r) => Number(r['first_payment'])), last_payment: rows.map((r) => Number(r['last_payment'])),
    burn_date: rows.map((r) => Number(r['burn_date'])), sum: rows.map((r) => money(Number(r['total']))), charged,
  };
});

export const ledgerReport = defineFunction('utm5ts_ledger_report', 0x60000054, {
  comment: 'UTM5-TS extension: every money movement of an account (kind, balance and credit effect) in a time span',
  input: [L.int('account_id'), L.int('time_start', { default: '0' }), L.int('time_end', { default: 'max_time()' })],
  output: [L.int('count'), L.for('i', '0', 'count', [
    L.long('id', { index: 'i' }), L.int('date', { index: 'i' }), L.str('kind', { index: 'i' }), L.double('amount', { index: 'i' }),
    L.double('credit_delta', { index: 'i' }), L.str('ref', { index: 'i' }), L.str('comment', { index: 'i' }),
  ])],
}, async (call, core) => {
  const a = call.args;
  const rows: Record<string, unknown>[] = await core.db!.knex('account_ledger').where({ account_id: a.int('account_id') })
    .andWhere('ts', '>=', a.int('time_start')).andWhere('ts', '<', a.int('time_end')).orderBy('id');
  return {
    count: rows.length, id: rows.map((r) => Number(r['id'])), date: rows.map((r) => Number(r['ts'])), kind: rows.map((r) => String(r['kind'])),
    amount: rows.map((r) => money(Number(r['amount']))), credit_delta: rows.map((r) => money(Number(r['credit_delta']))),
    ref: rows.map((r) => (r['ref_type'] ? `${r['ref_type']} ${r['ref_id']}` : '')), comment: rows.map((r) => String(r['comment'])),
  };
});
