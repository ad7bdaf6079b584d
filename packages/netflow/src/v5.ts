import { readIpv4 } from '@utm5/inet';
import { writeAddress4, type ExportHeader, type FlowRecord } from './flow';
import { NetflowError } from './netflow-error';

// NetFlow v5 and v7 (Cisco): a 24-byte header and fixed records of 48 (v5) or 52 (v7) bytes, at most 30 a packet.
export const V5_HEADER = 24;
export const V5_RECORD = 48;
export const V7_RECORD = 52;
export const V5_MAX_RECORDS = 30;

/** Exporter uptime (ms) to unix ms, given the header's uptime and unix time (32-bit uptime wraps after 49.7 days). */
export function uptimeToUnix(uptime: number, sysUptime: number, unixMs: number): number {
  let back = sysUptime - uptime;
  if (back < -0x80000000) back += 0x100000000;
  else if (back > 0x80000000) back -= 0x100000000;
  return unixMs - back;
}

export function decodeV5(buf: Buffer): { header: ExportHeader; records: FlowRecord[] } {
  const version = buf.readUInt16BE(0);
  if (version !== 5 && version !== 7) throw new NetflowError('version', `NetFlow version ${version} is not 5 or 7`);
  if (buf.length < V5_HEADER)
    throw new NetflowError('truncated', `NetFlow v${version} header needs ${V5_HEADER} bytes, got ${buf.length}`);
  const count = buf.readUInt16BE(2);
  const size = version === 5 ? V5_RECORD : V7_RECORD;
  if (count > V5_MAX_RECORDS)
    throw new NetflowError('count', `NetFlow v${version} announces ${count} records (30 at most)`);
  if (buf.length < V5_HEADER + count * size) {
    throw new NetflowError(
      'truncated',
      `NetFlow v${version} with ${count} records needs ${V5_HEADER + count * size} bytes, got ${buf.length}`,
    );
  }
  const sysUptime = buf.readUInt32BE(4);
  const secs = buf.readUInt32BE(8);
  const unixMs = secs * 1000 + Math.floor(buf.readUInt32BE(12) / 1e6);
  const header: ExportHeader = {
    version,
    count,
    sysUptime,
    exportTime: secs,
    sequence: buf.readUInt32BE(16),
    domain: version === 5 ? buf.readUInt16BE(20) : 0,
  };
  const records: FlowRecord[] = [];
  for (let i = 0, at = V5_HEADER; i < count; i++, at += size) {
    records.push({
      ipVersion: 4,
      srcAddr: readIpv4(buf, at),
      dstAddr: readIpv4(buf, at + 4),
      nextHop: readIpv4(buf, at + 8),
      inIf: buf.readUInt16BE(at + 12),
      outIf: buf.readUInt16BE(at + 14),
      packets: buf.readUInt32BE(at + 16),
      bytes: buf.readUInt32BE(at + 20),
      start: uptimeToUnix(buf.readUInt32BE(at + 24), sysUptime, unixMs),
      end: uptimeToUnix(buf.readUInt32BE(at + 28), sysUptime, unixMs),
      srcPort: buf.readUInt16BE(at + 32),
      dstPort: buf.readUInt16BE(at + 34),
      tcpFlags: buf[at + 37]!,
      protocol: buf[at + 38]!,
      tos: buf[at + 39]!,
      srcAs: buf.readUInt16BE(at + 40),
      dstAs: buf.readUInt16BE(at + 42),
      srcMask: buf[at + 44]!,
      dstMask: buf[at + 45]!,
    });
  }
  return { header, records };
}

export interface V5BuildOptions {
  version?: 5 | 7;
  sequence: number;
  /** Export time, unix ms; record start/end are written relative to it through sysUptime. */
  unixMs: number;
  sysUptime: number;
  engineType?: number;
  engineId?: number;
}

/** Builds one v5 (or v7) packet of up to 30 records. */
export function encodeV5(o: V5BuildOptions, records: readonly FlowRecord[]): Buffer {
  const version = o.version ?? 5;
  if (records.length > V5_MAX_RECORDS)
    throw new RangeError(`a NetFlow v${version} packet holds 30 records at most (got ${records.length})`);
  const size = version === 5 ? V5_RECORD : V7_RECORD;
  const buf = Buffer.alloc(V5_HEADER + records.length * size);
  buf.writeUInt16BE(version, 0);
  buf.writeUInt16BE(records.length, 2);
  buf.writeUInt32BE(o.sysUptime >>> 0, 4);
  buf.writeUInt32BE(Math.floor(o.unixMs / 1000), 8);
  buf.writeUInt32BE((o.unixMs % 1000) * 1e6, 12);
  buf.writeUInt32BE(o.sequence >>> 0, 16);
  if (version === 5) {
    buf[20] = o.engineType ?? 0;
    buf[21] = o.engineId ?? 0;
  }
  const up = (t: number) => (o.sysUptime - (o.unixMs - t)) >>> 0;
  records.forEach((r, i) => {
    const at = V5_HEADER + i * size;
    writeAddress4(buf, at, r.srcAddr);
    writeAddress4(buf, at + 4, r.dstAddr);
    writeAddress4(buf, at + 8, r.nextHop);
    buf.writeUInt16BE(r.inIf & 0xffff, at + 12);
    buf.writeUInt16BE(r.outIf & 0xffff, at + 14);
    buf.writeUInt32BE(r.packets >>> 0, at + 16);
    buf.writeUInt32BE(r.bytes >>> 0, at + 20);
    buf.writeUInt32BE(up(r.start), at + 24);
    buf.writeUInt32BE(up(r.end), at + 28);
    buf.writeUInt16BE(r.srcPort, at + 32);
    buf.writeUInt16BE(r.dstPort, at + 34);
    buf[at + 37] = r.tcpFlags;
    buf[at + 38] = r.protocol;
    buf[at + 39] = r.tos;
    buf.writeUInt16BE(r.srcAs & 0xffff, at + 40);
    buf.writeUInt16BE(r.dstAs & 0xffff, at + 42);
    buf[at + 44] = r.srcMask;
    buf[at + 45] = r.dstMask;
  });
  return buf;
}
