import { LayoutErrorTag } from '@utm5/protocol';
import type { UrfaApi } from '@utm5/urfaclient';
import type { BatchField, BatchRecord } from './batch-file';
import type { PaymentToolConfig } from './config';
import { badAmount, credit, orderOf, type PaymentOrder } from './payment';

/** The answer to one batch line: printed as `line<TAB>status<TAB>transaction id or reason`. */
export interface BatchAnswer {
  readonly line: number;
  readonly status: 'credited' | 'duplicate' | 'refused';
  readonly text: string;
}

export function answerLine(a: BatchAnswer): string {
  return `${a.line}\t${a.status}\t${a.text}\n`;
}

/** The batch could not go on at `line` (the core gone, a protocol error): `cause` says why. */
export class BatchInterrupted extends Error {
  constructor(
    readonly line: number,
    override readonly cause: unknown,
  ) {
    super(`batch stopped at line ${line}`);
  }
}

export interface BatchTotals {
  credited: number;
  duplicate: number;
  refused: number;
}

/** Reads a line's fields over the settings (the flags and the config give what a column does not). */
export function lineOrder(rec: BatchRecord, cfg: PaymentToolConfig): PaymentOrder | string {
  if (rec.problem) return rec.problem;
  const f = rec.fields;
  // An empty field is one the line leaves to the flags and the config, like a column the file does not have.
  const get = (k: BatchField, dflt: string) => (f[k] === undefined || f[k] === '' ? dflt : f[k]!);
  const account = get('account_id', '');
  if (!/^\d+$/.test(account) || Number(account) < 1) return `bad account '${account}': give an account id`;
  const amount = get('payment', '');
  const bad = badAmount(amount, 'amount');
  if (bad) return bad;
  if (Number(amount) < 0)
    return `negative amount '${amount}': a batch only credits; correct a balance with a single -b payment`;
  const ext = get('external_number', '');
  if (ext === '') return 'no external number: a batch line needs one, so that a re-run credits nothing twice';
  const int = (k: BatchField, dflt: number, max: number): number | string => {
    const t = get(k, String(dflt));
    return /^\d+$/.test(t) && Number(t) <= max ? Number(t) : `bad ${k} '${t}': give a number`;
  };
  const method = int('payment_method', cfg.payment_method, 1_000_000);
  if (typeof method === 'string') return method;
  const currency = int('currency_id', cfg.currency_id, 999);
  if (typeof currency === 'string') return currency;
  return orderOf({
    ...cfg,
    account_id: Number(account),
    payment: amount,
    external_number: ext,
    payment_method: method,
    currency_id: currency,
    user_comment: get('user_comment', cfg.user_comment),
    admin_comment: get('admin_comment', cfg.admin_comment),
  });
}

/**
 * Credits the lines in order over one session, answering each; a line the tool or the core refuses is answered and
 * the batch goes on. Anything else (the core gone, a protocol error) ends the batch: it is thrown, with the lines
 * answered so far already reported, and a re-run of the file finishes the job without crediting a number twice.
 */
export async function runBatch(
  api: UrfaApi,
  records: readonly BatchRecord[],
  cfg: PaymentToolConfig,
  report: (a: BatchAnswer) => void,
): Promise<BatchTotals> {
  const totals: BatchTotals = { credited: 0, duplicate: 0, refused: 0 };
  for (const rec of records) {
    const order = lineOrder(rec, cfg);
    let answer: BatchAnswer;
    if (typeof order === 'string') {
      answer = { line: rec.line, status: 'refused', text: order };
    } else {
      try {
        const r = await credit(api, order);
        answer = { line: rec.line, status: r.duplicate ? 'duplicate' : 'credited', text: r.id };
      } catch (err) {
        if (!(err instanceof LayoutErrorTag)) throw new BatchInterrupted(rec.line, err);
        answer = { line: rec.line, status: 'refused', text: err.message };
      }
    }
    totals[answer.status]++;
    report(answer);
  }
  return totals;
}
