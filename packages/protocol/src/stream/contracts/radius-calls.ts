/**
 * The Stream calls between the core and utm5_radius (see ../calls.ts), declared once here where both sides import
 * them: card registration (utm5_radius asks the core) and session commands (the core asks utm5_radius).
 */

export const RADIUS_CALL = {
  /** utm5_radius -> core: register the card user of a dial-up login that is a card number (radius_card_autoadd). */
  CARD_REGISTER: 'radius_card_register',
  /** core -> utm5_radius: send a Disconnect-Request (RFC 5176) for a session to its NAS. */
  DISCONNECT: 'radius_disconnect',
  /** core -> utm5_radius: forget a session the billing closed without asking the NAS. */
  DROP: 'radius_drop',
} as const;

/** A dial-up login that may be a card number: digits only, within the card ids the core makes (safe integers). */
export const CARD_LOGIN = /^\d{1,15}$/;

export interface CardRegisterArgs {
  /** The User-Name as typed (lower-cased): the card number; it becomes the dial-up login. */
  readonly login: string;
  /** The PAP password: the card's PIN; it becomes the dial-up password. Never logged. */
  readonly pin: string;
  /** The NAS the Access-Request came from (for the core's log). */
  readonly nas: string;
}

export type CardRegisterResult =
  | { readonly registered: true; readonly userId: number; readonly accountId: number; readonly slinkId: number }
  /** A refusal the radius logs with its Access-Reject (wrong PIN, card used, blocked, expired, no dial-up service ...). */
  | { readonly registered: false; readonly reason: string };

export interface SessionCommandArgs {
  readonly nas: string;
  readonly sid: string;
  /** What the core knows of the session, for a NAS the radius has no record of it for (e.g. after its state was lost). */
  readonly login: string;
  readonly framedIp: string;
}

/**
 * error_code of rpcf_radius_disconnect_session and rpcf_radius_drop_session, and the result of the session commands.
 * The texts are the api.xml comment and the log lines.
 */
export const SESSION_COMMAND_CODE = {
  DONE: 0,
  NO_SESSION: 1,
  NO_NAS: 2,
  RADIUS_OFFLINE: 3,
  NAS_TIMEOUT: 4,
  NAS_REFUSED: 5,
  RADIUS_TIMEOUT: 6,
  RADIUS_REFUSED: 7,
} as const;

export type SessionCommandCode = (typeof SESSION_COMMAND_CODE)[keyof typeof SESSION_COMMAND_CODE];

export const SESSION_COMMAND_TEXT: Readonly<Record<SessionCommandCode, string>> = {
  0: 'done',
  1: 'no open session with this Acct-Session-Id at this NAS',
  2: 'no NAS with this address is registered',
  3: 'utm5_radius is not connected to the core',
  4: 'the NAS did not answer the Disconnect-Request in time (disconnect_request_timeout)',
  5: 'the NAS refused the Disconnect-Request (Disconnect-NAK)',
  6: 'utm5_radius did not answer in time',
  7: 'utm5_radius refused the command (its log says why)',
};

export interface SessionCommandResult {
  readonly code: SessionCommandCode;
}

const str = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** The arguments of a card registration call, or undefined when malformed. */
export function cardRegisterArgs(v: unknown): CardRegisterArgs | undefined {
  const a = v as CardRegisterArgs;
  return typeof a === 'object' &&
    a !== null &&
    str(a.login, 255) &&
    a.login.length > 0 &&
    str(a.pin, 255) &&
    str(a.nas, 64)
    ? a
    : undefined;
}

/** The arguments of a session command, or undefined when malformed. */
export function sessionCommandArgs(v: unknown): SessionCommandArgs | undefined {
  const a = v as SessionCommandArgs;
  return typeof a === 'object' &&
    a !== null &&
    str(a.nas, 64) &&
    str(a.sid, 255) &&
    a.sid.length > 0 &&
    str(a.login, 255) &&
    str(a.framedIp, 64)
    ? a
    : undefined;
}

/** A session command's result as the core reads it from utm5_radius; anything else counts as no answer. */
export function sessionCommandResult(v: unknown): SessionCommandResult | undefined {
  const r = v as SessionCommandResult;
  return typeof r === 'object' && r !== null && Object.hasOwn(SESSION_COMMAND_TEXT, r.code) ? r : undefined;
}
