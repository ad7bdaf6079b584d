import { L, type LayoutNode } from '@utm5/protocol';
import type { AccountScope, Span } from '../../reports/report-repo';

// What UTM5's reports share on the wire: the user/account/group scope, rows grouped by account, and that grouped
// output shape.

export interface Scope {
  int(n: string): number;
}

/** The call's user_id, account_id and group_id (0: any) as the report repository's scope. */
export function accountScope(a: Scope): AccountScope {
  return { userId: a.int('user_id'), accountId: a.int('account_id'), groupId: a.int('group_id') };
}

/** The call's [time_start, time_end). */
export function timeSpan(a: Scope): Span {
  return { start: a.int('time_start'), end: a.int('time_end') };
}

export const filters = [
  L.int('user_id', { default: '0' }),
  L.int('account_id', { default: '0' }),
  L.int('group_id', { default: '0' }),
  L.int('apid', { default: '0' }),
  L.int('time_start'),
  L.int('time_end', { default: 'now()' }),
];

/** Rows grouped by account: the "count, then atr_size per account" shape UTM5's reports use. */
export function grouped<T extends { readonly accountId: number }>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last[0]!.accountId === r.accountId) last.push(r);
    else out.push([r]);
  }
  return out;
}

export function groupedOutput(outer: string, inner: string, cells: LayoutNode[]): LayoutNode[] {
  return [
    L.int('accounts_count'),
    L.for(outer, '0', 'accounts_count', [
      L.int('atr_size'),
      L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: outer }),
      L.for(inner, '0', 'atr_size', cells),
    ]),
  ];
}

export const cols = <T, K extends keyof T>(
  g: readonly T[][],
  c: K,
  f: (v: T[K]) => string | number = (v) => Number(v),
) => g.map((x) => x.map((r) => f(r[c])));
