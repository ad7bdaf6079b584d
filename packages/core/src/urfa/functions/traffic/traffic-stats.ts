import type { Core } from '../../../core';
import { scopeAccounts, type Scope } from '../report-scope';
import { SLOT } from './time-buckets';

/** What one sum of traffic_stats is keyed by besides account and class: nothing, the SLOT it starts in, or the address. */
export type StatsKey = 'none' | 'slot' | 'ip';

/** Bytes and accrued cost (micro-units) of one account and class, per key; key is 0, a slot start or an address. */
export interface TrafficSum {
  readonly accountId: number;
  readonly login: string;
  readonly tclass: number;
  readonly key: number | string;
  readonly bytes: number;
  readonly cost: number;
}

export interface StatsWindow {
  /** [start, end), unix seconds, on the stored interval start. */
  readonly start: number;
  readonly end: number;
  /** 0: any; otherwise only traffic the collector with this id sent (traffic_stats.collector_id). */
  readonly collector: number;
}

/**
 * Sums of the traffic statistics of the accounts in scope (user, account, group as the other reports), summed by the
 * database so a report never loads single records.
 */
export async function sumTraffic(core: Core, scope: Scope, w: StatsWindow, by: StatsKey): Promise<TrafficSum[]> {
  const k = core.db!.knex;
  let q = scopeAccounts(k, k('traffic_stats as t').join('accounts as a', 'a.id', 't.account_id').join('users as u', 'u.id', 'a.user_id')
    .where('t.ts', '>=', w.start).andWhere('t.ts', '<', w.end), scope);
  if (w.collector) q = q.andWhere('t.collector_id', w.collector);
  q = q.select('t.account_id', 'u.login', 't.tclass_id').sum({ bytes: 't.bytes', cost: 't.cost' }).groupBy('t.account_id', 'u.login', 't.tclass_id');
  if (by === 'slot') q = q.select(k.raw(`t.ts - (t.ts % ${SLOT}) as k`)).groupByRaw(`t.ts - (t.ts % ${SLOT})`);
  else if (by === 'ip') q = q.select('t.ip as k').groupBy('t.ip');
  const rows: Record<string, unknown>[] = await q;
  return rows.map((r) => ({
    accountId: Number(r['account_id']), login: String(r['login']), tclass: Number(r['tclass_id']),
    key: by === 'ip' ? String(r['k']) : by === 'slot' ? Number(r['k']) : 0, bytes: Number(r['bytes'] ?? 0), cost: Number(r['cost'] ?? 0),
  }));
}

/** Sums that share account, class and a derived key (an hour, an IPv4 integer ...) added up. */
export function rollUp(sums: readonly TrafficSum[], keyOf: (s: TrafficSum) => number): (TrafficSum & { key: number })[] {
  const out = new Map<string, TrafficSum & { key: number }>();
  for (const s of sums) {
    const key = keyOf(s);
    const id = `${s.accountId}/${s.tclass}/${key}`;
    const cur = out.get(id);
    out.set(id, cur ? { ...cur, bytes: cur.bytes + s.bytes, cost: cur.cost + s.cost } : { ...s, key });
  }
  return [...out.values()];
}
