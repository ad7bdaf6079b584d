import { withArchives, type Database } from '@utm5/db';

/** One inconsistency: what is wrong, where, and what to do about it. */
export interface Finding {
  readonly check: 'balance' | 'link' | 'session';
  readonly message: string;
}

export interface IntegrityOptions {
  /** The time open sessions are judged at (the core's billing time on a test clock). */
  readonly now: number;
  /** An open session not updated for longer than this is stale. */
  readonly sessionTimeout: number;
}

type Row = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);
const money = (micro: number) => (micro / 1e6).toFixed(6);

/**
 * Every account's balance and credit against the sum of its ledger, archives included: the core keeps the balance
 * as a cached sum, so a difference means a write went past the ledger (or a row was edited by hand).
 */
async function balances(db: Database): Promise<Finding[]> {
  const k = db.knex;
  const sums: Row[] = await k
    .from((await withArchives(db, 'account_ledger', 'l')).source)
    .select('account_id')
    .sum({ b: 'amount', c: 'credit_delta' })
    .groupBy('account_id');
  const ledger = new Map(sums.map((r) => [n(r['account_id']), { b: n(r['b']), c: n(r['c']) }]));
  const out: Finding[] = [];
  const accounts: Row[] = await k('accounts').select('id', 'balance', 'credit').orderBy('id');
  for (const a of accounts) {
    const id = n(a['id']);
    const l = ledger.get(id) ?? { b: 0, c: 0 };
    ledger.delete(id);
    if (n(a['balance']) !== l.b)
      out.push({
        check: 'balance',
        message:
          `account ${id}: balance ${money(n(a['balance']))} but its ledger sums to ${money(l.b)}; ` +
          'find the write that went past the ledger before correcting either',
      });
    if (n(a['credit']) !== l.c)
      out.push({
        check: 'balance',
        message: `account ${id}: credit ${money(n(a['credit']))} but its ledger's credit entries sum to ${money(l.c)}`,
      });
  }
  for (const id of ledger.keys())
    out.push({ check: 'link', message: `account_ledger has entries of account ${id}, which does not exist` });
  return out;
}

/** Rows of `table` (alias t) whose `col` names no row of `target`, or a deleted one while the row itself is live. */
async function dangling(
  db: Database,
  table: string,
  col: string,
  target: string,
  what: string,
  opts: { liveOnly?: boolean; targetDeletable?: boolean } = {},
): Promise<Finding[]> {
  const k = db.knex;
  let q = k(`${table} as t`).leftJoin(`${target} as x`, 'x.id', `t.${col}`);
  if (opts.liveOnly) q = q.where('t.is_deleted', false);
  q = q.andWhere((w) => {
    w.whereNull('x.id');
    if (opts.targetDeletable) w.orWhere('x.is_deleted', true);
  });
  const rows: Row[] = await q.select('t.id', `t.${col} as ref`, opts.targetDeletable ? 'x.is_deleted' : 'x.id as xid');
  return rows.map((r) => ({
    check: 'link' as const,
    message:
      `${table} ${n(r['id'])}: ${col} ${n(r['ref'])} names ${r['is_deleted'] ? 'a deleted' : 'no'} ${what}; ` +
      `remove the ${table} row or restore the ${what}`,
  }));
}

async function links(db: Database): Promise<Finding[]> {
  return [
    ...(await dangling(db, 'accounts', 'user_id', 'users', 'user', { liveOnly: true, targetDeletable: true })),
    ...(await dangling(db, 'service_links', 'service_id', 'services', 'service', { liveOnly: true })),
    ...(await dangling(db, 'service_links', 'account_id', 'accounts', 'account', {
      liveOnly: true,
      targetDeletable: true,
    })),
    ...(await dangling(db, 'tariff_links', 'account_id', 'accounts', 'account', {
      liveOnly: true,
      targetDeletable: true,
    })),
    ...(await dangling(db, 'tariff_links', 'tariff_current', 'tariffs', 'tariff', { liveOnly: true })),
    ...(await dangling(db, 'payment_transactions', 'account_id', 'accounts', 'account')),
  ];
}

async function sessions(db: Database, o: IntegrityOptions): Promise<Finding[]> {
  const rows: Row[] = await db
    .knex('radius_sessions')
    .where({ stopped_at: 0 })
    .andWhere('updated_at', '<', o.now - o.sessionTimeout)
    .orderBy('id')
    .select('id', 'login', 'nas_ip', 'acct_session_id', 'updated_at');
  return rows.map((r) => ({
    check: 'session' as const,
    message:
      `radius session ${n(r['id'])} (${String(r['login'])} on ${String(r['nas_ip'])}, ${String(r['acct_session_id'])}) ` +
      `is open but was last updated ${o.now - n(r['updated_at'])} s ago (timeout ${o.sessionTimeout} s); ` +
      'drop it on the NAS (radius_drop_session) or let the NAS send its Accounting-Stop',
  }));
}

/** What the manual's verificator checks beyond the schema, one finding per inconsistency. */
export async function checkIntegrity(db: Database, o: IntegrityOptions): Promise<Finding[]> {
  return [...(await balances(db)), ...(await links(db)), ...(await sessions(db, o))];
}
