import { createHash, timingSafeEqual } from 'node:crypto';
import type { RadiusPacket } from '@utm5/radius';

/**
 * HTTP Digest (RFC 2617 3.2.2) for SIP proxies that let the RADIUS server check the response: either the draft
 * (draft-sterman-aaa-sip-00: Sterman-Digest-Response (206) and one sub-attribute per Sterman-Digest-Attributes (207))
 * or RFC 4590/5090's Digest-* attributes (103-115). The password is the clear one stored on the service link.
 */

export interface DigestChallenge {
  readonly userName: string;
  readonly realm: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  /** "auth" or "auth-int"; absent for RFC 2069 compatibility. */
  readonly qop?: string;
  /** Nonce count, 8 hex digits, with qop. */
  readonly nonceCount?: string;
  readonly cnonce?: string;
  /** "MD5" (default) or "MD5-sess". */
  readonly algorithm?: string;
  /** H(entity-body) in hex, for qop=auth-int. */
  readonly bodyDigest?: string;
}

const md5hex = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** The expected "response" (32 lower-case hex digits) for these parameters and password. */
export function digestResponse(c: DigestChallenge, password: string): string {
  let ha1 = md5hex(`${c.userName}:${c.realm}:${password}`);
  if (c.algorithm?.toLowerCase() === 'md5-sess') ha1 = md5hex(`${ha1}:${c.nonce}:${c.cnonce ?? ''}`);
  const ha2 =
    c.qop?.toLowerCase() === 'auth-int'
      ? md5hex(`${c.method}:${c.uri}:${c.bodyDigest ?? ''}`)
      : md5hex(`${c.method}:${c.uri}`);
  if (c.qop) return md5hex(`${ha1}:${c.nonce}:${c.nonceCount ?? ''}:${c.cnonce ?? ''}:${c.qop}:${ha2}`);
  return md5hex(`${ha1}:${c.nonce}:${ha2}`);
}

export function digestMatches(c: DigestChallenge, password: string, response: string): boolean {
  const expected = Buffer.from(digestResponse(c, password), 'ascii');
  const given = Buffer.from(response.toLowerCase(), 'ascii');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** draft-sterman-aaa-sip-00 3: the sub-attribute types inside Sterman-Digest-Attributes. */
const STERMAN_SUB = {
  1: 'realm',
  2: 'nonce',
  3: 'method',
  4: 'uri',
  5: 'qop',
  6: 'algorithm',
  7: 'bodyDigest',
  8: 'cnonce',
  9: 'nonceCount',
  10: 'userName',
} as const;

type Field = (typeof STERMAN_SUB)[keyof typeof STERMAN_SUB];

/** RFC 5090 attribute names for the same fields. */
const RFC5090: Record<Field, string> = {
  realm: 'Digest-Realm',
  nonce: 'Digest-Nonce',
  method: 'Digest-Method',
  uri: 'Digest-URI',
  qop: 'Digest-Qop',
  algorithm: 'Digest-Algorithm',
  bodyDigest: 'Digest-Entity-Body-Hash',
  cnonce: 'Digest-CNonce',
  nonceCount: 'Digest-Nonce-Count',
  userName: 'Digest-Username',
};

export interface DigestRequest {
  readonly challenge: DigestChallenge;
  /** The client's response, hex. */
  readonly response: string;
}

/**
 * Reads the Digest parameters of an Access-Request in either form, or undefined when the request has no digest
 * response or lacks realm, nonce, method or uri. The user name falls back to User-Name. Malformed sub-attributes are
 * skipped, never thrown on.
 */
export function digestRequestOf(packet: RadiusPacket): DigestRequest | undefined {
  const fields: Partial<Record<Field, string>> = {};
  let response = packet.text('Sterman-Digest-Response');
  if (response !== undefined) {
    for (const a of packet.findAll('Sterman-Digest-Attributes')) {
      const b = a.raw;
      for (let off = 0; off + 2 <= b.length && b[off + 1]! >= 2 && off + b[off + 1]! <= b.length; off += b[off + 1]!) {
        const field = STERMAN_SUB[b[off] as keyof typeof STERMAN_SUB];
        if (field) fields[field] = b.toString('utf8', off + 2, off + b[off + 1]!);
      }
    }
  } else {
    response = packet.text('Digest-Response');
    if (response === undefined) return undefined;
    for (const [field, name] of Object.entries(RFC5090) as [Field, string][]) {
      const v = packet.text(name);
      if (v !== undefined) fields[field] = v;
    }
  }
  const userName = fields.userName ?? packet.text('User-Name');
  const { realm, nonce, method, uri } = fields;
  if (
    userName === undefined ||
    realm === undefined ||
    nonce === undefined ||
    method === undefined ||
    uri === undefined
  ) {
    return undefined;
  }
  return { response, challenge: { ...fields, userName, realm, nonce, method, uri } };
}
