import { ProtocolError } from '../wire/protocol-error';
import { Reader } from '../wire/reader';
import { Writer } from '../wire/writer';
import { AttrType, URFA_HEADER, URFA_MAX_OUTPUT_PACKET, URFA_MAX_PACKET, URFA_VERSION } from './constants';

export interface UrfaAttr {
  readonly type: number;
  readonly data: Buffer;
}

export interface UrfaPacket {
  readonly code: number;
  readonly attrs: readonly UrfaAttr[];
}

export function attr(type: number, data: Buffer): UrfaAttr {
  return { type, data };
}

export function intAttr(type: number, v: number): UrfaAttr {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v | 0);
  return { type, data: b };
}

/** The first attribute of a type, if any. */
export function findAttr(p: UrfaPacket, type: number): UrfaAttr | undefined {
  return p.attrs.find((a) => a.type === type);
}

/** An attribute read as a 32-bit integer (shorter data is read right-aligned, as some clients send 1-2 bytes). */
export function attrInt(a: UrfaAttr | undefined): number | undefined {
  if (!a) return undefined;
  if (a.data.length >= 4) return a.data.readInt32BE(0);
  if (a.data.length === 0) return 0;
  return a.data.readUIntBE(0, a.data.length);
}

export function encodedSize(attrs: readonly UrfaAttr[]): number {
  return attrs.reduce((n, a) => n + URFA_HEADER + a.data.length, URFA_HEADER);
}

export function encodePacket(p: UrfaPacket): Buffer {
  const size = encodedSize(p.attrs);
  if (size > URFA_MAX_PACKET) {
    throw new ProtocolError('too_large', 0, `URFA packet of ${size} bytes exceeds ${URFA_MAX_PACKET}`);
  }
  const w = new Writer(size);
  w.u8(p.code).u8(URFA_VERSION).u16(size);
  for (const a of p.attrs)
    w.u8(a.type)
      .u8(0)
      .u16(URFA_HEADER + a.data.length)
      .bytes(a.data);
  return w.finish();
}

/** Decodes one complete packet (the buffer holds exactly its bytes). */
export function decodePacket(buf: Buffer): UrfaPacket {
  const r = new Reader(buf);
  const code = r.u8('packet code');
  const version = r.u8('packet version');
  if (version !== URFA_VERSION) {
    throw new ProtocolError('bad_version', 1, `URFA version ${version}, expected ${URFA_VERSION}`);
  }
  const len = r.u16('packet length');
  if (len < URFA_HEADER || len !== buf.length) {
    throw new ProtocolError('bad_length', 2, `URFA packet length field ${len} does not match ${buf.length} bytes`);
  }
  const attrs: UrfaAttr[] = [];
  while (r.remaining > 0) {
    const at = r.offset;
    if (r.remaining < URFA_HEADER) {
      throw new ProtocolError('bad_attribute', at, `${r.remaining} stray bytes after the last attribute`);
    }
    const b0 = r.u8();
    const b1 = r.u8();
    // The second byte is always 0 from UTM5; a client writing the type as a big-endian u16 puts it here instead.
    const type = b0 === 0 && b1 !== 0 ? b1 : b0;
    const alen = r.u16();
    if (alen < URFA_HEADER || alen - URFA_HEADER > r.remaining) {
      throw new ProtocolError('bad_attribute', at, `attribute ${type} length ${alen} does not fit the packet`);
    }
    attrs.push({ type, data: Buffer.from(r.bytes(alen - URFA_HEADER)) });
  }
  return { code, attrs };
}

/**
 * Splits a TCP byte stream into packets: partial input is kept until the rest arrives; a malformed header fails
 * the stream (the caller closes that connection).
 */
export class PacketDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): UrfaPacket[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: UrfaPacket[] = [];
    let off = 0;
    while (this.pending.length - off >= URFA_HEADER) {
      if (this.pending[off + 1] !== URFA_VERSION) {
        throw new ProtocolError(
          'bad_version',
          off + 1,
          `URFA version ${this.pending[off + 1]}, expected ${URFA_VERSION}`,
        );
      }
      const len = this.pending.readUInt16BE(off + 2);
      if (len < URFA_HEADER)
        throw new ProtocolError('bad_length', off + 2, `URFA packet length ${len} is below the header size`);
      if (this.pending.length - off < len) break;
      out.push(decodePacket(this.pending.subarray(off, off + len)));
      off += len;
    }
    this.pending = off === 0 ? this.pending : Buffer.from(this.pending.subarray(off));
    return out;
  }

  get buffered(): number {
    return this.pending.length;
  }
}

/**
 * Packs data attributes into as few session-data packets as fit; values are a stream across packets, so a value
 * never straddles two. A single value too large for any packet is refused.
 */
export function packData(code: number, values: readonly Buffer[], maxPacket = URFA_MAX_OUTPUT_PACKET): Buffer[] {
  const out: Buffer[] = [];
  let attrs: UrfaAttr[] = [];
  let size = URFA_HEADER;
  for (const v of values) {
    const need = URFA_HEADER + v.length;
    if (URFA_HEADER + need > URFA_MAX_PACKET) {
      throw new ProtocolError('too_large', 0, `a value of ${v.length} bytes cannot be sent in one URFA attribute`);
    }
    if (size + need > maxPacket && attrs.length > 0) {
      out.push(encodePacket({ code, attrs }));
      attrs = [];
      size = URFA_HEADER;
    }
    attrs.push({ type: AttrType.DATA, data: v });
    size += need;
  }
  if (attrs.length > 0) out.push(encodePacket({ code, attrs }));
  return out;
}
