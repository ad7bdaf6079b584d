import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RadiusPacket } from '@utm5/radius';
import { chapResponse } from './chap';

/**
 * EAP (RFC 3748) as RADIUS carries it (RFC 3579), and the one method utm5_radius speaks, EAP-MD5 (RFC 3748 5.4):
 *   1. Access-Request, EAP Response/Identity        -> Access-Challenge, EAP Request/MD5-Challenge, a new State;
 *   2. Access-Request, EAP Response/MD5, same State -> Access-Accept + EAP Success, or Access-Reject + EAP Failure.
 * The server keeps (State -> identifier, challenge) between the two; RFC 3579 3.2 wants a Message-Authenticator on
 * every packet of the exchange, which encodeResponse adds because the request has one. Pure functions: parsing never
 * throws, building returns the EAP bytes for an EAP-Message attribute (the encoder splits long ones).
 */

export const EAP_CODES = { Request: 1, Response: 2, Success: 3, Failure: 4 } as const;
export const EAP_TYPES = { Identity: 1, Notification: 2, Nak: 3, 'MD5-Challenge': 4 } as const;

export interface EapPacket {
  readonly code: number;
  readonly identifier: number;
  /** Request and Response only. */
  readonly type?: number;
  /** Type-Data (Request/Response) or nothing. */
  readonly data: Buffer;
}

export type EapParseResult =
  { readonly ok: true; readonly eap: EapPacket } | { readonly ok: false; readonly message: string };

/** The EAP packet of a RADIUS request: its EAP-Message attributes concatenated in order (RFC 3579 3.1). */
export function eapMessageOf(packet: RadiusPacket): Buffer | undefined {
  const parts = packet.findAll('EAP-Message').map((a) => a.raw);
  return parts.length === 0 ? undefined : Buffer.concat(parts);
}

export function parseEap(buf: Buffer): EapParseResult {
  if (buf.length < 4) return { ok: false, message: `EAP packet of ${buf.length} bytes; the header has 4` };
  const code = buf[0]!;
  const length = buf.readUInt16BE(2);
  if (code < 1 || code > 4) return { ok: false, message: `unknown EAP code ${code}` };
  if (length < 4 || length > buf.length)
    return { ok: false, message: `EAP Length ${length} with ${buf.length} bytes present` };
  if (code === EAP_CODES.Success || code === EAP_CODES.Failure) {
    return { ok: true, eap: { code, identifier: buf[1]!, data: buf.subarray(4, 4) } };
  }
  if (length < 5) return { ok: false, message: `EAP ${code === 1 ? 'Request' : 'Response'} without a Type` };
  return { ok: true, eap: { code, identifier: buf[1]!, type: buf[4]!, data: buf.subarray(5, length) } };
}

function build(code: number, identifier: number, type?: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = type === undefined ? 4 : 5;
  const out = Buffer.alloc(head + data.length);
  out[0] = code;
  out[1] = identifier & 0xff;
  out.writeUInt16BE(out.length, 2);
  if (type !== undefined) out[4] = type;
  data.copy(out, head);
  return out;
}

/** Request/Identity, with an optional displayable prompt. */
export function eapIdentityRequest(identifier: number, prompt = ''): Buffer {
  return build(EAP_CODES.Request, identifier, EAP_TYPES.Identity, Buffer.from(prompt, 'utf8'));
}

/** Request/MD5-Challenge: Value-Size, Value (the challenge), Name (ours, optional). */
export function eapMd5ChallengeRequest(identifier: number, challenge: Buffer, name = ''): Buffer {
  const data = Buffer.concat([Buffer.from([challenge.length]), challenge, Buffer.from(name, 'utf8')]);
  return build(EAP_CODES.Request, identifier, EAP_TYPES['MD5-Challenge'], data);
}

export function eapSuccess(identifier: number): Buffer {
  return build(EAP_CODES.Success, identifier);
}

export function eapFailure(identifier: number): Buffer {
  return build(EAP_CODES.Failure, identifier);
}

/** The identity of a Response/Identity, or undefined for any other packet. */
export function eapIdentityOf(eap: EapPacket): string | undefined {
  return eap.code === EAP_CODES.Response && eap.type === EAP_TYPES.Identity ? eap.data.toString('utf8') : undefined;
}

/** The Value of a Response/MD5-Challenge, or undefined when it is not one or its Value-Size is wrong. */
export function eapMd5ResponseValue(eap: EapPacket): Buffer | undefined {
  if (eap.code !== EAP_CODES.Response || eap.type !== EAP_TYPES['MD5-Challenge'] || eap.data.length < 1)
    return undefined;
  const size = eap.data[0]!;
  return size >= 1 && 1 + size <= eap.data.length ? eap.data.subarray(1, 1 + size) : undefined;
}

/** A fresh MD5 challenge (16 random bytes). */
export function newEapMd5Challenge(random: (size: number) => Buffer = randomBytes): Buffer {
  return random(16);
}

/** EAP-MD5 is CHAP: MD5(identifier || password || challenge), where identifier is that of our Request. */
export function eapMd5Matches(
  identifier: number,
  challenge: Buffer,
  password: string | Buffer,
  value: Buffer,
): boolean {
  return value.length === 16 && timingSafeEqual(chapResponse(identifier, password, challenge), value);
}
