import { parseIpv4, parseIpv6, writeIpv4, writeIpv6 } from '@utm5/inet';

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
    ipVersion: 4,
    srcAddr: '0.0.0.0',
    dstAddr: '0.0.0.0',
    nextHop: '0.0.0.0',
    srcPort: 0,
    dstPort: 0,
    protocol: 0,
    tos: 0,
    tcpFlags: 0,
    inIf: 0,
    outIf: 0,
    srcAs: 0,
    dstAs: 0,
    srcMask: 0,
    dstMask: 0,
    bytes: 0,
    packets: 0,
    start: 0,
    end: 0,
  };
}

/** Writes a record's IPv4 address (builders only): the caller built the record, so bad text is its bug, a RangeError. */
export function writeAddress4(buf: Buffer, at: number, addr: string): void {
  const n = parseIpv4(addr);
  if (n === undefined) throw new RangeError(`not an IPv4 address: ${addr}`);
  writeIpv4(buf, at, n);
}

/** Writes a record's IPv6 address (builders only); a RangeError for text that is not one. */
export function writeAddress6(buf: Buffer, at: number, addr: string): void {
  const b = parseIpv6(addr);
  if (!b) throw new RangeError(`not an IPv6 address: ${addr}`);
  writeIpv6(buf, at, b);
}
