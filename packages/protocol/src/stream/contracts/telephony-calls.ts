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
  /** The call's id at the source: h323-conf-id with the call leg, unique per call. */
  readonly uid: string;
  readonly nas: string;
  readonly login: string;
  readonly calling: string;
  readonly called: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
  readonly cause: string;
  /** Unix s: the call's start (Start) or its end (Stop). */
  readonly time: number;
  /** Seconds (Stop). */
  readonly duration: number;
  /** h323_origin_reject matched: charged at zero. */
  readonly zeroCost?: boolean;
}
