import { DEFAULT_DICTIONARY, RADIUS_CODES, decodePacket, isRequestCode, type RadiusAttribute } from '@utm5/radius';

/** Reply codes by number (RFC 2865, 2866, 5176): the codec's codes that are not requests. */
export const REPLY_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(RADIUS_CODES)
    .filter(([, code]) => !isRequestCode(code))
    .map(([name, code]) => [code, name]),
);

/**
 * The reply as one line: its code, identifier and every attribute in wire order as Name=value: strings quoted,
 * integers by their dictionary name when they have one, addresses dotted, bytes as 0x-hex; attributes no
 * dictionary names as Attr-<type> (Attr-26.<vendor>.<type> for a vendor's one). `reply` is a whole packet whose
 * length field has been checked. Decoded by @utm5/radius's dictionaries, without the secret: hidden values (MPPE keys,
 * Tunnel-Password) are shown as their wire bytes.
 */
export function replyLine(reply: Buffer): string {
  const code = reply[0]!;
  const parts = [REPLY_NAMES[code] ?? `Code-${code}`, `id=${reply[1]}`];
  const end = reply.readUInt16BE(2);
  // Decoded as an Access-Accept whatever its code says: the decoder refuses codes it does not speak, and the code
  // matters to it only for which authenticator hid attributes, which without the secret are not revealed anyway.
  const packet = Buffer.from(reply.subarray(0, end));
  packet[0] = RADIUS_CODES['Access-Accept'];
  let r = decodePacket(packet);
  let malformed: string | undefined;
  if (!r.ok && r.reason === 'attribute') {
    // The attributes before the bad one are shown, then the rest in hex.
    malformed = `malformed-attribute-at-offset-${r.offset}=0x${packet.subarray(r.offset).toString('hex')}`;
    packet.writeUInt16BE(r.offset, 2);
    r = decodePacket(packet.subarray(0, r.offset));
  }
  if (r.ok && r.packet.attributes.length > 0) parts.push(...r.packet.attributes.map(attribute));
  if (malformed !== undefined) parts.push(malformed);
  return parts.join(' ');
}

function attribute(a: RadiusAttribute): string {
  // tagged attributes (RFC 2868 tunnels) as Name:tag=value
  return `${a.tag !== undefined ? `${a.name}:${a.tag}` : a.name}=${show(a)}`;
}

function show(a: RadiusAttribute): string {
  const v = a.value;
  if (Buffer.isBuffer(v)) return `0x${(a.hidden && a.tag !== undefined ? v.subarray(1) : v).toString('hex')}`;
  if (typeof v === 'number') {
    return (a.dataType === 'integer' && DEFAULT_DICTIONARY.attribute(a.vendor, a.type)?.valueNames.get(v)) || String(v);
  }
  // text is quoted; what decodes to something else than its bytes (a dotted address, an IPv6 prefix) is not
  return a.dataType === 'text' ? JSON.stringify(v) : String(v);
}
