import { createHash, timingSafeEqual } from 'node:crypto';
import { desEncryptBlock, expandDesKey } from './des';
import { md4 } from './md4';

/**
 * MS-CHAP v1 (RFC 2433) and v2 (RFC 2759) as carried in RADIUS by RFC 2548: the NAS relays the challenge it sent
 * (MS-CHAP-Challenge) and the peer's answer (MS-CHAP-Response / MS-CHAP2-Response); we recompute the NT-Response
 * from the stored clear-text password. The LAN Manager response of v1 is not checked: every client since Windows NT
 * sends the NT one (flag 1), and the LM hash is weak.
 */

/** SHA-1 of the concatenation of `parts` (strings as UTF-8), as RFC 2759 and RFC 3079 write their formulas. */
export const sha1 = (...parts: (Buffer | string)[]): Buffer => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** NtPasswordHash: MD4 of the password in UTF-16LE (RFC 2759 8.3). */
export function ntPasswordHash(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/** HashNtPasswordHash: MD4 of the hash (RFC 2759 8.4), the key material of the authenticator response and MPPE. */
export function ntPasswordHashHash(passwordHash: Buffer): Buffer {
  return md4(passwordHash);
}

/** ChallengeResponse (RFC 2759 8.5): the 8-byte challenge DES-encrypted under three 7-byte slices of the hash. */
export function challengeResponse(challenge: Buffer, passwordHash: Buffer): Buffer {
  const z = Buffer.alloc(21);
  passwordHash.copy(z);
  return Buffer.concat([0, 7, 14].map((at) => desEncryptBlock(expandDesKey(z.subarray(at, at + 7)), challenge)));
}

/** ChallengeHash (RFC 2759 8.2): SHA1(peer challenge || authenticator challenge || user name), first 8 bytes. */
export function challengeHash(peerChallenge: Buffer, authenticatorChallenge: Buffer, userName: string): Buffer {
  return sha1(peerChallenge, authenticatorChallenge, Buffer.from(userName, 'utf8')).subarray(0, 8);
}

/** GenerateNTResponse (RFC 2759 8.1). */
export function generateNtResponse(
  authenticatorChallenge: Buffer,
  peerChallenge: Buffer,
  userName: string,
  password: string,
): Buffer {
  return challengeResponse(challengeHash(peerChallenge, authenticatorChallenge, userName), ntPasswordHash(password));
}

const MAGIC1 = 'Magic server to client signing constant';
const MAGIC2 = 'Pad to make it do more than one iteration';

/** GenerateAuthenticatorResponse (RFC 2759 8.7): "S=" and 40 upper-case hex digits, proving we knew the password. */
export function authenticatorResponse(
  password: string,
  ntResponse: Buffer,
  peerChallenge: Buffer,
  authenticatorChallenge: Buffer,
  userName: string,
): string {
  const digest = sha1(ntPasswordHashHash(ntPasswordHash(password)), ntResponse, MAGIC1);
  const final = sha1(digest, challengeHash(peerChallenge, authenticatorChallenge, userName), MAGIC2);
  return `S=${final.toString('hex').toUpperCase()}`;
}

/**
 * RFC 2759 4: the challenge hash uses the account name without a Windows domain, and clients send "DOMAIN\\user";
 * FreeRADIUS calls stripping it the "NT domain hack".
 */
export function msChapUserName(userName: string): string {
  const slash = userName.lastIndexOf('\\');
  return slash >= 0 ? userName.slice(slash + 1) : userName;
}

export interface MsChapV1Input {
  /** MS-CHAP-Challenge: 8 bytes. */
  readonly challenge: Buffer;
  /** MS-CHAP-Response: Ident, Flags, LM-Response (24), NT-Response (24) (RFC 2548 2.1.2). */
  readonly response: Buffer;
  readonly password: string;
}

/** Checks an MS-CHAP v1 answer. False for a malformed attribute or an LM-only response. */
export function msChapV1Matches({ challenge, response, password }: MsChapV1Input): boolean {
  if (challenge.length !== 8 || response.length !== 50 || (response[1]! & 1) !== 1) return false;
  return timingSafeEqual(challengeResponse(challenge, ntPasswordHash(password)), response.subarray(26, 50));
}

export interface MsChapV2Input {
  /** The MS-CHAP name (User-Name); a "DOMAIN\\" prefix is dropped. */
  readonly userName: string;
  readonly password: string;
  /** MS-CHAP-Challenge: the 16-byte authenticator challenge. */
  readonly challenge: Buffer;
  /** MS-CHAP2-Response: Ident, Flags, Peer-Challenge (16), Reserved (8), NT-Response (24) (RFC 2548 2.3.2). */
  readonly response: Buffer;
}

export type MsChapV2Result =
  | { readonly ok: false }
  | {
      readonly ok: true;
      /** The value of MS-CHAP2-Success: Ident, then "S=" + 40 hex digits (RFC 2548 2.3.3). */
      readonly success: Buffer;
      /** The peer's NT-Response, for the MPPE keys (RFC 3079). */
      readonly ntResponse: Buffer;
    };

/** Checks an MS-CHAP v2 answer and builds the MS-CHAP2-Success that lets the peer authenticate us in turn. */
export function msChapV2Check({ userName, password, challenge, response }: MsChapV2Input): MsChapV2Result {
  if (challenge.length !== 16 || response.length !== 50) return { ok: false };
  const ident = response[0]!;
  const peerChallenge = response.subarray(2, 18);
  const ntResponse = response.subarray(26, 50);
  const name = msChapUserName(userName);
  const expected = generateNtResponse(challenge, peerChallenge, name, password);
  if (!timingSafeEqual(expected, ntResponse)) return { ok: false };
  const auth = authenticatorResponse(password, ntResponse, peerChallenge, challenge, name);
  return {
    ok: true,
    success: Buffer.concat([Buffer.from([ident]), Buffer.from(auth, 'ascii')]),
    ntResponse: Buffer.from(ntResponse),
  };
}

/**
 * The value of MS-CHAP-Error (RFC 2548 2.1.5, format of RFC 2759 6): Ident, then "E=691 R=0 V=3" by default
 * (691: authentication failure; R=0: no retry). The Ident is the one of the peer's response.
 */
export function msChapError(ident: number, error = 691, retry = false, message?: string): Buffer {
  const text = `E=${error} R=${retry ? 1 : 0} V=3${message ? ` M=${message}` : ''}`;
  return Buffer.concat([Buffer.from([ident & 0xff]), Buffer.from(text, 'ascii')]);
}
