import type { RadiusPacket } from '@utm5/radius';

/**
 * CHAP (RFC 1994 4.1, RFC 2865 2.2): CHAP-Password is the CHAP identifier and MD5(identifier || password ||
 * challenge); the challenge is CHAP-Challenge when the NAS sent one, else the Request Authenticator (which a NAS
 * may use when its challenge is 16 bytes). The digest lives in @utm5/protocol, where the core (telephony) uses it too.
 */
export { radiusChapResponse as chapResponse, radiusChapMatches as chapMatches } from '@utm5/protocol';

export function chapChallengeOf(packet: RadiusPacket): Buffer {
  return packet.octets('CHAP-Challenge') ?? packet.authenticator;
}
