import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * PAP (RFC 2865 5.2): the NAS sends the password itself, hidden with the secret; the codec reveals it. Both sides are
 * hashed before the constant-time compare, so neither the content nor the length of the stored password leaks
 * through timing.
 */
export function papMatches(given: string | Buffer, expected: string | Buffer): boolean {
  const digest = (v: string | Buffer): Buffer => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
