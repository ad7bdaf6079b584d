import { isIP } from 'node:net';
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
  const v = isIP(t);
  if (v === 4) return Buffer.from([4, ...t.split('.').map(Number)]);
  if (v === 6) return Buffer.concat([Buffer.from([6]), ipv6Bytes(t)]);
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

function ipv6Bytes(s: string): Buffer {
  let text = s;
  let tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    tail = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}0:0`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest !== undefined ? [...h, ...Array(8 - h.length - r.length).fill('0'), ...r] : h;
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  if (tail.length) b.set(tail, 12);
  return b;
}

function ipv6Text(b: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i));
  // Compress the longest run of zero groups, as RFC 5952 writes addresses.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Accepts the 5.3 form (version byte + 4 or 16 bytes) and the older raw 4 or 16 bytes. */
export function decodeIp(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length === 5 && b[0] === 4) return [...b.subarray(1)].join('.');
  if (b.length === 16) return ipv6Text(b);
  if (b.length === 17 && b[0] === 6) return ipv6Text(b.subarray(1));
  throw bad(`an ip_address of ${b.length} bytes`);
}

export function encodeScalar(type: ScalarType, s: string): Buffer {
  switch (type) {
    case 'integer': return encodeInteger(s);
    case 'long': return encodeLong(s);
    case 'double': return encodeDouble(s);
    case 'string': return encodeString(s);
    case 'ip_address': return encodeIp(s);
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
