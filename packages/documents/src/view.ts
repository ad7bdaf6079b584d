import { moneyToDouble } from '@utm5/common';
import type { DocumentData } from './document-data';

/**
 * Fields held as Micro in DocumentData, by name. The names do not collide across groups (a `cost` is money in both
 * call and tariff), so one walk converts them all to currency units, the doubles the manual's variables are.
 */
const MONEY_KEYS = new Set([
  'balance',
  'credit',
  'amount_in_currency',
  'amount_absolute',
  'sum_without_tax',
  'sum_with_tax',
  'balance_when_created',
  'debt',
  'payment_amount',
  'payment_amount_with_tax',
  'price',
  'tax',
  'cost',
  'charges',
  'periodic_fee',
  'total_fee',
  'other_fee',
]);

type View = { [k: string]: unknown };

function walk(v: unknown, key: string | null): unknown {
  if (Array.isArray(v)) return v.map((x) => walk(x, null));
  if (v !== null && typeof v === 'object') {
    const out: View = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = walk(x, k);
    return out;
  }
  if (key !== null && MONEY_KEYS.has(key) && typeof v === 'number') return moneyToDouble(v);
  return v;
}

/** UTM5 hides the tax of "no VAT" (a negative rate): the figures print empty, not as a negative amount. */
function hideNegativeVat(view: View): void {
  const account = view['account'] as View | undefined;
  const noVat = typeof account?.['vat_rate'] === 'number' && (account['vat_rate'] as number) < 0;
  if (noVat && account) account['vat_rate'] = '';
  for (const e of (view['bill_entry'] as View[] | undefined) ?? []) {
    if (noVat || (typeof e['tax_rate'] === 'number' && (e['tax_rate'] as number) < 0)) {
      e['tax_rate'] = '';
      e['tax'] = '';
    }
  }
}

/** The object carbone renders as `d`: money in units, entries numbered, contract.{n} filled, no-VAT hidden. */
export function toView(data: DocumentData): View {
  const view = walk(data, null) as View;
  const entries = view['bill_entry'] as View[] | undefined;
  entries?.forEach((e, i) => {
    if (e['id'] === undefined) e['id'] = i + 1;
  });
  const bill = view['bill'] as View | undefined;
  if (bill && bill['size'] === undefined) bill['size'] = entries?.length ?? 0;
  const contract = view['contract'] as View | undefined;
  const contracts = contract?.['list'] as View[] | undefined;
  contracts?.forEach((c, i) => {
    contract![String(i + 1)] = c;
  });
  for (const it of ['bill_entry', 'call', 'ipgroup', 'tariff', 'dialup', 'hotspot', 'telephony']) {
    if (view[it] === undefined) view[it] = [];
  }
  hideNegativeVat(view);
  return view;
}
