import { formatIpv6, parseIpv4, parseIpv6, readIpv4, writeIpv4 } from '@utm5/inet';
import { ProtocolError } from '../wire/protocol-error';

/** The scalar types of api.xml. */
export type ScalarType = 'integer' | 'long' | 'double' | 'string' | 'ip_address';

const INT_RE = /^[+-]?\d+$/;

function bad(what: string): ProtocolError {
  return new ProtocolError('bad_value', 0, what);
}

const HEX_RE = /^-?0x[0-9a-f]+$/i;

/** Decimal, or hexadecimal with 0x (function ids are written so), to a number; undefined when neither. */
function integerText(t: string): number | undefined {
  // An empty value is 0, as UTM5's own tools read it (NetUP's api.xml has integer inputs defaulting to "").
  if (t === '') return 0;
  if (INT_RE.test(t)) return Number(t);
  if (HEX_RE.test(t)) return t.startsWith('-') ? -Number(t.slice(1)) : Number(t);
  return undefined;
}

/** int32 from text; values up to 2^32-1 are taken as unsigned and wrapped, as UTM5 tools do. */
export function encodeInteger(s: string): Buffer {
  const t = s.trim();
  const n = integerText(t);
  if (n === undefined) throw bad(`'${s}' is not an integer`);
  if (n < -0x80000000 || n > 0xffffffff) throw bad(`${s} is outside the 32-bit integer range`);
  const b = Buffer.alloc(4);
  b.writeInt32BE(n | 0);
  return b;
}

export function encodeLong(s: string): Buffer {
  const t = s.trim() === '' ? '0' : s.trim();
  if (!INT_RE.test(t)) throw bad(`'${s}' is not an integer`);
  const n = BigInt(t);
  if (n < -(2n ** 63n) || n >= 2n ** 64n) throw bad(`${s} is outside the 64-bit integer range`);
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt.asIntN(64, n));
  return b;
}

export function encodeDouble(s: string): Buffer {
  const t = s.trim();
  const n = t === '' ? 0 : Number(t);
  if (!Number.isFinite(n)) throw bad(`'${s}' is not a number`);
  const b = Buffer.alloc(8);
  b.writeDoubleBE(n);
  return b;
}

export function encodeString(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** ip_address in UTM5 5.3 form: a version byte (4 or 6) and the address. */
export function encodeIp(s: string): Buffer {
  const t = s.trim();
  const v4 = parseIpv4(t);
  if (v4 !== undefined) {
    const b = Buffer.alloc(5);
    b[0] = 4;
    writeIpv4(b, 1, v4);
    return b;
  }
  const v6 = parseIpv6(t);
  if (v6) return Buffer.concat([Buffer.from([6]), v6]);
  // A bare integer is how older scripts pass IPv4 addresses.
  if (INT_RE.test(t)) {
    const n = Number(t);
    if (n >= -0x80000000 && n <= 0xffffffff) {
      const b = Buffer.alloc(5);
      b[0] = 4;
      b.writeUInt32BE(n >>> 0, 1);
      return b;
    }
  }
  throw bad(`'${s}' is not an IP address`);
}

/** Accepts the 5.3 form (version byte + 4 or 16 bytes) and the older raw 4 or 16 bytes. */
export function decodeIp(b: Buffer): string {
  if (b.length === 4) return readIpv4(b, 0);
  if (b.length === 5 && b[0] === 4) return readIpv4(b, 1);
  if (b.length === 16) return formatIpv6(b);
  if (b.length === 17 && b[0] === 6) return formatIpv6(b, 1);
  throw bad(`an ip_address of ${b.length} bytes`);
}

export function encodeScalar(type: ScalarType, s: string): Buffer {
  switch (type) {
    case 'integer':
      return encodeInteger(s);
    case 'long':
      return encodeLong(s);
    case 'double':
      return encodeDouble(s);
    case 'string':
      return encodeString(s);
    case 'ip_address':
      return encodeIp(s);
  }
}

/** Decodes a data attribute to the string form scripts and handlers see. */
export function decodeScalar(type: ScalarType, b: Buffer): string {
  switch (type) {
    case 'integer':
      if (b.length !== 4) throw bad(`an integer of ${b.length} bytes`);
      return String(b.readInt32BE(0));
    case 'long':
      if (b.length !== 8) throw bad(`a long of ${b.length} bytes`);
      return b.readBigInt64BE(0).toString();
    case 'double':
      if (b.length !== 8) throw bad(`a double of ${b.length} bytes`);
      return String(b.readDoubleBE(0));
    case 'string':
      return b.toString('utf8');
    case 'ip_address':
      return decodeIp(b);
  }
}
