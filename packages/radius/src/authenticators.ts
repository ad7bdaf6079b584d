import { timingSafeEqual } from 'node:crypto';
import { hmacMd5, md5Of } from './md5';
import { hasHashedRequestAuthenticator, isRequestCode } from './packet-codes';
import type { RadiusPacket } from './packet';

/**
 * The three integrity checks of RADIUS, computed over the wire bytes without copying them:
 * - Response Authenticator (RFC 2865 3): MD5(Code+Identifier+Length + request authenticator + attributes + secret);
 * - hashed Request Authenticator (RFC 2866 3, RFC 5176 3): the same with 16 zero bytes in place of the authenticator;
 * - Message-Authenticator (RFC 3579 3.2, RFC 5176 3.3): HMAC-MD5(secret, packet with the attribute's value zeroed),
 *   over the packet's own authenticator (Access-Request, Status-Server), zeros (Accounting/CoA/Disconnect-Request),
 *   or the request's authenticator (every response).
 */

const ZERO16 = Buffer.alloc(16);

type Secret = Buffer | string;

/** Secrets may be given as text (config files) or bytes; RADIUS hashes bytes. */
export function secretBytes(secret: Secret): Buffer {
  return typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
}

function rawOf(packet: Buffer | RadiusPacket): Buffer | undefined {
  const raw = Buffer.isBuffer(packet) ? packet : packet.raw;
  if (raw.length < 20) return undefined;
  const length = raw.readUInt16BE(2);
  return length >= 20 && length <= raw.length ? raw.subarray(0, length) : undefined;
}

function equal16(a: Buffer, b: Buffer): boolean {
  return a.length === 16 && b.length === 16 && timingSafeEqual(a, b);
}

/** MD5 over the packet with `authenticator` standing in for its authenticator field, then the secret. */
export function packetDigest(raw: Buffer, authenticator: Buffer, secret: Secret): Buffer {
  return md5Of(raw.subarray(0, 4), authenticator, raw.subarray(20), secretBytes(secret));
}

/**
 * Offset of the Message-Authenticator's 16-byte value in `raw`, or -1 when the packet has none (or one whose length
 * is not 18, which no check can pass). Walks the attribute headers only.
 */
export function messageAuthenticatorOffset(raw: Buffer): number {
  for (let off = 20; off + 2 <= raw.length;) {
    const len = raw[off + 1]!;
    if (len < 2) return -1;
    if (raw[off] === 80) return len === 18 && off + 18 <= raw.length ? off + 2 : -1;
    off += len;
  }
  return -1;
}

/** HMAC-MD5 of the packet with `authenticator` in its authenticator field and the value at `valueOffset` zeroed. */
export function computeMessageAuthenticator(
  raw: Buffer,
  authenticator: Buffer,
  valueOffset: number,
  secret: Secret,
): Buffer {
  return hmacMd5(secretBytes(secret), [
    raw.subarray(0, 4),
    authenticator,
    raw.subarray(20, valueOffset),
    ZERO16,
    raw.subarray(valueOffset + 16),
  ]);
}

/**
 * Checks the hashed Request Authenticator of an Accounting-Request, Disconnect-Request or CoA-Request. False for any
 * other code (an Access-Request's authenticator is random: check its Message-Authenticator or password instead).
 */
export function verifyRequestAuthenticator(packet: Buffer | RadiusPacket, secret: Secret): boolean {
  const raw = rawOf(packet);
  if (!raw || !hasHashedRequestAuthenticator(raw[0]!)) return false;
  return equal16(packetDigest(raw, ZERO16, secret), raw.subarray(4, 20));
}

/**
 * Checks the Message-Authenticator. False when the packet has none: whether one is required (EAP, Status-Server,
 * a NAS configured to require it) is the server's decision. A response needs the authenticator of its request.
 */
export function verifyMessageAuthenticator(
  packet: Buffer | RadiusPacket,
  secret: Secret,
  requestAuthenticator?: Buffer,
): boolean {
  const raw = rawOf(packet);
  if (!raw) return false;
  const at = messageAuthenticatorOffset(raw);
  if (at < 0) return false;
  const code = raw[0]!;
  const authenticator = hasHashedRequestAuthenticator(code)
    ? ZERO16
    : isRequestCode(code)
      ? raw.subarray(4, 20)
      : requestAuthenticator;
  if (!authenticator || authenticator.length !== 16) return false;
  return equal16(computeMessageAuthenticator(raw, authenticator, at, secret), raw.subarray(at, at + 16));
}

export interface VerifyResponseOptions {
  /** Fail a response without a Message-Authenticator (RFC 3579 for EAP; advisable for all since Blast-RADIUS). */
  readonly requireMessageAuthenticator?: boolean;
}

/**
 * Checks a response we received (to our CoA/Disconnect or a test's Access-Request) against the request we sent:
 * same identifier, the Response Authenticator, and the Message-Authenticator when present or required.
 */
export function verifyResponse(
  request: Buffer,
  response: Buffer,
  secret: Secret,
  options: VerifyResponseOptions = {},
): boolean {
  const req = rawOf(request);
  const res = rawOf(response);
  if (!req || !res || req[1] !== res[1]) return false;
  const requestAuthenticator = req.subarray(4, 20);
  if (!equal16(packetDigest(res, requestAuthenticator, secret), res.subarray(4, 20))) return false;
  if (messageAuthenticatorOffset(res) >= 0) return verifyMessageAuthenticator(res, secret, requestAuthenticator);
  return options.requireMessageAuthenticator !== true;
}
