import { isIPv4 } from 'node:net';
import { parsePrefix, type Prefix } from '@utm5/netflow';

/** A command-line mistake: printed as one line `program: <flag> <value>: what was expected`, exit code 2. */
export class UsageError extends Error {}

/** An option value parser for an unsigned integer `min..max`; the error names the flag and the value. */
export const intArg =
  (flag: string, max: number, min = 0) =>
  (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) > max || Number(v) < min)
      throw new UsageError(`${flag} ${v}: expected an integer ${min}..${max}`);
    return Number(v);
  };

export const ipv4Arg =
  (flag: string) =>
  (v: string): string => {
    if (!isIPv4(v)) throw new UsageError(`${flag} ${v}: expected an IPv4 address`);
    return v;
  };

/** An IPv4 or IPv6 address (a host) or a network in CIDR form. */
export const prefixArg =
  (flag: string) =>
  (v: string): Prefix => {
    const p = parsePrefix(v);
    if (!p)
      throw new UsageError(`${flag} ${v}: expected an IP address (IPv4 or IPv6) or a network such as 10.0.0.0/24`);
    return p;
  };
