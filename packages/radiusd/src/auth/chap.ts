import { createHash, timingSafeEqual } from 'node:crypto';
import type { RadiusPacket } from '@utm5/radius';

/**
 * CHAP (RFC 1994 4.1, RFC 2865 2.2): CHAP-Password is the CHAP identifier and MD5(identifier || password ||
 * challenge); the challenge is CHAP-Challenge when the NAS sent one, else the Request Authenticator (which a NAS
 * may use when its challenge is 16 bytes).
 */

export function chapChallengeOf(packet: RadiusPacket): Buffer {
  return packet.octets('CHAP-Challenge') ?? packet.authenticator;
}

export function chapResponse(identifier: number, password: string | Buffer, challenge: Buffer): Buffer {
  return createHash('md5')
    .update(Buffer.from([identifier & 0xff]))
    .update(password)
    .update(challenge)
    .digest();
}

/** Checks a CHAP-Password value (17 bytes: identifier, response) against the stored password. */
export function chapMatches(chapPassword: Buffer, challenge: Buffer, password: string | Buffer): boolean {
  if (chapPassword.length !== 17) return false;
  return timingSafeEqual(chapResponse(chapPassword[0]!, password, challenge), chapPassword.subarray(1));
}
