import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import { money } from './common';
import { accountScope, cols, filters, grouped, groupedOutput, timeSpan } from '../report-scope';

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

export const serviceReportNew = defineFunction(
  'rpcf_service_report_new',
  0x3021,
  {
    comment:
      'service charges (and refunds, negative) per account in a time span; discount includes taxes; apid is accepted and ignored',
    input: filters,
    output: groupedOutput('j', 'i', [
      L.int('account_id', { index: 'j,i' }),
      L.str('login', { index: 'j,i' }),
      L.str('full_name', { index: 'j,i' }),
      L.int('discount_date', { index: 'j,i' }),
      L.int('discount_period_id', { index: 'j,i' }),
      L.double('discount', { index: 'j,i' }),
      L.str('service_name', { index: 'j,i' }),
      L.int('service_type', { index: 'j,i' }),
    ]),
  },
  async (call, ctx) => {
    const a = call.args;
    const g = grouped(await ctx.reports.ledgerEntries(accountScope(a), timeSpan(a), SERVICE_KINDS));
    return {
      accounts_count: g.length,
      atr_size_array: g.map((x) => x.length),
      account_id: cols(g, 'accountId'),
      login: cols(g, 'login', String),
      full_name: cols(g, 'fullName', String),
      discount_date: cols(g, 'ts'),
      discount_period_id: cols(g, 'periodId'),
      discount: cols(g, 'amount', (v) => money(-Number(v))),
      service_name: cols(g, 'serviceName', String),
      service_type: cols(g, 'serviceType'),
    };
  },
);

export const generalReportNew = defineFunction(
  'rpcf_general_report_new',
  0x3025,
  {
    comment:
      'per account: balance at start_date, service charges net of refunds and without taxes by service type, other charges ' +
      '(expiring payments burnt, rollbacks, balance resets, transfers out), taxes, charges with taxes, payments (with transfers in and ' +
      'the opening balance of new accounts), balance at end_date; ' +
      'discount_period_id > 0 counts only the charges of that accounting period',
    input: [
      L.int('user_id', { default: '0' }),
      L.int('account_id', { default: '0' }),
      L.int('group_id', { default: '0' }),
      L.int('discount_period_id', { default: '0' }),
      L.int('start_date'),
      L.int('end_date', { default: 'now()' }),
    ],
    output: [
      L.int('accounts_count'),
      L.for('i', '0', 'accounts_count', [
        L.int('account_id', { index: 'i' }),
        L.str('login', { index: 'i' }),
        L.str('full_name', { index: 'i' }),
        L.double('incoming_rest', { index: 'i' }),
        ...BY_TYPE.map((t) => L.double(`discounted_${t}`, { index: 'i' })),
        L.double('discounted_other_charges', { index: 'i' }),
        L.double('tax', { index: 'i' }),
        L.double('discounted_with_tax', { index: 'i' }),
        L.double('payments', { index: 'i' }),
        L.double('outgoing_rest', { index: 'i' }),
      ]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const scope = accountScope(a);
    const span = { start: a.int('start_date'), end: a.int('end_date') };
    const period = a.int('discount_period_id');
    const accs = await ctx.reports.accounts(scope);
    const ids = accs.map((x) => x.id);
    const rows = await ctx.reports.ledgerTotals(scope, span);
    const acc = new Map(
      ids.map((id) => [
        id,
        {
          opening: 0,
          closing: 0,
          other: 0,
          paid: 0,
          amount: 0,
          tax: 0,
          typeAmount: BY_TYPE.map(() => 0),
          typeTax: BY_TYPE.map(() => 0),
        },
      ]),
    );
    for (const r of rows) {
      const x = acc.get(r.accountId);
      if (!x) continue;
      const sum = r.amount;
      const tax = r.tax;
      x.closing += sum;
      if (r.early) {
        x.opening += sum;
        continue;
      }
      if (OTHER_KINDS.includes(r.kind)) x.other += sum;
      else if (PAYMENT_KINDS.includes(r.kind)) x.paid += sum;
      else if (SERVICE_KINDS.includes(r.kind) && (!period || r.periodId === period)) {
        x.amount += sum;
        x.tax += tax;
        const ti = r.serviceType - 1;
        if (ti >= 0 && ti < BY_TYPE.length) {
          x.typeAmount[ti]! += sum;
          x.typeTax[ti]! += tax;
        }
      }
    }
    const per = (f: (x: NonNullable<ReturnType<typeof acc.get>>) => number) => ids.map((id) => money(f(acc.get(id)!)));
    const out: Record<string, (string | number)[] | number> = {
      accounts_count: accs.length,
      account_id: ids,
      login: accs.map((x) => x.login),
      full_name: accs.map((x) => x.fullName),
      incoming_rest: per((x) => x.opening),
      discounted_other_charges: per((x) => -x.other),
      tax: per((x) => x.tax),
      discounted_with_tax: per((x) => -x.amount),
      payments: per((x) => x.paid),
      outgoing_rest: per((x) => x.closing),
    };
    // A charge's amount is -(fee + tax): the fee without tax is -amount - tax.
    BY_TYPE.forEach((t, i) => {
      out[`discounted_${t}`] = per((x) => -x.typeAmount[i]! - x.typeTax[i]!);
    });
    return out;
  },
);
