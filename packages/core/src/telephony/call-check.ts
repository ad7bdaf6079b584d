import { createHash } from 'node:crypto';
import type { CallRecord } from './model';

/**
 * The fields of a call record as utm5_send_cdr and rpcf_put_tel_call name them, with the width of the tel_calls
 * column that keeps each: a longer value is refused, never cut (a cut number would be charged as another one).
 */
const WIDTH: readonly (readonly [keyof CallRecord, string, number])[] = [
  ['calling', 'calling_number', 64],
  ['called', 'called_number', 64],
  ['incomingTrunk', 'incoming_trunk', 128],
  ['outgoingTrunk', 'outgoing_trunk', 128],
  ['sessionId', 'session_id', 191],
  ['pbxId', 'pbx_id', 128],
  ['login', 'login', 255],
  ['disconnectCause', 'disconnect_cause', 64],
];

/** Starts later than this past now are clock or parsing errors of the source, not calls. */
export const MAX_FUTURE_S = 86_400;
/** Longer calls are taken for a corrupted record (and the duration column is a 32-bit integer). */
export const MAX_DURATION_S = 31 * 86_400;

/** The identity a call is charged once by (rule 8 of the brief). */
export function callUid(r: CallRecord): string {
  if (r.sessionId !== '') return r.sessionId;
  const key = [r.calling, r.called, r.incomingTrunk, r.outgoingTrunk, r.pbxId, r.start, r.duration].join('|');
  return 'sha1:' + createHash('sha1').update(key).digest('hex');
}

/**
 * The record with its start resolved (0: now), or why it cannot be a call, naming the field. Strings that are not
 * strings are refused too: records reach here from the wire and from the Stream.
 */
export function checkRecord(r: CallRecord, now: number): CallRecord | string {
  for (const [key, field, width] of WIDTH) {
    const v = r[key];
    if (typeof v !== 'string') return `${field} is not a string`;
    if (v.length > width) return `${field} is longer than ${width} characters`;
  }
  if (!Number.isSafeInteger(r.duration) || r.duration < 0)
    return `call_duration ${r.duration} is not a whole number >= 0`;
  if (r.duration > MAX_DURATION_S) return `call_duration ${r.duration} is longer than ${MAX_DURATION_S} s`;
  if (!Number.isSafeInteger(r.start) || r.start < 0) return `call_start_date ${r.start} is not a unix time`;
  if (r.start > now + MAX_FUTURE_S) return `call_start_date ${r.start} is more than a day in the future`;
  return r.start === 0 ? { ...r, start: now } : r;
}
