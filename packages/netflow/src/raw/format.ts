/**
 * Raw detailed traffic files (".utm"): every classified flow the collector saw, as the manual's "Path to .utm file"
 * keeps them for utm5_get_nf_direct and utm5_flowgen -u. Pure encode/decode; the files are written by writer.ts and
 * read by reader.ts.
 *
 * Format, version 1. All integers are unsigned big-endian; times are unix milliseconds.
 *
 *   File header, 16 bytes:
 *     0  [4]  magic "U5RW" (0x55 0x35 0x52 0x57)
 *     4  u16  format version (1)
 *     6  u16  header size in bytes (16; a reader skips what it does not know, so the header may grow)
 *     8  u64  time the file was created, unix ms
 *
 *   Then records back to back until the end of the file. The first byte says the record's layout, hence its size:
 *     0  u8   layout: 4 = the three addresses are IPv4 (100 bytes), 6 = the three addresses take 16 bytes (136 bytes)
 *     1  u8   IP version of the flow (4 or 6)
 *     2  u8   protocol        3  u8  TOS         4  u8  TCP flags     5  u8  source mask   6  u8  destination mask
 *     7  u8   reserved (0; ignored by readers)
 *     8  u16  source port    10  u16 destination port
 *    12  u32  traffic class  16  u32 account id  20  u32 service link id (0 = unknown)
 *    24  u32  input interface  28  u32 output interface  32  u32 source AS  36  u32 destination AS
 *    40  u64  bytes          48  u64 packets     56  u64 flow start   64  u64 flow end
 *    72  [16] NetFlow provider (exporter) address: IPv6, or IPv4 as ::ffff:a.b.c.d; all zero = unknown ('')
 *    88  source, destination, next hop: 4 bytes each (layout 4) or 16 bytes each (layout 6)
 *
 * Layout 6 holds any flow: an IPv6 flow, or an IPv4 flow with an IPv6 next hop. An IPv4 address in a 16-byte slot
 * (the next hop or provider of any flow, the source and destination of an IPv4 flow) is written IPv4-mapped and read
 * back in dotted form; an IPv6 flow's source and destination are always read back as IPv6 text. IPv4 flows take
 * layout 4, a quarter smaller.
 *
 * A file is appended to while the collector runs, so its tail may be a partial record (or it may end inside the
 * header): decoding stops at the last whole record and reports the bytes after it instead of throwing.
 */
import type { FlowRecord } from '../flow';
import { formatIpv6, parseAddress, parseIpv4, readIpv4, writeIpv4 } from '@utm5/inet';

/** A flow as the collector stores it: the NetFlow record plus what classification and account lookup found. */
export interface RawFlow extends FlowRecord {
  /** Traffic class id (0 = unclassified). */
  tclass: number;
  /** Address of the NetFlow exporter the flow came from ('' when unknown). */
  provider: string;
  accountId: number;
  /** Service link id; 0 when unknown. */
  slinkId: number;
}

export interface RawFileHeader {
  version: number;
  headerSize: number;
  /** Unix ms. */
  created: number;
}

/**
 * Why decoding stopped early: `truncated` a partial record (or header) at the end, the normal state of a file being
 * written; `magic`/`version` not a raw file we can read; `record` a record whose layout or IP version byte is
 * unknown (a corrupt file: nothing after it can be framed).
 */
export type RawFileProblemReason = 'truncated' | 'magic' | 'version' | 'record';

export interface RawFileProblem {
  reason: RawFileProblemReason;
  /** Byte offset in the file where the problem starts. */
  offset: number;
  message: string;
}

export interface RawFileContents {
  header?: RawFileHeader;
  flows: RawFlow[];
  /** Bytes after the last whole record (0 for a clean file). */
  trailing: number;
  problem?: RawFileProblem;
}

export const RAW_MAGIC = Buffer.from('U5RW', 'latin1');
export const RAW_VERSION = 1;
export const RAW_HEADER_SIZE = 16;
export const RAW_RECORD_V4 = 100;
export const RAW_RECORD_V6 = 136;
const ADDRS_AT = 88;
const PROVIDER_AT = 72;
const TWO_32 = 0x1_0000_0000;

export function encodeRawHeader(createdMs: number): Buffer {
  const b = Buffer.alloc(RAW_HEADER_SIZE);
  RAW_MAGIC.copy(b, 0);
  b.writeUInt16BE(RAW_VERSION, 4);
  b.writeUInt16BE(RAW_HEADER_SIZE, 6);
  writeU64(b, 8, createdMs, 'created');
  return b;
}

