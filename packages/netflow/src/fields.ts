import { formatIpv6, readIpv4 } from '@utm5/inet';
import { writeAddress4, writeAddress6, type FlowRecord } from './flow';

/**
 * The information elements the decoder maps onto FlowRecord (NetFlow v9 field types = IPFIX element ids for these).
 * Anything else is skipped by its length; enterprise elements (IPFIX) are always skipped.
 */
export const IE = {
  BYTES: 1,
  PACKETS: 2,
  PROTOCOL: 4,
  TOS: 5,
  TCP_FLAGS: 6,
  SRC_PORT: 7,
  SRC_ADDR: 8,
  SRC_MASK: 9,
  IN_IF: 10,
  DST_PORT: 11,
  DST_ADDR: 12,
  DST_MASK: 13,
  OUT_IF: 14,
  NEXT_HOP: 15,
  SRC_AS: 16,
  DST_AS: 17,
  LAST_UPTIME: 21,
  FIRST_UPTIME: 22,
  SRC_ADDR6: 27,
  DST_ADDR6: 28,
  SRC_MASK6: 29,
  DST_MASK6: 30,
  NEXT_HOP6: 62,
  BYTES_TOTAL: 85,
  PACKETS_TOTAL: 86,
  START_SEC: 150,
  END_SEC: 151,
  START_MS: 152,
  END_MS: 153,
} as const;

export function readUint(buf: Buffer, at: number, len: number): number {
  if (len <= 6) return len === 0 ? 0 : buf.readUIntBE(at, len);
  if (len === 8) return Number(buf.readBigUInt64BE(at));
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + buf[at + i]!;
  return v;
}

/** Times a record carries, resolved after all its fields are read (they depend on the header's clock). */
export interface RecordTimes {
  firstUptime: number;
  lastUptime: number;
  startMs: number;
  endMs: number;
}

/** Sets one field's value on the record. */
export function applyField(r: FlowRecord, t: RecordTimes, id: number, buf: Buffer, at: number, len: number): void {
  switch (id) {
    case IE.BYTES:
      r.bytes = readUint(buf, at, len);
      break;
    case IE.BYTES_TOTAL:
      if (r.bytes === 0) r.bytes = readUint(buf, at, len);
      break;
    case IE.PACKETS:
      r.packets = readUint(buf, at, len);
      break;
    case IE.PACKETS_TOTAL:
      if (r.packets === 0) r.packets = readUint(buf, at, len);
      break;
    case IE.PROTOCOL:
      r.protocol = readUint(buf, at, len);
      break;
    case IE.TOS:
      r.tos = readUint(buf, at, len);
      break;
    case IE.TCP_FLAGS:
      r.tcpFlags = readUint(buf, at, len) & 0xff;
      break;
    case IE.SRC_PORT:
      r.srcPort = readUint(buf, at, len);
      break;
    case IE.DST_PORT:
      r.dstPort = readUint(buf, at, len);
      break;
    case IE.SRC_ADDR:
      if (len === 4) r.srcAddr = readIpv4(buf, at);
      break;
    case IE.DST_ADDR:
      if (len === 4) r.dstAddr = readIpv4(buf, at);
      break;
    case IE.NEXT_HOP:
      if (len === 4) r.nextHop = readIpv4(buf, at);
      break;
    case IE.SRC_ADDR6:
      if (len === 16) {
        r.srcAddr = formatIpv6(buf, at);
        r.ipVersion = 6;
      }
      break;
    case IE.DST_ADDR6:
      if (len === 16) {
        r.dstAddr = formatIpv6(buf, at);
        r.ipVersion = 6;
      }
      break;
    case IE.NEXT_HOP6:
      if (len === 16) r.nextHop = formatIpv6(buf, at);
      break;
    case IE.SRC_MASK:
    case IE.SRC_MASK6:
      r.srcMask = readUint(buf, at, len);
      break;
    case IE.DST_MASK:
    case IE.DST_MASK6:
      r.dstMask = readUint(buf, at, len);
      break;
    case IE.IN_IF:
      r.inIf = readUint(buf, at, len);
      break;
    case IE.OUT_IF:
      r.outIf = readUint(buf, at, len);
      break;
    case IE.SRC_AS:
      r.srcAs = readUint(buf, at, len);
      break;
    case IE.DST_AS:
      r.dstAs = readUint(buf, at, len);
      break;
    case IE.FIRST_UPTIME:
      t.firstUptime = readUint(buf, at, len);
      break;
    case IE.LAST_UPTIME:
      t.lastUptime = readUint(buf, at, len);
      break;
    case IE.START_SEC:
      t.startMs = readUint(buf, at, len) * 1000;
      break;
    case IE.END_SEC:
      t.endMs = readUint(buf, at, len) * 1000;
      break;
    case IE.START_MS:
      t.startMs = readUint(buf, at, len);
      break;
    case IE.END_MS:
      t.endMs = readUint(buf, at, len);
      break;
    default:
      break;
  }
}

