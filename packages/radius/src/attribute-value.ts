import type { AttributeDef, DataType } from './dictionary/types';
import { RadiusEncodeError } from './encode-error';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './ip-address';

/**
 * A decoded value: `text` -> string, `octets` -> Buffer (a view into the packet), `integer`/`byte`/`short` -> number,
 * `date` -> unix seconds (STYLE rule 14: seconds in every signature, not Date), `integer64` -> bigint,
 * `ipaddr`/`ipv6addr` -> dotted/RFC 5952 text, `ipv6prefix` -> "addr/len", `ifid` -> "xxxx:xxxx:xxxx:xxxx".
 */
export type AttributeValue = string | number | bigint | Buffer;

/**
 * Decodes the value in `b[start..end)`, or returns undefined when its length does not fit the type (the decoder then
 * keeps it raw). Offsets rather than a slice, so text and numbers are read without creating a Buffer view each.
 */
export function decodeValue(dataType: DataType, b: Buffer, start = 0, end = b.length): AttributeValue | undefined {
  const len = end - start;
  switch (dataType) {
    case 'text':
      return b.toString('utf8', start, end);
    case 'octets':
    case 'vsa':
      return b.subarray(start, end);
    case 'integer':
    case 'date':
      return len === 4 ? b.readUInt32BE(start) : undefined;
    case 'ipaddr':
      return len === 4 ? formatIpv4(b, start) : undefined;
    case 'ipv6addr':
      return len === 16 ? formatIpv6(b.subarray(start, end)) : undefined;
    case 'ipv6prefix': {
      // RFC 3162 2.3: reserved byte, prefix length, then as many prefix bytes as the sender chose (up to 16).
      const bits = b[start + 1]!;
      if (len < 2 || len > 18 || bits > 128 || (len - 2) * 8 < bits) return undefined;
      const addr = Buffer.alloc(16);
      b.copy(addr, 0, start + 2, end);
      return `${formatIpv6(addr)}/${bits}`;
    }
    case 'ifid':
      return len === 8 ? (b.toString('hex', start, end).match(/.{4}/g) as string[]).join(':') : undefined;
    case 'integer64':
      return len === 8 ? b.readBigUInt64BE(start) : undefined;
    case 'byte':
      return len === 1 ? b[start] : undefined;
    case 'short':
      return len === 2 ? b.readUInt16BE(start) : undefined;
  }
}

/** Encodes one value for `def` (named integer values accepted); throws RadiusEncodeError on a bad value. */
export function encodeValue(def: AttributeDef, value: AttributeValue): Buffer {
  const bad = (why: string): never => {
    throw new RadiusEncodeError(`${def.name}: ${why} (got ${JSON.stringify(String(value))})`);
  };
  if (Buffer.isBuffer(value)) return value;
  switch (def.dataType) {
    case 'text':
    case 'octets':
    case 'vsa':
      return Buffer.from(String(value), 'utf8');
    case 'integer':
    case 'date':
      return fixedInt(4, integerOf(def, value, bad), bad);
    case 'byte':
      return fixedInt(1, integerOf(def, value, bad), bad);
    case 'short':
      return fixedInt(2, integerOf(def, value, bad), bad);
    case 'integer64': {
      let n: bigint;
      try {
        n = BigInt(value);
      } catch {
        return bad('not an integer');
      }
      if (n < 0n || n > 0xffffffffffffffffn) bad('out of the 64-bit unsigned range');
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(n);
      return out;
    }
    case 'ipaddr':
      return parseIpv4(String(value)) ?? bad('not an IPv4 address');
    case 'ipv6addr':
      return parseIpv6(String(value)) ?? bad('not an IPv6 address');
    case 'ipv6prefix': {
      const [addr, len] = String(value).split('/');
      const bits = Number(len);
      const bytes = addr === undefined ? undefined : parseIpv6(addr);
      if (!bytes || !Number.isInteger(bits) || bits < 0 || bits > 128) return bad('not an IPv6 prefix "addr/len"');
      return Buffer.concat([Buffer.from([0, bits]), bytes]);
    }
    case 'ifid': {
      // Four groups of up to four hex digits (leading zeros may be dropped, as in IPv6 text).
      const groups = String(value).split(':');
      if (groups.length !== 4 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) {
        bad('not an interface id "xxxx:xxxx:xxxx:xxxx"');
      }
      return Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex');
    }
  }
}

function integerOf(def: AttributeDef, value: string | number | bigint, bad: (why: string) => never): number {
  if (typeof value === 'string') {
    const named = def.values.get(value);
    if (named !== undefined) return named;
    if (!/^\d+$/.test(value)) bad('neither a number nor a named value');
    return Number(value);
  }
  return Number(value);
}

function fixedInt(size: 1 | 2 | 4, n: number, bad: (why: string) => never): Buffer {
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** (size * 8)) bad(`out of the ${size * 8}-bit unsigned range`);
  const out = Buffer.alloc(size);
  out.writeUIntBE(n, 0, size);
  return out;
}
