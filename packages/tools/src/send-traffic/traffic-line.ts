import { ipv4ToSigned, parseIpv4 } from '@utm5/inet';

/** One line of the manual's traffic file, as rpcf_put_unif_iptr takes it. */
export interface TrafficEntry {
  readonly login: string;
  readonly bytes: number;
  readonly tclass: number;
  /** The IP field as a signed 32-bit IPv4 value (UTM5's ipid); 0 when the field is not an IPv4 address. */
  readonly ipid: number;
}

export type ParsedLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'entry'; readonly entry: TrafficEntry }
  | { readonly kind: 'bad'; readonly reason: string };

/** d_oct is a 32-bit integer on the wire: the manual's "should not exceed 2GB". */
export const MAX_BYTES = 0x7fffffff;
const FORMAT = 'expected LOGIN BYTES TCLASS IP separated by spaces or tabs';

function ipid(ip: string): number {
  return ipv4ToSigned(parseIpv4(ip) ?? 0);
}

/**
 * Parses one line `<LOGIN> <BYTES> <TCLASS> <IP>` (the manual's "Importing from text files"). Empty lines are
 * skipped. The IP "may contain arbitrary value" (the manual): an IPv4 address is sent for the traffic statistics,
 * anything else is sent as 0, which the core reads as the IP group's own address.
 */
export function parseTrafficLine(text: string): ParsedLine {
  const fields = text
    .trim()
    .split(/[ \t]+/)
    .filter(Boolean);
  if (fields.length === 0) return { kind: 'blank' };
  if (fields.length !== 4) return { kind: 'bad', reason: `${fields.length} field(s), ${FORMAT}` };
  const [login, bytes, tclass, ip] = fields as [string, string, string, string];
  if (!/^\d+$/.test(bytes) || Number(bytes) > MAX_BYTES)
    return { kind: 'bad', reason: `BYTES '${bytes}' must be a whole number 0..${MAX_BYTES} (2 GB)` };
  if (!/^\d+$/.test(tclass) || Number(tclass) > 0x7fffffff)
    return { kind: 'bad', reason: `TCLASS '${tclass}' must be a traffic class number` };
  return { kind: 'entry', entry: { login, bytes: Number(bytes), tclass: Number(tclass), ipid: ipid(ip) } };
}
