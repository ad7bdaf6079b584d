import type { RadiusLib } from './radius-lib';

const HEADER = 20;
const VENDOR_SPECIFIC = 26;

/** Reply codes by number (RFC 2865, 2866, 5176). */
export const REPLY_NAMES: Readonly<Record<number, string>> = {
  2: 'Access-Accept', 3: 'Access-Reject', 5: 'Accounting-Response', 11: 'Access-Challenge',
  41: 'Disconnect-ACK', 42: 'Disconnect-NAK', 44: 'CoA-ACK', 45: 'CoA-NAK',
};

/**
 * The reply as one line: its code, identifier and every attribute in wire order as Name=value: strings quoted,
 * integers by their dictionary name when they have one, addresses dotted, bytes as 0x-hex; attributes no
 * dictionary names as Attr-<type> (Attr-26.<vendor>.<type> for a vendor's one). `reply` is a whole packet whose
 * length field has been checked.
 */
export function replyLine(lib: RadiusLib, reply: Buffer): string {
  const code = reply[0]!;
  const parts = [REPLY_NAMES[code] ?? `Code-${code}`, `id=${reply[1]}`];
  const end = reply.readUInt16BE(2);
  for (let at = HEADER; at < end;) {
    const type = reply[at]!;
    const len = at + 1 < end ? reply[at + 1]! : 0;
    if (len < 2 || at + len > end) {
      parts.push(`malformed-attribute-at-offset-${at}=0x${reply.subarray(at, end).toString('hex')}`);
      break;
    }
    const value = reply.subarray(at + 2, at + len);
    parts.push(...(type === VENDOR_SPECIFIC ? vendorAttributes(lib, value) : [attribute(lib, 0, type, value)]));
    at += len;
  }
  return parts.join(' ');
}

/** A Vendor-Specific value: Vendor-Id, then the vendor's type-length-value attributes; else shown whole. */
function vendorAttributes(lib: RadiusLib, v: Buffer): string[] {
  const out: string[] = [];
  if (v.length >= 4 + 2 && v[0] === 0) {
    const vendor = v.readUInt32BE(0);
    for (let at = 4; at < v.length;) {
      const len = at + 1 < v.length ? v[at + 1]! : 0;
      if (len < 2 || at + len > v.length) return [`Vendor-Specific=0x${v.toString('hex')}`];
      out.push(attribute(lib, vendor, v[at]!, v.subarray(at + 2, at + len)));
      at += len;
    }
    return out;
  }
  return [`Vendor-Specific=0x${v.toString('hex')}`];
}

/** Decodes one attribute by the dictionaries: the package decodes it alone in a packet of its own. */
function attribute(lib: RadiusLib, vendor: number, type: number, value: Buffer): string {
  const unknown = `Attr-${vendor === 0 ? type : `26.${vendor}.${type}`}=0x${value.toString('hex')}`;
  let attr = Buffer.concat([Buffer.from([type, 2 + value.length]), value]);
  if (vendor !== 0) {
    const head = Buffer.alloc(6);
    head.writeUInt8(VENDOR_SPECIFIC, 0);
    head.writeUInt8(6 + attr.length, 1);
    head.writeUInt32BE(vendor, 2);
    attr = Buffer.concat([head, attr]);
  }
  const header = Buffer.alloc(HEADER);
  header.writeUInt8(2, 0); // any reply code: the package checks no authenticator on replies
  header.writeUInt16BE(HEADER + attr.length, 2);
  let decoded: Record<string, unknown>;
  try {
    decoded = lib.decode({ packet: Buffer.concat([header, attr]), secret: '' }).attributes;
  } catch {
    return unknown;
  }
  const named = Object.entries(vendor === 0 ? decoded : (decoded['Vendor-Specific'] as Record<string, unknown> | undefined) ?? {})[0];
  if (!named) return unknown;
  const [name, v] = named;
  // has_tag attributes (RFC 2868 tunnels) decode as [tag, value], the tag octet taken off the value
  return Array.isArray(v) ? `${name}:${v[0]}=${show(v[1], value.subarray(1))}` : `${name}=${show(v, value)}`;
}

function show(v: unknown, raw: Buffer): string {
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  if (v instanceof Date) return String(v.getTime() / 1000);
  const s = String(v);
  // text is quoted; what decodes to something else than its bytes (a number, an integer's dictionary name, a
  // dotted address) is not
  return typeof v === 'string' && s === raw.toString('utf8') ? JSON.stringify(s) : s;
}
