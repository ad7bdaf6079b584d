import type { SecureContext } from 'node:tls';
import type { FunctionSchema } from '../api/layout';
import type { CallArgs, CallResult } from '../api/call-args';
import type { SessionStore } from './session-store';

/** Who a URFA session acts for; the core's principal type extends this. */
export interface UrfaIdentity {
  readonly kind: 'system' | 'dealer' | 'customer';
  readonly id: number;
  readonly login: string;
}

/** The minimal logger the protocol layer needs; the core passes a child of its logger. */
export interface ProtocolLog {
  debug(msg: string, meta?: Record<string, unknown>): void;
  info(msg: string, meta?: Record<string, unknown>): void;
  notice(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
}

/** One principal a login may name, with the password its CHAP response must match. */
export interface LoginCandidate<P> {
  readonly principal: P;
  readonly password: string;
}

/**
 * Who may log in with this login from this address: the candidates in the order to try (a customer and a system
 * user may share a login; the CHAP response decides), or why nobody may.
 */
export type LoginDecision<P> =
  | { readonly ok: true; readonly candidates: readonly LoginCandidate<P>[] }
  | { readonly ok: false; readonly reason: string };

export interface UrfaCall<P> {
  readonly principal: P;
  readonly fid: number;
  readonly args: CallArgs;
  readonly peer: string;
  readonly peerIp: string;
  /** The system user that restored this customer session, if it was restored. */
  readonly restoredBy: P | undefined;
}

export interface UrfaFunction<P> {
  readonly schema: FunctionSchema;
  handler(call: UrfaCall<P>): Promise<CallResult> | CallResult;
}

export interface UrfaServerOptions<P extends UrfaIdentity> {
  /** Who this login is (by login type and owner), whether they may log in from ip, and the password to check. */
  lookupLogin(login: string, loginType: number | undefined, ip: string): LoginDecision<P>;
  /** Whether this principal may restore customer sessions by SID. */
  mayRestore(p: P): boolean;
  readonly sessions: SessionStore<P>;
  /** Whether this peer may use URFA without TLS (modes 0-4). */
  plainAllowed(ip: string): boolean;
  /** The TLS context for modes 5 and 6 (loaded once, on first use). */
  secureContext(): SecureContext;
  lookupFunction(fid: number): UrfaFunction<P> | undefined;
  permitted(p: P, fid: number): boolean;
  /** Every refused call, for the core journal. */
  onRefused(p: P, fid: number, peer: string, why: 'forbidden' | 'unknown'): void;
  readonly log: ProtocolLog;
  readonly now: () => number;
  readonly loginTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Most data attributes accepted as one call's input. */
  readonly maxCallValues: number;
  /** Counted here: connections closed for malformed input (logged at debug only). */
  readonly counters?: ProtocolCounters;
}

export interface ProtocolCounters {
  malformed: number;
  loginsRefused: number;
}
