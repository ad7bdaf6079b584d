import {
  chapChallengeOf,
  chapMatches,
  digestMatches,
  digestRequestOf,
  eapFailure,
  eapIdentityOf,
  eapMd5ChallengeRequest,
  eapMd5Matches,
  eapMd5ResponseValue,
  eapMessageOf,
  eapSuccess,
  mppeAttributes,
  mppeKeysFromMsChapV2,
  msChapError,
  msChapV1Matches,
  msChapV2Check,
  newEapMd5Challenge,
  newState,
  papMatches,
  parseEap,
  stateKey,
} from '../auth/index';
import type { AttributeInput } from '@utm5/radius';
import { ATTR } from './attributes';
import type { RequestView } from './wire';

export type AuthnResult =
  | { readonly ok: true; readonly method: string; readonly attrs: AttributeInput[] }
  | { readonly ok: false; readonly reason: string; readonly attrs: AttributeInput[] }
  /** EAP needs another round: answer Access-Challenge with these attributes. */
  | { readonly ok: 'challenge'; readonly attrs: AttributeInput[] };

export interface AuthnOptions {
  /** radius_auth_null: no password in the request is fine when the link's password is empty. */
  readonly nullPassword: boolean;
  /** radius_auth_mppe: MS-CHAP v2 answers carry MPPE keys. */
  readonly mppe: boolean;
  readonly userName: string;
}

interface PendingEap {
  readonly challenge: Buffer;
  readonly identifier: number;
  readonly login: string;
  readonly expires: number;
}

/** EAP-MD5 challenges sent and not yet answered, by State; forgotten after a minute. */
export class EapChallenges {
  private readonly pending = new Map<string, PendingEap>();

  put(state: Buffer, p: PendingEap): void {
    this.pending.set(stateKey(state), p);
  }

  take(state: Buffer, now: number): PendingEap | undefined {
    const k = stateKey(state);
    const p = this.pending.get(k);
    this.pending.delete(k);
    return p && p.expires > now ? p : undefined;
  }

  sweep(now: number): void {
    for (const [k, p] of this.pending) if (p.expires <= now) this.pending.delete(k);
  }
}

const fail = (reason: string, attrs: AttributeInput[] = []): AuthnResult => ({ ok: false, reason, attrs });

/**
 * Checks the credentials of an Access-Request against the link's clear-text password, by whichever method the
 * request uses: PAP, CHAP, MS-CHAP v1, MS-CHAP v2 (with MS-CHAP2-Success and, with radius_auth_mppe, MPPE keys),
 * EAP-MD5 (two rounds, the challenge kept by State), Digest (draft-sterman or RFC 5090 attributes). A request with
 * none of them is accepted only with radius_auth_null and an empty password.
 */
export function authenticate(
  req: RequestView,
  login: string,
  password: string,
  o: AuthnOptions,
  eap: EapChallenges,
  nowMs: number,
): AuthnResult {
  const p = req.packet;
  const pap = p.get(ATTR.USER_PASSWORD);
  if (pap !== undefined) {
    return papMatches(Buffer.isBuffer(pap) ? pap : String(pap), password)
      ? { ok: true, method: 'PAP', attrs: [] }
      : fail('wrong password (PAP)');
  }
  const chap = p.get(ATTR.CHAP_PASSWORD);
  if (Buffer.isBuffer(chap)) {
    return chapMatches(chap, chapChallengeOf(p), password)
      ? { ok: true, method: 'CHAP', attrs: [] }
      : fail('wrong password (CHAP)');
  }
  const msChallenge = p.get(ATTR.MS_CHAP_CHALLENGE);
  const ms2 = p.get(ATTR.MS_CHAP2_RESPONSE);
  if (Buffer.isBuffer(msChallenge) && Buffer.isBuffer(ms2)) {
    const r = msChapV2Check({ userName: o.userName, password, challenge: msChallenge, response: ms2 });
    if (!r.ok)
      return fail('wrong password (MS-CHAP v2)', [{ name: ATTR.MS_CHAP_ERROR, value: msChapError(ms2[0] ?? 0) }]);
    const attrs: AttributeInput[] = [{ name: ATTR.MS_CHAP2_SUCCESS, value: r.success }];
    if (o.mppe) attrs.push(...mppeAttributes(mppeKeysFromMsChapV2(password, r.ntResponse)));
    return { ok: true, method: 'MS-CHAP v2', attrs };
  }
  const ms1 = p.get(ATTR.MS_CHAP_RESPONSE);
  if (Buffer.isBuffer(msChallenge) && Buffer.isBuffer(ms1)) {
    return msChapV1Matches({ challenge: msChallenge, response: ms1, password })
      ? { ok: true, method: 'MS-CHAP v1', attrs: [] }
      : fail('wrong password (MS-CHAP v1)', [{ name: ATTR.MS_CHAP_ERROR, value: msChapError(ms1[0] ?? 0) }]);
  }
  const eapBytes = eapMessageOf(p);
  if (eapBytes) return eapMd5(req, login, password, eapBytes, eap, nowMs);
  const digest = digestRequestOf(p);
  if (digest)
    return digestMatches(digest.challenge, password, digest.response)
      ? { ok: true, method: 'Digest', attrs: [] }
      : fail('wrong password (Digest)');
  if (o.nullPassword && password === '') return { ok: true, method: 'none (radius_auth_null)', attrs: [] };
  return fail('no credentials of a supported method (PAP, CHAP, MS-CHAP v1/v2, EAP-MD5, Digest)');
}

function eapMd5(
  req: RequestView,
  login: string,
  password: string,
  bytes: Buffer,
  eap: EapChallenges,
  nowMs: number,
): AuthnResult {
  // RFC 3579 3.2: an EAP request without a valid Message-Authenticator is discarded.
  if (!req.packet.has(ATTR.MESSAGE_AUTHENTICATOR)) return fail('EAP without Message-Authenticator');
  const parsed = parseEap(bytes);
  if (!parsed.ok) return fail(`malformed EAP: ${parsed.message}`, [{ name: ATTR.EAP_MESSAGE, value: eapFailure(0) }]);
  const m = parsed.eap;
  if (eapIdentityOf(m) !== undefined) {
    const challenge = newEapMd5Challenge();
    const id = (m.identifier + 1) & 0xff;
    const state = newState();
    eap.put(state, { challenge, identifier: id, login, expires: nowMs + 60_000 });
    return {
      ok: 'challenge',
      attrs: [
        { name: ATTR.EAP_MESSAGE, value: eapMd5ChallengeRequest(id, challenge) },
        { name: ATTR.STATE, value: state },
      ],
    };
  }
  const value = eapMd5ResponseValue(m);
  const state = req.packet.get('State');
  const pending = Buffer.isBuffer(state) ? eap.take(state, nowMs) : undefined;
  if (!value || !pending || pending.login !== login || pending.identifier !== m.identifier) {
    // Anything but an MD5 answer to our challenge (e.g. a Nak for another method) ends the conversation.
    return fail('EAP: not an MD5-Challenge response to a challenge of ours', [
      { name: ATTR.EAP_MESSAGE, value: eapFailure(m.identifier) },
    ]);
  }
  return eapMd5Matches(pending.identifier, pending.challenge, password, value)
    ? { ok: true, method: 'EAP-MD5', attrs: [{ name: ATTR.EAP_MESSAGE, value: eapSuccess(m.identifier) }] }
    : fail('wrong password (EAP-MD5)', [{ name: ATTR.EAP_MESSAGE, value: eapFailure(m.identifier) }]);
}
