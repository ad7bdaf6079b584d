import type { SessionEventWire } from '@utm5/protocol';

/** The two parameters of radius5.cfg that turn on billing traffic from Accounting-Requests (the manual's Traffic Tariffication). */
export interface TrafficAccountingConfig {
  readonly radius_do_accounting: boolean;
  readonly radius_do_interim_accounting: boolean;
}

/**
 * Whether an accounting request of this type carries traffic to bill: Stops with either parameter, Interim-Updates
 * only with radius_do_interim_accounting, Starts never (they report no usage). The core bills only the part of the
 * cumulative counters it has not billed for the session yet, so any mix of billed requests charges each byte once.
 */
export function billsTraffic(op: SessionEventWire['op'], c: TrafficAccountingConfig): boolean {
  if (op === 'stop') return c.radius_do_accounting || c.radius_do_interim_accounting;
  return op === 'interim' && c.radius_do_interim_accounting;
}

/**
 * A session's octet counter from Acct-*-Octets (the low 32 bits) and Acct-*-Gigawords (RFC 2869: how many times
 * the octets counter wrapped past 2^32). Missing attributes count as 0; at most 2^53-1.
 */
export function octetCounter(octets: number | undefined, gigawords: number | undefined): number {
  // A bogus gigawords value (up to 2^64 bytes in all) must not make the event unrepresentable: the core would drop
  // the whole event, Stop included.
  return Math.min(Number.MAX_SAFE_INTEGER, (gigawords ?? 0) * 2 ** 32 + (octets ?? 0));
}
