import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import { money } from './common';
import { accountScope, cols, filters, grouped, groupedOutput, timeSpan } from '../report-scope';

export const blocksReport = defineFunction(
  'rpcf_blocks_report',
  0x3004,
  {
    comment: 'block_type: 16 system, 256 administrative, 4096 user; show_all 0 lists only blocks in force',
    input: [...filters, L.int('show_all', { default: '1' })],
    output: groupedOutput(
      'i',
      'j',
      ['account_id', 'login', 'start_date', 'expire_date', 'what_blocked', 'block_type', 'comment'].map((n) =>
        n === 'login' || n === 'comment' ? L.str(n, { index: 'i,j' }) : L.int(n, { index: 'i,j' }),
      ),
    ),
  },
  async (call, ctx) => {
    const a = call.args;
    const g = grouped(await ctx.reports.blocks(accountScope(a), timeSpan(a), Boolean(a.int('show_all'))));
    return {
      accounts_count: g.length,
      atr_size_array: g.map((x) => x.length),
      account_id: cols(g, 'accountId'),
      login: cols(g, 'login', String),
      start_date: cols(g, 'startDate'),
      expire_date: cols(g, 'expireDate'),
      what_blocked: cols(g, 'accountId', () => 1),
      block_type: cols(g, 'blockType'),
      comment: cols(g, 'comment', String),
    };
  },
);

export const blocksReportEx = defineFunction(
  'rpcf_blocks_report_ex',
  0x300b,
  {
    input: [...filters, L.int('show_all', { default: '1' })],
    output: groupedOutput(
      'i',
      'j',
      ['account_id', 'login', 'start_date', 'expire_date', 'block_type', 'id', 'unabon', 'unprepay', 'is_deleted'].map(
        (n) => (n === 'login' ? L.str(n, { index: 'i,j' }) : L.int(n, { index: 'i,j' })),
      ),
    ),
  },
  async (call, ctx) => {
    const a = call.args;
    const g = grouped(await ctx.reports.blocks(accountScope(a), timeSpan(a), Boolean(a.int('show_all'))));
    return {
      accounts_count: g.length,
      atr_size_array: g.map((x) => x.length),
      account_id: cols(g, 'accountId'),
      login: cols(g, 'login', String),
      start_date: cols(g, 'startDate'),
      expire_date: cols(g, 'expireDate'),
      block_type: cols(g, 'blockType'),
      id: cols(g, 'id'),
      unabon: cols(g, 'id', () => 0),
      unprepay: cols(g, 'id', () => 0),
      is_deleted: cols(g, 'isDeleted', (v) => (v ? 1 : 0)),
    };
  },
);

/** charge_type in the other charges report: why money left an account other than for a service. */
export const OTHER_CHARGE = { burn: 1, rollback: 2, zero_balance: 3, repay: 4 } as const;

export const otherChargesReport = defineFunction(
  'rpcf_other_charges_report',
  0x3023,
  {
    comment:
      'charge_type: 1 expiring payments burnt, 2 payment rollback, 3 balance reset at period end, 4 fee given back for blocked time',
    input: filters,
    output: [
      L.int('accounts_count'),
      L.for('j', '0', 'accounts_count', [
        L.int('atr_size'),
        L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: 'j' }),
        L.for('i', '0', 'atr_size', [
          L.int('account_id', { index: 'j,i' }),
          L.str('login', { index: 'j,i' }),
          L.str('full_name', { index: 'j,i' }),
          L.int('discount_date', { index: 'j,i' }),
          L.double('discount', { index: 'j,i' }),
          L.int('charge_type', { index: 'j,i' }),
        ]),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const g = grouped(await ctx.reports.ledgerEntries(accountScope(a), timeSpan(a), Object.keys(OTHER_CHARGE)));
    return {
      accounts_count: g.length,
      atr_size_array: g.map((x) => x.length),
      account_id: cols(g, 'accountId'),
      login: cols(g, 'login', String),
      full_name: cols(g, 'fullName', String),
      discount_date: cols(g, 'ts'),
      discount: cols(g, 'amount', (v) => money(-Number(v))),
      charge_type: cols(g, 'kind', (v) => OTHER_CHARGE[v as keyof typeof OTHER_CHARGE]),
    };
  },
);

export const getFundsFlowReport = defineFunction(
  'rpcf_get_funds_flow_report',
  0x501c,
  {
    input: [L.int('time_start'), L.int('time_end'), L.int('uid', { default: '0' })],
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.int('account_id_from', { index: 'i' }),
        L.int('account_id_to', { index: 'i' }),
        L.double('amount', { index: 'i' }),
        L.int('date', { index: 'i' }),
        L.int('uid', { index: 'i' }),
        L.str('login', { index: 'i' }),
        L.str('full_name', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const rows = await ctx.reports.fundsFlow(timeSpan(a), a.int('uid'));
    return {
      count: rows.length,
      account_id_from: rows.map((r) => r.accountIdFrom),
      account_id_to: rows.map((r) => r.accountIdTo),
      amount: rows.map((r) => money(r.amount)),
      date: rows.map((r) => r.date),
      uid: rows.map((r) => r.userId),
      login: rows.map((r) => r.login),
      full_name: rows.map((r) => r.fullName),
    };
  },
);

export const expiringPaymentsReport = defineFunction(
  'utm5ts_expiring_payments_report',
  0x60000051,
  {
    comment:
      'UTM5-TS extension: expiring payments per account (first and last payment, burn date, sum, already charged off)',
    input: [
      L.int('user_id', { default: '0' }),
      L.int('time_start', { default: '0' }),
      L.int('time_end', { default: 'max_time()' }),
    ],
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.int('account_id', { index: 'i' }),
        L.str('login', { index: 'i' }),
        L.int('first_payment', { index: 'i' }),
        L.int('last_payment', { index: 'i' }),
        L.int('burn_date', { index: 'i' }),
        L.double('sum', { index: 'i' }),
        L.double('charged', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const rows = await ctx.reports.expiringPools(timeSpan(a), a.int('user_id'));
    return {
      count: rows.length,
      account_id: rows.map((r) => r.accountId),
      login: rows.map((r) => r.login),
      first_payment: rows.map((r) => r.firstPayment),
      last_payment: rows.map((r) => r.lastPayment),
      burn_date: rows.map((r) => r.burnDate),
      sum: rows.map((r) => money(r.total)),
      charged: rows.map((r) => money(r.charged)),
    };
  },
);

export const ledgerReport = defineFunction(
  'utm5ts_ledger_report',
  0x60000054,
  {
    comment: 'UTM5-TS extension: every money movement of an account (kind, balance and credit effect) in a time span',
    input: [L.int('account_id'), L.int('time_start', { default: '0' }), L.int('time_end', { default: 'max_time()' })],
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.long('id', { index: 'i' }),
        L.int('date', { index: 'i' }),
        L.str('kind', { index: 'i' }),
        L.double('amount', { index: 'i' }),
        L.double('credit_delta', { index: 'i' }),
        L.str('ref', { index: 'i' }),
        L.str('comment', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const rows = await ctx.reports.accountLedger(a.int('account_id'), timeSpan(a));
    return {
      count: rows.length,
      id: rows.map((r) => r.id),
      date: rows.map((r) => r.ts),
      kind: rows.map((r) => r.kind),
      amount: rows.map((r) => money(r.amount)),
      credit_delta: rows.map((r) => money(r.creditDelta)),
      ref: rows.map((r) => (r.refType ? `${r.refType} ${r.refId}` : '')),
      comment: rows.map((r) => r.comment),
    };
  },
);
