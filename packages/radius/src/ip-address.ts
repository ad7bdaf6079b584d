import * as inet from '@utm5/inet';

// The address data types as the codec needs them: Buffers in, Buffers out, over @utm5/inet's one parser.

export function formatIpv4(b: Buffer, at = 0): string {
  return inet.readIpv4(b, at);
}

/** Strict dotted quad (no leading zeros); undefined when the text is not one. */
export function parseIpv4(text: string): Buffer | undefined {
  const n = inet.parseIpv4(text);
  if (n === undefined) return undefined;
  const out = Buffer.allocUnsafe(4);
  inet.writeIpv4(out, 0, n);
  return out;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run (two or more) of zero groups as "::". */
export function formatIpv6(b: Buffer): string {
  return inet.formatIpv6(b);
}

/** A zone ("fe80::1%eth0") is dropped: RADIUS carries none, and a link-local address in a config line may name one. */
export function parseIpv6(text: string): Buffer | undefined {
  const zone = text.indexOf('%');
  const b = inet.parseIpv6(zone < 0 ? text : zone > 0 && zone < text.length - 1 ? text.slice(0, zone) : '');
  return b && Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