/** The header at the start of buf; a buffer shorter than the header it announces is `truncated`. */
export function decodeRawHeader(buf: Buffer): { header: RawFileHeader } | { problem: RawFileProblem } {
  const short = (need: number) =>
    problem('truncated', 0, `the file ends inside its header (${buf.length} of ${need} bytes)`);
  if (buf.length < 4)
    return { problem: buf.equals(RAW_MAGIC.subarray(0, buf.length)) ? short(RAW_HEADER_SIZE) : notRaw(buf) };
  if (!buf.subarray(0, 4).equals(RAW_MAGIC)) return { problem: notRaw(buf) };
  if (buf.length < 8) return { problem: short(RAW_HEADER_SIZE) };
  const version = buf.readUInt16BE(4);
  if (version !== RAW_VERSION)
    return {
      problem: problem(
        'version',
        4,
        `raw file format version ${version} is not supported (this reader knows version ${RAW_VERSION})`,
      ),
    };
  const headerSize = buf.readUInt16BE(6);
  if (headerSize < RAW_HEADER_SIZE)
    return {
      problem: problem(
        'version',
        6,
        `header size ${headerSize} is below the ${RAW_HEADER_SIZE} bytes of version ${RAW_VERSION}`,
      ),
    };
  if (buf.length < headerSize) return { problem: short(headerSize) };
  return { header: { version, headerSize, created: readU64(buf, 8) } };
}

function notRaw(buf: Buffer): RawFileProblem {
  return problem(
    'magic',
    0,
    `not a raw traffic file: it starts with ${buf.subarray(0, 4).toString('hex') || 'nothing'}, not "U5RW"`,
  );
}

function problem(reason: RawFileProblemReason, offset: number, message: string): RawFileProblem {
  return { reason, offset, message };
}

/** One record; throws RangeError for a flow that cannot be stored (bad address text, a negative or fractional count). */
export function encodeRawFlow(f: RawFlow): Buffer {
  if (f.ipVersion !== 4 && f.ipVersion !== 6) throw new RangeError(`ipVersion ${String(f.ipVersion)} is not 4 or 6`);
  // The common case first, without intermediate arrays: the collector encodes every flow it sees.
  if (f.ipVersion === 4) {
    const b = Buffer.allocUnsafe(RAW_RECORD_V4);
    if (dotted(f.srcAddr, b, ADDRS_AT) && dotted(f.dstAddr, b, ADDRS_AT + 4) && dotted(f.nextHop, b, ADDRS_AT + 8))
      return fill(b, f);
  }
  const b = Buffer.allocUnsafe(RAW_RECORD_V6);
  put16(b, ADDRS_AT, address(f.srcAddr, 'srcAddr'));
  put16(b, ADDRS_AT + 16, address(f.dstAddr, 'dstAddr'));
  put16(b, ADDRS_AT + 32, address(f.nextHop, 'nextHop'));
  return fill(b, f);
}

/** Everything but the addresses; the layout follows from the buffer's size. */
function fill(b: Buffer, f: RawFlow): Buffer {
  b[0] = b.length === RAW_RECORD_V4 ? 4 : 6;
  b[1] = f.ipVersion;
  b[2] = u8(f.protocol, 'protocol');
  b[3] = u8(f.tos, 'tos');
  b[4] = u8(f.tcpFlags, 'tcpFlags');
  b[5] = u8(f.srcMask, 'srcMask');
  b[6] = u8(f.dstMask, 'dstMask');
  b[7] = 0;
  b.writeUInt16BE(u16(f.srcPort, 'srcPort'), 8);
  b.writeUInt16BE(u16(f.dstPort, 'dstPort'), 10);
  b.writeUInt32BE(u32(f.tclass, 'tclass'), 12);
  b.writeUInt32BE(u32(f.accountId, 'accountId'), 16);
  b.writeUInt32BE(u32(f.slinkId, 'slinkId'), 20);
  b.writeUInt32BE(u32(f.inIf, 'inIf'), 24);
  b.writeUInt32BE(u32(f.outIf, 'outIf'), 28);
  b.writeUInt32BE(u32(f.srcAs, 'srcAs'), 32);
  b.writeUInt32BE(u32(f.dstAs, 'dstAs'), 36);
  writeU64(b, 40, f.bytes, 'bytes');
  writeU64(b, 48, f.packets, 'packets');
  writeU64(b, 56, f.start, 'start');
  writeU64(b, 64, f.end, 'end');
  if (f.provider === '') b.fill(0, PROVIDER_AT, PROVIDER_AT + 16);
  else if (!dotted(f.provider, b, PROVIDER_AT + 12)) put16(b, PROVIDER_AT, address(f.provider, 'provider'));
  else MAPPED.copy(b, PROVIDER_AT);
  return b;
}

/** Writes a dotted IPv4 address at `at` and says whether the text was one. */
function dotted(text: string, b: Buffer, at: number): boolean {
  const n = parseIpv4(text);
  if (n === undefined) return false;
  writeIpv4(b, at, n);
  return true;
}

/**
 * The whole records in buf from `at`. Stops without a problem at a record that does not fit (the caller has more
 * bytes coming, or reports them as trailing) and with a `record` problem at a byte that frames nothing.
 * `next` is the offset after the last whole record; `base` is buf's offset in the file, for problem offsets.
 */