/** The fields the builders write, in order, with their lengths (v4 and v6 layouts; times per version). */
export function buildFields(ipVersion: 4 | 6, times: 'uptime' | 'ms'): [number, number][] {
  const addr: [number, number][] =
    ipVersion === 4
      ? [
          [IE.SRC_ADDR, 4],
          [IE.DST_ADDR, 4],
          [IE.NEXT_HOP, 4],
          [IE.SRC_MASK, 1],
          [IE.DST_MASK, 1],
        ]
      : [
          [IE.SRC_ADDR6, 16],
          [IE.DST_ADDR6, 16],
          [IE.NEXT_HOP6, 16],
          [IE.SRC_MASK6, 1],
          [IE.DST_MASK6, 1],
        ];
  const when: [number, number][] =
    times === 'uptime'
      ? [
          [IE.FIRST_UPTIME, 4],
          [IE.LAST_UPTIME, 4],
        ]
      : [
          [IE.START_MS, 8],
          [IE.END_MS, 8],
        ];
  return [
    ...addr,
    [IE.SRC_PORT, 2],
    [IE.DST_PORT, 2],
    [IE.PROTOCOL, 1],
    [IE.TOS, 1],
    [IE.TCP_FLAGS, 1],
    [IE.IN_IF, 4],
    [IE.OUT_IF, 4],
    [IE.SRC_AS, 4],
    [IE.DST_AS, 4],
    [IE.BYTES, 8],
    [IE.PACKETS, 8],
    ...when,
  ];
}

/** Writes one field of a record (builders only). `uptime` converts unix ms to the exporter's uptime. */
export function writeField(
  buf: Buffer,
  at: number,
  id: number,
  len: number,
  r: FlowRecord,
  uptime: (ms: number) => number,
): void {
  const n = (v: number) => {
    if (len === 8) buf.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(v))), at);
    else buf.writeUIntBE(Math.max(0, Math.floor(v)) % 2 ** (8 * len), at, len);
  };
  switch (id) {
    case IE.SRC_ADDR:
      writeAddress4(buf, at, r.srcAddr);
      break;
    case IE.DST_ADDR:
      writeAddress4(buf, at, r.dstAddr);
      break;
    case IE.NEXT_HOP:
      writeAddress4(buf, at, r.nextHop);
      break;
    case IE.SRC_ADDR6:
      writeAddress6(buf, at, r.srcAddr);
      break;
    case IE.DST_ADDR6:
      writeAddress6(buf, at, r.dstAddr);
      break;
    case IE.NEXT_HOP6:
      writeAddress6(buf, at, r.nextHop);
      break;
    case IE.SRC_MASK:
    case IE.SRC_MASK6:
      n(r.srcMask);
      break;
    case IE.DST_MASK:
    case IE.DST_MASK6:
      n(r.dstMask);
      break;
    case IE.SRC_PORT:
      n(r.srcPort);
      break;
    case IE.DST_PORT:
      n(r.dstPort);
      break;
    case IE.PROTOCOL:
      n(r.protocol);
      break;
    case IE.TOS:
      n(r.tos);
      break;
    case IE.TCP_FLAGS:
      n(r.tcpFlags);
      break;
    case IE.IN_IF:
      n(r.inIf);
      break;
    case IE.OUT_IF:
      n(r.outIf);
      break;
    case IE.SRC_AS:
      n(r.srcAs);
      break;
    case IE.DST_AS:
      n(r.dstAs);
      break;
    case IE.BYTES:
      n(r.bytes);
      break;
    case IE.PACKETS:
      n(r.packets);
      break;
    case IE.FIRST_UPTIME:
      n(uptime(r.start));
      break;
    case IE.LAST_UPTIME:
      n(uptime(r.end));
      break;
    case IE.START_MS:
      n(r.start);
      break;
    case IE.END_MS:
      n(r.end);
      break;
    default:
      throw new RangeError(`the builder cannot write field ${id}`);
  }
}
