/**
 * The Stream contract between utm5_radius and the core for telephony (h323), declared once here where both sides
 * import it: utm5_radius asks the core to authorize a registration or a call (TEL_CALL.AUTHORIZE) and reports calls
 * started and stopped as records of kind TEL_CALL_KIND (spooled, committed exactly once).
 */

export const TEL_CALL = {
  /** utm5_radius -> core: registration (no called number) or call authorization. */
  AUTHORIZE: 'tel_authorize',
} as const;

/** The record kind of telephony accounting events from utm5_radius. */
export const TEL_CALL_KIND = 'tel_call';

/** h323-return-code values the core answers with (the manual's IVR flow: 0 active, 1 no such user, 2 blocked). */
export const TEL_RETURN_CODE = {
  ACTIVE: 0,
  NO_USER: 1,
  BLOCKED: 2,
} as const;

export interface TelAuthorizeArgs {
  /** The login the link's number entry has (User-Name, or h323-remote-address with radius_auth_h323_remote_address). */
  readonly login: string;
  /** Calling-Station-Id (31). */
  readonly calling: string;
  /** Called-Station-Id (30); '' for a registration. */
  readonly called: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
  /** The NAS the request came from, for the core's log. */
  readonly nas: string;
  /** The PAP password, or '' with chap set; never logged. */
  readonly password: string;
  /** CHAP: the CHAP-Password attribute (ident and response) and the challenge, hex. */
  readonly chap?: { readonly response: string; readonly challenge: string };
  /** tel_session_timeout: the longest call h323-credit-time may allow, and how long an unstopped call counts as open. */
  readonly sessionTimeout: number;
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const HEX = /^(?:[0-9a-f]{2})*$/i;

/** The arguments of TEL_CALL.AUTHORIZE, or undefined when malformed. */
export function telAuthorizeArgs(v: unknown): TelAuthorizeArgs | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const a = v as TelAuthorizeArgs;
  const texts = [a.login, a.calling, a.called, a.incomingTrunk, a.outgoingTrunk, a.pbxId, a.nas, a.password];
  if (!texts.every((t) => str(t, 255))) return undefined;
  if (!Number.isSafeInteger(a.sessionTimeout) || a.sessionTimeout <= 0) return undefined;
  if (a.chap !== undefined) {
    const c = a.chap as { response?: unknown; challenge?: unknown } | null;
    if (typeof c !== 'object' || c === null) return undefined;
    if (!str(c.response, 34) || !HEX.test(c.response) || !str(c.challenge, 512) || !HEX.test(c.challenge))
      return undefined;
  }
  return a;
}

export type TelAuthorizeResult =
  | {
      readonly accepted: true;
      readonly code: number;
      /** Seconds the call may last (h323-credit-time); 0 for a registration. */
      readonly creditTime: number;
      /** The account's balance in currency units (h323-credit-amount). */
      readonly creditAmount: number;
      /** The link's numbers, for xpgk-ep-number / h323-ivr-in. */
      readonly numbers: readonly string[];
    }
  | { readonly accepted: false; readonly code: number; readonly reason: string };

/** One telephony accounting event. */
export interface TelCallWire {
  readonly op: 'start' | 'stop';
  /** The call's id at the source: h323-conf-id and h323-call-origin ('<conf-id>/<origin>'), unique per call leg. */
  readonly uid: string;
  readonly nas: string;
  readonly login: string;
  readonly calling: string;
  readonly called: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
  readonly cause: string;
  /** Unix s: the call's start (Start: h323-connect-time, else the request's arrival) or its end (Stop). */
  readonly time: number;
  /** Seconds (Stop): Acct-Session-Time, else h323-disconnect-time - h323-connect-time; -1 when neither was sent. */
  readonly duration: number;
  /** Stop: the call's start when the Stop said it (h323-connect-time); else the Start's, else time - duration. */
  readonly started?: number;
  /** h323_origin_reject matched: charged at zero. */
  readonly zeroCost?: boolean;
}

/** One telephony accounting event from the wire, or a sentence saying what is wrong with it. */
export function telCallWire(v: unknown): TelCallWire | string {
  if (typeof v !== 'object' || v === null) return 'not an object';
  const w = v as TelCallWire;
  if (w.op !== 'start' && w.op !== 'stop') return `op '${String(w.op)}' is neither start nor stop`;
  if (!str(w.uid, 180) || w.uid === '') return 'uid must be text of 1 to 180 characters';
  const texts = [w.nas, w.login, w.calling, w.called, w.incomingTrunk, w.outgoingTrunk, w.pbxId, w.cause];
  if (!texts.every((t) => str(t, 255))) return 'a text field is missing or too long';
  if (!Number.isSafeInteger(w.time) || w.time < 0) return 'time must be unix seconds';
  if (!Number.isSafeInteger(w.duration) || w.duration < -1) return 'duration must be seconds, or -1';
  if (w.started !== undefined && (!Number.isSafeInteger(w.started) || w.started < 0))
    return 'started must be unix seconds';
  return w;
}
