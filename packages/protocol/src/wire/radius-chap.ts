import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * RADIUS CHAP (RFC 1994 4.1, RFC 2865 2.2): CHAP-Password is the CHAP identifier and MD5(identifier || password ||
 * challenge). Here, where both utm5_radius (dial-up logins it holds) and the core (telephony numbers, whose
 * passwords never leave it) import it.
 */
export function radiusChapResponse(identifier: number, password: string | Buffer, challenge: Buffer): Buffer {
  return createHash('md5')
    .update(Buffer.from([identifier & 0xff]))
    .update(password)
    .update(challenge)
    .digest();
}

/** Checks a CHAP-Password value (17 bytes: identifier, response) against the stored password. */
export function radiusChapMatches(chapPassword: Buffer, challenge: Buffer, password: string | Buffer): boolean {
  if (chapPassword.length !== 17) return false;
  return timingSafeEqual(radiusChapResponse(chapPassword[0]!, password, challenge), chapPassword.subarray(1));
}
