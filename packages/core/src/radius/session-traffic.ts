import type { SessionEventWire } from '@utm5/protocol';
import type { AccountingTrafficRecord } from '../traffic/accounting-traffic';

/** A session's octet counters in both directions (Acct-Input-Octets and Acct-Output-Octets, gigawords included). */
export interface Octets {
  readonly in: number;
  readonly out: number;
}

/**
 * What a request's cumulative counters add to what was already billed for the session, per direction: the growth
 * beyond the highest counters billed so far, and the new high-water mark to keep. A retransmit, a repeated Stop or a
 * Stop after Interim-Updates reports no more than was billed and bills only the rest; a counter that went backwards
 * (a reordered or bogus request) bills nothing and leaves the mark where it was, so no byte is ever billed twice.
 */
export function unbilledOctets(billed: Octets, reported: Octets): { readonly delta: Octets; readonly billed: Octets } {
  return {
    delta: { in: Math.max(0, reported.in - billed.in), out: Math.max(0, reported.out - billed.out) },
    billed: { in: Math.max(billed.in, reported.in), out: Math.max(billed.out, reported.out) },
  };
}

/** What sessionTraffic reads of a radius_sessions row. */
export interface BilledSessionRow {
  readonly framed_ip: unknown;
  readonly billed_in_octets: unknown;
  readonly billed_out_octets: unknown;
}

/**
 * The traffic an event bills for its session, when utm5_radius marked it to be billed (billTraffic; a Start never
 * bills): the radius_sessions columns that record the new high-water marks, and the traffic record, if the counters
 * grew and the session has an address (Framed-IP-Address of the event, else the one the session was opened with).
 */
export function sessionTraffic(
  e: SessionEventWire,
  row: BilledSessionRow,
  now: number,
): { readonly columns: Record<string, number>; readonly record: AccountingTrafficRecord | undefined } | undefined {
  if (e.billTraffic !== true || e.op === 'start') return undefined;
  const u = unbilledOctets(
    { in: Number(row.billed_in_octets), out: Number(row.billed_out_octets) },
    { in: e.inOctets, out: e.outOctets },
  );
  const ip = e.framedIp || String(row.framed_ip ?? '');
  const grew = u.delta.in > 0 || u.delta.out > 0;
  return {
    columns: { billed_in_octets: u.billed.in, billed_out_octets: u.billed.out },
    record: grew && ip ? { nas: e.nas, ip, time: e.time || now, toUser: u.delta.in, fromUser: u.delta.out } : undefined,
  };
}
