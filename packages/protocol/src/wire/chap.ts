import { createHash, timingSafeEqual } from 'node:crypto';

/** The CHAP-MD5 response URFA and Stream share: MD5(challenge || password), hex on Stream. */
export function chapResponse(challenge: Buffer, password: string): Buffer {
  return createHash('md5').update(challenge).update(Buffer.from(password, 'utf8')).digest();
}

export function chapMatches(challenge: Buffer, password: string, response: Buffer): boolean {
  const expected = chapResponse(challenge, password);
  return response.length === expected.length && timingSafeEqual(response, expected);
}
