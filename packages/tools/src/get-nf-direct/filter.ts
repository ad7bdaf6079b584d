import { parseAddress } from '@utm5/inet';
import { prefixContains, type Prefix, type RawFlow } from '@utm5/netflow';
import { flowTime } from './columns';

/** What the report selects: every field set must match. */
export interface FlowQuery {
  accountId?: number;
  /** -s/-d: a host address or a network. */
  src?: Prefix;
  dst?: Prefix;
  srcPort?: number;
  dstPort?: number;
  tclass?: number;
  /** Unix seconds, half-open: a flow is in when from <= its time < till. */
  from: number;
  till: number;
}

export function flowFilter(q: FlowQuery): (f: RawFlow) => boolean {
  const checks: ((f: RawFlow) => boolean)[] = [];
  const { accountId, src, dst, srcPort, dstPort, tclass } = q;
  if (accountId !== undefined) checks.push((f) => f.accountId === accountId);
  if (tclass !== undefined) checks.push((f) => f.tclass === tclass);
  if (srcPort !== undefined) checks.push((f) => f.srcPort === srcPort);
  if (dstPort !== undefined) checks.push((f) => f.dstPort === dstPort);
  if (src) checks.push((f) => inPrefix(src, f.srcAddr));
  if (dst) checks.push((f) => inPrefix(dst, f.dstAddr));
  checks.push((f) => {
    const t = flowTime(f);
    return t >= q.from && t < q.till;
  });
  return (f) => checks.every((c) => c(f));
}

function inPrefix(p: Prefix, addr: string): boolean {
  const a = parseAddress(addr);
  return a !== undefined && prefixContains(p, a);
}
