import { formatAddress, parseAddress, unmapIpv4 } from '@utm5/inet';

/**
 * An IPv4/IPv6 address as bytes (4 or 16), unwrapping IPv4-mapped IPv6 (::ffff:1.2.3.4) as Node reports dual-stack
 * peers; undefined for text that is not an address. An IPv6 zone ("fe80::1%eth0", as a socket names a link-local
 * peer) is not part of the address and is ignored.
 */
export function parseIp(ip: string): Uint8Array | undefined {
  const b = parseAddress(withoutZone(ip));
  return b && unmapIpv4(b);
}

function withoutZone(ip: string): string {
  const pct = ip.indexOf('%');
  return pct > 0 && ip.includes(':') ? ip.slice(0, pct) : ip;
}

/** The peer address as UTM5 shows it: dotted IPv4 for mapped addresses, a zone kept. A RangeError for non-addresses. */
export function normalizeIp(ip: string): string {
  const b = parseIp(ip);
  if (!b) throw new RangeError(`'${ip}' is not an IP address`);
  const zone = withoutZone(ip) === ip || b.length === 4 ? '' : ip.slice(ip.indexOf('%'));
  return formatAddress(b)! + zone;
}

export function isLoopback(ip: string): boolean {
  const b = parseIp(ip);
  if (!b) return false;
  if (b.length === 4) return b[0] === 127;
  return b.every((x, i) => x === (i === 15 ? 1 : 0));
}

/** True when `ip` lies in network/bits; a family mismatch is false. bits 0 matches the whole family. */
export function inSubnet(ip: string, network: string, bits: number): boolean {
  const a = parseIp(ip);
  const n = parseIp(network);
  if (!a || !n || a.length !== n.length || !Number.isInteger(bits) || bits < 0 || bits > a.length * 8) return false;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i & 7);
    if ((a[i >> 3]! & mask) !== (n[i >> 3]! & mask)) return false;
  }
  return true;
}

export interface Cidr {
  readonly network: string;
  readonly bits: number;
}

/** "10.0.0.0/8", "::1/128" or a bare address (a host route); a RangeError for anything else. */
export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const b = parseAddress(text.slice(0, slash));
    const m = text.slice(slash + 1);
    const bits = /^\d{1,3}$/.test(m) ? Number(m) : NaN;
    if (!b || !(bits <= b.length * 8)) throw new RangeError(`'${text}' is not a network in CIDR notation`);
    return { network: formatAddress(b)!, bits };
  }
  const a = parseIp(text);
  if (!a) throw new RangeError(`'${text}' is not an IP address`);
  return { network: formatAddress(a)!, bits: a.length === 4 ? 32 : 128 };
}

export function inAnyCidr(ip: string, list: readonly Cidr[]): boolean {
  return list.some((c) => inSubnet(ip, c.network, c.bits));
}
