import { ProtocolError } from '../wire/protocol-error';

/** Stream frames: u32 big-endian length, then that many bytes of UTF-8 JSON (one message object). */
export const STREAM_MAX_FRAME = 16 * 1024 * 1024;
export const STREAM_VERSION = 1;

export function encodeFrame(msg: object): Buffer {
  const body = Buffer.from(JSON.stringify(msg), 'utf8');
  if (body.length > STREAM_MAX_FRAME)
    throw new ProtocolError('too_large', 0, `Stream frame of ${body.length} bytes exceeds ${STREAM_MAX_FRAME}`);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/** Splits a byte stream into messages; partial frames wait for the rest; a bad frame fails the stream. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrame = STREAM_MAX_FRAME) {}

  push(chunk: Buffer): Record<string, unknown>[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: Record<string, unknown>[] = [];
    let off = 0;
    while (this.pending.length - off >= 4) {
      const len = this.pending.readUInt32BE(off);
      if (len > this.maxFrame)
        throw new ProtocolError('too_large', off, `Stream frame of ${len} bytes exceeds ${this.maxFrame}`);
      if (this.pending.length - off - 4 < len) break;
      const body = this.pending.subarray(off + 4, off + 4 + len);
      let msg: unknown;
      try {
        msg = JSON.parse(body.toString('utf8'));
      } catch {
        throw new ProtocolError('bad_frame', off + 4, 'Stream frame is not JSON');
      }
      if (
        typeof msg !== 'object' ||
        msg === null ||
        Array.isArray(msg) ||
        typeof (msg as { t?: unknown }).t !== 'string'
      ) {
        throw new ProtocolError('bad_frame', off + 4, 'Stream frame is not a message object with a type');
      }
      out.push(msg as Record<string, unknown>);
      off += 4 + len;
    }
    this.pending = off === 0 ? this.pending : Buffer.from(this.pending.subarray(off));
    return out;
  }
}
