import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodePacket, encodeRequest, encodeResponse, verifyMessageAuthenticator } from '@utm5/radius';
import {
  EAP_CODES,
  eapFailure,
  eapIdentityOf,
  eapIdentityRequest,
  eapMd5ChallengeRequest,
  eapMd5Matches,
  eapMd5ResponseValue,
  eapMessageOf,
  eapSuccess,
  newEapMd5Challenge,
  parseEap,
} from './eap';
import { newState, stateKey } from './state';

const SECRET = 'eap-secret';

function md5Response(id: number, password: string, challenge: Buffer): Buffer {
  return createHash('md5')
    .update(Buffer.concat([Buffer.from([id]), Buffer.from(password), challenge]))
    .digest();
}

/** An EAP Response/MD5-Challenge as a peer builds it (RFC 3748 5.4), written out here rather than by our helpers. */
function peerMd5Response(id: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([2, id, 0, 5 + 1 + value.length, 4, value.length]), value]);
}

test('byte layouts of the EAP packets we build (RFC 3748 4, 5.1, 5.4)', () => {
  assert.equal(eapIdentityRequest(1).toString('hex'), '0101000501');
  assert.equal(eapSuccess(5).toString('hex'), '03050004');
  assert.equal(eapFailure(5).toString('hex'), '04050004');
  const challenge = Buffer.alloc(16, 0xcc);
  assert.equal(
    eapMd5ChallengeRequest(2, challenge, 'utm5').toString('hex'),
    '0102001a0410' + 'cc'.repeat(16) + Buffer.from('utm5').toString('hex'),
  );
});

test('parseEap refuses what is not EAP without throwing', () => {
  for (const bad of ['', '01', '05010004', '01010010', '01010004']) {
    const r = parseEap(Buffer.from(bad, 'hex'));
    assert.equal(r.ok, false, bad);
  }
  const ok = parseEap(Buffer.from('0203000a016a6f686e00ff', 'hex')); // trailing bytes past Length ignored
  assert.ok(ok.ok);
  if (ok.ok) assert.equal(eapIdentityOf(ok.eap), 'john\u0000');
});

test('EAP-MD5 end to end over RADIUS: identity, challenge with State, response split over EAP-Message attributes', () => {
  // 1. The NAS relays the peer's Response/Identity.
  const identity = Buffer.concat([Buffer.from([2, 0, 0, 9, 1]), Buffer.from('john')]);
  const req1 = decodePacket(
    encodeRequest(
      'Access-Request',
      [
        { name: 'User-Name', value: 'john' },
        { name: 'EAP-Message', value: identity },
      ],
      SECRET,
    ),
    SECRET,
  );
  assert.ok(req1.ok);
  assert.equal(verifyMessageAuthenticator(req1.packet, SECRET), true); // added because of EAP-Message
  const eap1 = parseEap(eapMessageOf(req1.packet)!);
  assert.ok(eap1.ok);
  assert.equal(eapIdentityOf(eap1.eap), 'john');

  // 2. We challenge, remembering (State -> id, challenge).
  const challenge = newEapMd5Challenge();
  const state = newState();
  const id = (eap1.eap.identifier + 1) & 0xff;
  const pending = new Map([[stateKey(state), { id, challenge }]]);
  const challengePacket = encodeResponse(
    req1.packet,
    'Access-Challenge',
    [
      { name: 'EAP-Message', value: eapMd5ChallengeRequest(id, challenge) },
      { name: 'State', value: state },
    ],
    SECRET,
  );
  const seen = decodePacket(challengePacket, SECRET);
  assert.ok(seen.ok);
  assert.equal(verifyMessageAuthenticator(seen.packet, SECRET, req1.packet.authenticator), true);

  // 3. The peer answers; a NAS may split the EAP packet at any byte (here 3 + rest).
  const answer = peerMd5Response(id, md5Response(id, 'pa55', challenge));
  const req2 = decodePacket(
    encodeRequest(
      'Access-Request',
      [
        { name: 'User-Name', value: 'john' },
        { name: 'EAP-Message', value: answer.subarray(0, 3) },
        { name: 'EAP-Message', value: answer.subarray(3) },
        { name: 'State', value: seen.packet.get('State')! },
      ],
      SECRET,
    ),
    SECRET,
  );
  assert.ok(req2.ok);
  const p = pending.get(stateKey(req2.packet.octets('State')!));
  assert.ok(p);
  const eap2 = parseEap(eapMessageOf(req2.packet)!);
  assert.ok(eap2.ok);
  assert.equal(eap2.eap.identifier, p.id);
  const value = eapMd5ResponseValue(eap2.eap);
  assert.ok(value);
  assert.equal(eapMd5Matches(p.id, p.challenge, 'pa55', value), true);
  assert.equal(eapMd5Matches(p.id, p.challenge, 'wrong', value), false);
  assert.equal(eapMd5Matches((p.id + 1) & 0xff, p.challenge, 'pa55', value), false);
  assert.equal(parseEap(eapSuccess(p.id)).ok && EAP_CODES.Success, 3);
});

test('a Nak or an identity is not an MD5 response', () => {
  const nak = parseEap(Buffer.from('0202000603' + '04', 'hex'));
  assert.ok(nak.ok);
  assert.equal(eapMd5ResponseValue(nak.eap), undefined);
  const badSize = parseEap(Buffer.from('020200080420aabb', 'hex'));
  assert.ok(badSize.ok);
  assert.equal(eapMd5ResponseValue(badSize.eap), undefined);
});
