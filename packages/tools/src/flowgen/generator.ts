import { randomBytes } from 'node:crypto';
import { V5_MAX_RECORDS, emptyFlow, encodeIpfix, encodeV5, encodeV9, type FlowRecord } from '@utm5/netflow';

/** What the command line fixes in every record; anything unset is drawn from the random source. */
export interface FlowTemplate {
  srcAddr?: string;
  dstAddr?: string;
  srcPort?: number;
  dstPort?: number;
  srcAs?: number;
  dstAs?: number;
  inIf?: number;
  outIf?: number;
  bytes?: number;
  packets?: number;
  tos?: number;
  tcpFlags?: number;
  protocol?: number;
  nextHop?: string;
}

/** Random bytes from /dev/random-like source or from a file read round (-f). */
export class ByteSource {
  private at = 0;
  constructor(private readonly data?: Buffer) {}
  take(n: number): Buffer {
    if (!this.data || this.data.length === 0) return randomBytes(n);
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.data[this.at++ % this.data.length]!;
    return out;
  }
}

export function makeRecord(t: FlowTemplate, src: ByteSource, nowMs: number): FlowRecord {
  const r = src.take(32);
  const ip = (o: number) => `${r[o]}.${r[o + 1]}.${r[o + 2]}.${r[o + 3]}`;
  return {
    ...emptyFlow(),
    srcAddr: t.srcAddr ?? ip(0),
    dstAddr: t.dstAddr ?? ip(4),
    nextHop: t.nextHop ?? '0.0.0.0',
    srcPort: t.srcPort ?? r.readUInt16BE(8),
    dstPort: t.dstPort ?? r.readUInt16BE(10),
    srcAs: t.srcAs ?? 0,
    dstAs: t.dstAs ?? 0,
    inIf: t.inIf ?? r[12]! % 8,
    outIf: t.outIf ?? r[13]! % 8,
    bytes: t.bytes ?? 40 + (r.readUInt32BE(14) % 1_500_000),
    packets: t.packets ?? 1 + (r.readUInt16BE(18) % 1000),
    tos: t.tos ?? 0,
    tcpFlags: t.tcpFlags ?? r[20]! & 0x3f,
    protocol: t.protocol ?? [6, 17, 1][r[21]! % 3]!,
    srcMask: 0,
    dstMask: 0,
    start: nowMs - 1000 - r[22]! * 100,
    end: nowMs - 1000,
  };
}

export interface PacketPlan {
  version: 5 | 9 | 10;
  /** v9/IPFIX: the template goes in the first packet and then every this many packets. */
  templateEvery: number;
  domain: number;
  bootMs: number;
}

/**
 * Numbers export packets as exporters do: v5 sequence = flows sent before the packet, v9 = packets sent before,
 * IPFIX = data records sent before; v9/IPFIX carry the template in the first packet and every `templateEvery`.
 */
export class PacketBuilder {
  private sentFlows = 0;
  private sentPackets = 0;

  constructor(private readonly plan: PacketPlan) {}

  /** One packet of up to 30 records (the v5 limit, used for v9/IPFIX too), exported at unixMs. */
  build(records: readonly FlowRecord[], exportMs: number): Buffer {
    const plan = this.plan;
    // A v9 header gives the export time in whole seconds, and collectors place flow times from it and the uptime:
    // exporting on a whole second keeps the flow times to the millisecond.
    const unixMs = plan.version === 9 ? Math.floor(exportMs / 1000) * 1000 : exportMs;
    const sysUptime = Math.max(0, unixMs - plan.bootMs);
    let pkt: Buffer;
    if (plan.version === 5) {
      pkt = encodeV5({ sequence: this.sentFlows, unixMs, sysUptime }, records);
    } else {
      const withTemplate = this.sentPackets % plan.templateEvery === 0;
      const o = {
        domain: plan.domain,
        sequence: plan.version === 9 ? this.sentPackets : this.sentFlows,
        unixMs,
        sysUptime,
        withTemplate,
      };
      pkt = plan.version === 9 ? encodeV9(o, records) : encodeIpfix(o, records);
    }
    this.sentFlows += records.length;
    this.sentPackets++;
    return pkt;
  }
}

/** Splits `count` generated records into export packets of 30 records each. */
export function* packets(
  plan: PacketPlan,
  count: number,
  next: (i: number) => FlowRecord,
  now: () => number,
): Generator<Buffer> {
  const builder = new PacketBuilder(plan);
  for (let sent = 0; sent < count;) {
    const n = Math.min(V5_MAX_RECORDS, count - sent);
    const records = Array.from({ length: n }, (_, k) => next(sent + k));
    yield builder.build(records, now());
    sent += n;
  }
}