export function decodeRawFlows(
  buf: Buffer,
  at: number,
  base = 0,
): { flows: RawFlow[]; next: number; problem?: RawFileProblem } {
  const flows: RawFlow[] = [];
  while (at < buf.length) {
    const layout = buf[at]!;
    const size = layout === 4 ? RAW_RECORD_V4 : layout === 6 ? RAW_RECORD_V6 : 0;
    if (size === 0)
      return {
        flows,
        next: at,
        problem: problem(
          'record',
          base + at,
          `record layout byte ${layout} is not 4 or 6: the file is corrupt from here`,
        ),
      };
    if (at + size > buf.length) break;
    const ipVersion = buf[at + 1]!;
    if (ipVersion !== 4 && ipVersion !== 6) {
      return {
        flows,
        next: at,
        problem: problem(
          'record',
          base + at + 1,
          `record IP version ${ipVersion} is not 4 or 6: the file is corrupt from here`,
        ),
      };
    }
    flows.push(decodeRecord(buf, at, layout, ipVersion));
    at += size;
  }
  return { flows, next: at };
}

function decodeRecord(b: Buffer, at: number, layout: number, ipVersion: 4 | 6): RawFlow {
  // An IPv6 flow's own addresses stay IPv6 text even when IPv4-mapped; a next hop may be of either family.
  const addr = (i: number) =>
    layout === 4
      ? readIpv4(b, at + ADDRS_AT + 4 * i)
      : ipVersion === 6 && i < 2
        ? formatIpv6(b, at + ADDRS_AT + 16 * i)
        : get16(b, at + ADDRS_AT + 16 * i);
  const provider = b.subarray(at + PROVIDER_AT, at + PROVIDER_AT + 16).every((x) => x === 0)
    ? ''
    : get16(b, at + PROVIDER_AT);
  return {
    ipVersion,
    srcAddr: addr(0),
    dstAddr: addr(1),
    nextHop: addr(2),
    srcPort: b.readUInt16BE(at + 8),
    dstPort: b.readUInt16BE(at + 10),
    protocol: b[at + 2]!,
    tos: b[at + 3]!,
    tcpFlags: b[at + 4]!,
    inIf: b.readUInt32BE(at + 24),
    outIf: b.readUInt32BE(at + 28),
    srcAs: b.readUInt32BE(at + 32),
    dstAs: b.readUInt32BE(at + 36),
    srcMask: b[at + 5]!,
    dstMask: b[at + 6]!,
    bytes: readU64(b, at + 40),
    packets: readU64(b, at + 48),
    start: readU64(b, at + 56),
    end: readU64(b, at + 64),
    tclass: b.readUInt32BE(at + 12),
    provider,
    accountId: b.readUInt32BE(at + 16),
    slinkId: b.readUInt32BE(at + 20),
  };
}

/** A whole file in memory: header, records, and what stopped the decoding if it stopped early. Never throws. */
export function decodeRawFile(buf: Buffer): RawFileContents {
  const h = decodeRawHeader(buf);
  if ('problem' in h) return { flows: [], trailing: buf.length, problem: h.problem };
  const { flows, next, problem: bad } = decodeRawFlows(buf, h.header.headerSize);
  const trailing = buf.length - next;
  const out: RawFileContents = { header: h.header, flows, trailing };
  if (bad) out.problem = bad;
  else if (trailing > 0) out.problem = truncatedTail(next, trailing);
  return out;
}

export function truncatedTail(offset: number, trailing: number): RawFileProblem {
  return problem(
    'truncated',
    offset,
    `${trailing} bytes after the last whole record at offset ${offset} (a partial record: the file may still be being written)`,
  );
}

// An IPv4 address in a 16-byte slot is IPv4-mapped (::ffff:a.b.c.d), the form dual-stack sockets report it in.
const MAPPED = Buffer.from('00000000000000000000ffff', 'hex');

function put16(b: Buffer, at: number, a: Uint8Array): void {
  if (a.length === 4) {
    MAPPED.copy(b, at);
    b.set(a, at + 12);
  } else b.set(a, at);
}

function get16(b: Buffer, at: number): string {
  return b.subarray(at, at + 12).equals(MAPPED) ? readIpv4(b, at + 12) : formatIpv6(b, at);
}

function address(text: string, field: string): Uint8Array {
  // "::ffff:10.0.0.1" is how a dual-stack socket names an IPv4 exporter: stored, like any IPv4 address, mapped.
  const a = parseAddress(text);
  if (!a) throw new RangeError(`${field} '${text}' is not an IPv4 or IPv6 address`);
  return a;
}

function checked(v: number, max: number, field: string): number {
  if (!Number.isInteger(v) || v < 0 || v > max)
    throw new RangeError(`${field} ${v} is not an integer from 0 to ${max}`);
  return v;
}
const u8 = (v: number, f: string) => checked(v, 0xff, f);
const u16 = (v: number, f: string) => checked(v, 0xffff, f);
const u32 = (v: number, f: string) => checked(v, 0xffff_ffff, f);

function writeU64(b: Buffer, at: number, v: number, field: string): void {
  checked(v, Number.MAX_SAFE_INTEGER, field);
  b.writeUInt32BE(Math.floor(v / TWO_32), at);
  b.writeUInt32BE(v % TWO_32, at + 4);
}

/** Above 2^53 (only in a corrupt file) precision is lost rather than throwing. */
function readU64(b: Buffer, at: number): number {
  return b.readUInt32BE(at) * TWO_32 + b.readUInt32BE(at + 4);
}
