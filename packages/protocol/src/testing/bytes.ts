/**
 * Test-only helpers that write URFA bytes by hand from shared/URFA.md (never through the codec under test):
 * packet = u8 code, u8 version 35, u16 total length; attribute = u8 type, u8 0, u16 length incl. header, data.
 */
export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/[^0-9a-fA-F]/g, ''), 'hex');
}

export function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}

export function i32(n: number): number[] {
  const v = n >>> 0;
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

export function rawAttr(type: number, data: number[] | Buffer): number[] {
  const d = [...data];
  return [type, 0, ...u16(4 + d.length), ...d];
}

export function rawPacket(code: number, ...attrs: number[][]): Buffer {
  const body = attrs.flat();
  return Buffer.from([code, 35, ...u16(4 + body.length), ...body]);
}

/** Splits received bytes into whole packets by their length field (test-side, independent of the codec). */
export function splitPackets(buf: Buffer): { packets: Buffer[]; rest: Buffer } {
  const packets: Buffer[] = [];
  let off = 0;
  while (buf.length - off >= 4) {
    const len = buf.readUInt16BE(off + 2);
    if (len < 4 || buf.length - off < len) break;
    packets.push(buf.subarray(off, off + len));
    off += len;
  }
  return { packets, rest: buf.subarray(off) };
}

/** The attributes of a raw packet as [type, data] pairs (test-side). */
export function rawAttrs(p: Buffer): [number, Buffer][] {
  const out: [number, Buffer][] = [];
  let off = 4;
  while (off + 4 <= p.length) {
    const len = p.readUInt16BE(off + 2);
    out.push([p[off]!, p.subarray(off + 4, off + len)]);
    off += len;
  }
  return out;
}
