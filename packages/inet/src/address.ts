import { parseIpv4 } from './ipv4';
import { formatIpv6, parseIpv6 } from './ipv6';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address from text; undefined when the text is neither (see ipv4.ts). */
export function parseAddress(text: string): Uint8Array | undefined {
  if (text.includes(':')) return parseIpv6(text);
  const n = parseIpv4(text);
  if (n === undefined) return undefined;
  const out = new Uint8Array(4);
  out[0] = n >>> 24;
  out[1] = (n >>> 16) & 255;
  out[2] = (n >>> 8) & 255;
  out[3] = n & 255;
  return out;
}

/** Text of a 4- or 16-byte address; undefined for any other length. */
export function formatAddress(b: Uint8Array): string | undefined {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length === 16) return formatIpv6(b);
  return undefined;
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d, as dual-stack sockets report peers), else the input. */
export function unmapIpv4(b: Uint8Array): Uint8Array {
  if (b.length !== 16 || b[10] !== 0xff || b[11] !== 0xff) return b;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return b;
  return b.subarray(12);
}
