import type { TrafficSum } from '../../../reports/report-repo';

/** Sums that share account, class and a derived key (an hour, an IPv4 integer ...) added up. */
export function rollUp(
  sums: readonly TrafficSum[],
  keyOf: (s: TrafficSum) => number,
): (TrafficSum & { key: number })[] {
  const out = new Map<string, TrafficSum & { key: number }>();
  for (const s of sums) {
    const key = keyOf(s);
    const id = `${s.accountId}/${s.tclass}/${key}`;
    const cur = out.get(id);
    out.set(id, cur ? { ...cur, bytes: cur.bytes + s.bytes, cost: cur.cost + s.cost } : { ...s, key });
  }
  return [...out.values()];
}
