/**
 * One flow as every NetFlow version reduces to: what the classifier and the aggregator need. Addresses are text
 * (dotted IPv4, compressed IPv6); times are unix milliseconds, already shifted from the exporter's uptime clock.
 */
export interface FlowRecord {
  ipVersion: 4 | 6;
  srcAddr: string;
  dstAddr: string;
  nextHop: string;
  srcPort: number;
  dstPort: number;
  protocol: number;
  tos: number;
  tcpFlags: number;
  inIf: number;
  outIf: number;
  srcAs: number;
  dstAs: number;
  srcMask: number;
  dstMask: number;
  bytes: number;
  packets: number;
  start: number;
  end: number;
}

/** What the packet header says of its exporter: version, observation domain (v9 source id, v5/v7 engine), sequence. */
export interface ExportHeader {
  version: 5 | 7 | 9 | 10;
  /** v5/v7: engine type << 8 | engine id; v9: source id; IPFIX: observation domain id. */
  domain: number;
  sequence: number;
  /** Export time, unix seconds. */
  exportTime: number;
  /** The exporter's uptime in ms at export (0 for IPFIX). */
  sysUptime: number;
  /** Records the header announces (v5/v7 count; v9 count of records and templates; IPFIX 0). */
  count: number;
}

export function emptyFlow(): FlowRecord {
  return {
    ipVersion: 4, srcAddr: '0.0.0.0', dstAddr: '0.0.0.0', nextHop: '0.0.0.0', srcPort: 0, dstPort: 0, protocol: 0, tos: 0, tcpFlags: 0,
    inIf: 0, outIf: 0, srcAs: 0, dstAs: 0, srcMask: 0, dstMask: 0, bytes: 0, packets: 0, start: 0, end: 0,
  };
}

export function ipv4(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

export function ipv6(buf: Buffer, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(at + i).toString(16));
  // The longest run of zero groups (two or more) becomes '::' (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function writeIpv4(buf: Buffer, at: number, addr: string): void {
  const p = addr.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) throw new RangeError(`not an IPv4 address: ${addr}`);
  for (let i = 0; i < 4; i++) buf[at + i] = p[i]!;
}

export function writeIpv6(buf: Buffer, at: number, addr: string): void {
  const [head, tail] = addr.includes('::') ? addr.split('::') as [string, string] : [addr, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  if (groups.length !== 8) throw new RangeError(`not an IPv6 address: ${addr}`);
  groups.forEach((g, i) => buf.writeUInt16BE(parseInt(g, 16), at + 2 * i));
}
