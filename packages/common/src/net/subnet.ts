import ipaddr from 'ipaddr.js';

/** Parses an IPv4/IPv6 address, unwrapping IPv4-mapped IPv6 (::ffff:1.2.3.4) as Node reports dual-stack peers. */
export function parseIp(ip: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const a = ipaddr.parse(ip);
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) return (a as ipaddr.IPv6).toIPv4Address();
  return a;
}

/** The peer address as UTM5 shows it: dotted IPv4 for mapped addresses. */
export function normalizeIp(ip: string): string {
  return parseIp(ip).toString();
}

export function isLoopback(ip: string): boolean {
  try {
    return parseIp(ip).range() === 'loopback';
  } catch {
    return false;
  }
}

/** True when `ip` lies in network/bits; a family mismatch is false. bits 0 matches the whole family. */
export function inSubnet(ip: string, network: string, bits: number): boolean {
  try {
    const a = parseIp(ip);
    const n = parseIp(network);
    if (a.kind() !== n.kind()) return false;
    return a.match(n, bits);
  } catch {
    return false;
  }
}

export interface Cidr {
  readonly network: string;
  readonly bits: number;
}

/** "10.0.0.0/8", "::1/128" or a bare address (a host route). */
export function parseCidr(text: string): Cidr {
  if (text.includes('/')) {
    const [addr, bits] = ipaddr.parseCIDR(text);
    return { network: addr.toString(), bits };
  }
  const a = parseIp(text);
  return { network: a.toString(), bits: a.kind() === 'ipv4' ? 32 : 128 };
}

export function inAnyCidr(ip: string, list: readonly Cidr[]): boolean {
  return list.some((c) => inSubnet(ip, c.network, c.bits));
}
