import { isIPv4 } from 'node:net';
import type { AttributeInput, VerbatimAttribute } from '@utm5/radius';
import { UsageError } from '../cli/args';

/** One attribute of the request, in command-line order. */
export type RequestAttribute =
  /** -a or -b: the value bytes as given; vendor 0 is a standard attribute, any other a Vendor-Specific (26) one. */
  | { kind: 'value'; vendor: number; type: number; value: Buffer }
  /** -u: User-Password (2), hidden with the Request Authenticator when the packet is encoded (RFC 2865 §5.2). */
  | { kind: 'password'; password: string };

/** An attribute carries 1..253 value bytes; a vendor's one inside Vendor-Specific 6 fewer (RFC 2865 §5, §5.26). */
const MAX_VALUE = 253;
const MAX_VENDOR_VALUE = MAX_VALUE - 6;
/** The high octet of a Vendor-Id is 0 (RFC 2865 §5.26): 24-bit enterprise numbers. */
const MAX_VENDOR = 0xffffff;
const MAX_PASSWORD = 128;

/** -a vendor_id:attr_id:is_digit:value. The value is everything after the third colon, colons included. */
export function valueAttribute(spec: string): RequestAttribute {
  const m = /^([^:]*):([^:]*):([^:]*):(.*)$/s.exec(spec);
  if (!m) throw new UsageError(`-a ${spec}: expected vendor_id:attr_id:is_digit:value, e.g. 0:1:0:username`);
  const [vendor, type] = ids('-a', spec, m[1]!, m[2]!);
  if (m[3] !== '0' && m[3] !== '1')
    throw new UsageError(`-a ${spec}: is_digit is ${m[3]}: 0 sends the value as a string, 1 as a 32-bit integer`);
  const value = m[3] === '1' ? integerValue(spec, m[4]!) : Buffer.from(m[4]!, 'utf8');
  return checked('-a', spec, { kind: 'value', vendor, type, value });
}

/** -b vendor_id:attr_id:hex: the value bytes in hex (an optional 0x in front). */
export function hexAttribute(spec: string): RequestAttribute {
  const m = /^([^:]*):([^:]*):(?:0x)?([0-9a-fA-F]*)$/.exec(spec);
  if (!m) throw new UsageError(`-b ${spec}: expected vendor_id:attr_id:hex, e.g. 0:25:0a0b0c (hex digits only)`);
  if (m[3]!.length % 2 !== 0) throw new UsageError(`-b ${spec}: an odd number of hex digits: two make a byte`);
  const [vendor, type] = ids('-b', spec, m[1]!, m[2]!);
  return checked('-b', spec, { kind: 'value', vendor, type, value: Buffer.from(m[3]!, 'hex') });
}

export function passwordAttribute(password: string): RequestAttribute {
  const n = Buffer.byteLength(password, 'utf8');
  if (n < 1 || n > MAX_PASSWORD)
    throw new UsageError(`-u: the password has ${n} bytes: User-Password carries 1 to ${MAX_PASSWORD}`);
  return { kind: 'password', password };
}

/** The vendor field may be empty (the manual: "Default value is 0"). */
function ids(flag: string, spec: string, vendor: string, type: string): [number, number] {
  const v = vendor === '' ? 0 : Number(vendor);
  if (!/^\d*$/.test(vendor) || v > MAX_VENDOR)
    throw new UsageError(`${flag} ${spec}: vendor_id ${vendor} is not an integer 0..${MAX_VENDOR}`);
  if (!/^\d+$/.test(type) || Number(type) < 1 || Number(type) > 255)
    throw new UsageError(`${flag} ${spec}: attr_id ${type} is not an integer 1..255`);
  return [v, Number(type)];
}

/** is_digit 1: a decimal or 0x-hex integer up to 2^32-1, or a dotted IPv4 address (the same four bytes). */
function integerValue(spec: string, v: string): Buffer {
  if (isIPv4(v)) return Buffer.from(v.split('.').map(Number));
  const n = /^\d+$|^0x[0-9a-fA-F]+$/.test(v) ? Number(v) : NaN;
  if (!(n <= 0xffffffff)) throw new UsageError(`-a ${spec}: ${v} is not an integer 0..4294967295 (or an IPv4 address)`);
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function checked(flag: string, spec: string, a: RequestAttribute & { kind: 'value' }): RequestAttribute {
  const max = a.vendor === 0 ? MAX_VALUE : MAX_VENDOR_VALUE;
  if (a.value.length < 1 || a.value.length > max) {
    throw new UsageError(
      `${flag} ${spec}: the value has ${a.value.length} bytes: ${a.vendor === 0 ? 'an attribute' : 'a vendor attribute'} carries 1 to ${max}`,
    );
  }
  return a;
}

/** How many bytes the attribute takes in the packet. */
export function wireLength(a: RequestAttribute): number {
  if (a.kind === 'password') return 2 + Math.ceil(Buffer.byteLength(a.password, 'utf8') / 16) * 16;
  return 2 + a.value.length + (a.vendor === 0 ? 0 : 6);
}

/**
 * The attribute as the codec encodes it: -a and -b as their bytes, whatever the dictionary says of the attribute
 * (so -a 0:2:0:x goes unhidden), a vendor's one in a Vendor-Specific of its own; -u by name, hidden by the encoder.
 */
export function codecAttribute(a: RequestAttribute): AttributeInput | VerbatimAttribute {
  if (a.kind === 'password') return { name: 'User-Password', value: a.password };
  return { vendor: a.vendor, type: a.type, bytes: a.value };
}
