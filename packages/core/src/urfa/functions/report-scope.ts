import { L, type LayoutNode } from '@utm5/protocol';
import type { Knex } from '@utm5/db';
import type { Core } from '../../core';

// What UTM5's reports share: the user/account/group scope, rows grouped by account, and that grouped output shape.

export interface Scope {
  int(n: string): number;
}

/** Narrows a query joined to accounts `a` and users `u` by the call's user_id, account_id and group_id (0: any). */
export function scopeAccounts(k: Knex, q: Knex.QueryBuilder, a: Scope): Knex.QueryBuilder {
  if (a.int('user_id')) q = q.andWhere('u.id', a.int('user_id'));
  if (a.int('account_id')) q = q.andWhere('a.id', a.int('account_id'));
  if (a.int('group_id')) q = q.whereIn('u.id', k('user_group_members').where({ group_id: a.int('group_id') }).select('user_id'));
  return q;
}

export const filters = [L.int('user_id', { default: '0' }), L.int('account_id', { default: '0' }), L.int('group_id', { default: '0' }),
  L.int('apid', { default: '0' }), L.int('time_start'), L.int('time_end', { default: 'now()' })];

/** Rows grouped by account: the "count, then atr_size per account" shape UTM5's reports use. */
export function grouped<T extends Record<string, unknown>>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[0]!['account_id'] === r['account_id']) last.push(r);
    else out.push([r]);
  }
  return out;
}

/** A report's rows of one table joined to accounts and users, filtered by time span, user, account and group. */
export async function scoped(core: Core, table: string, dateCol: string, a: Scope, extra?: (q: Knex.QueryBuilder) => Knex.QueryBuilder) {
  const k = core.db!.knex;
  let q = scopeAccounts(k, k(`${table} as t`).join('accounts as a', 'a.id', 't.account_id').join('users as u', 'u.id', 'a.user_id')
    .where(`t.${dateCol}`, '>=', a.int('time_start')).andWhere(`t.${dateCol}`, '<', a.int('time_end')), a);
  if (extra) q = extra(q);
  return (await q.orderBy('t.account_id').orderBy('t.id').select('t.*', 'u.login', 'u.full_name')) as Record<string, unknown>[];
}

export function groupedOutput(outer: string, inner: string, cells: LayoutNode[]): LayoutNode[] {
  return [L.int('accounts_count'), L.for(outer, '0', 'accounts_count', [
    L.int('atr_size'), L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: outer }), L.for(inner, '0', 'atr_size', cells),
  ])];
}

export const cols = (g: Record<string, unknown>[][], c: string, f: (v: unknown) => string | number = (v) => Number(v)) => g.map((x) => x.map((r) => f(r[c])));
