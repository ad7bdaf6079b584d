import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePacket, encodeRequest, type AttributeInput } from '@utm5/radius';
import { digestMatches, digestRequestOf, digestResponse, type DigestChallenge } from './digest';

// RFC 2617 3.5: the "Mufasa" example.
const MUFASA: DigestChallenge = {
  userName: 'Mufasa',
  realm: 'testrealm@host.com',
  nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
  method: 'GET',
  uri: '/dir/index.html',
  qop: 'auth',
  nonceCount: '00000001',
  cnonce: '0a4f113b',
};
const PASSWORD = 'Circle Of Life';

test('HTTP Digest: RFC 2617 3.5 example, and its case-insensitive check', () => {
  assert.equal(digestResponse(MUFASA, PASSWORD), '6629fae49393a05397450978507c4ef1');
  assert.equal(digestMatches(MUFASA, PASSWORD, '6629FAE49393A05397450978507C4EF1'), true);
  assert.equal(digestMatches(MUFASA, 'circle of life', '6629fae49393a05397450978507c4ef1'), false);
  assert.equal(digestMatches(MUFASA, PASSWORD, '6629'), false);
  // Without qop (RFC 2069 form) and with MD5-sess, the formula changes and so does the answer.
  const plain = { ...MUFASA, qop: undefined, nonceCount: undefined, cnonce: undefined };
  assert.match(digestResponse(plain, PASSWORD), /^[0-9a-f]{32}$/);
  assert.notEqual(digestResponse(plain, PASSWORD), digestResponse(MUFASA, PASSWORD));
  assert.notEqual(digestResponse({ ...MUFASA, algorithm: 'MD5-sess' }, PASSWORD), digestResponse(MUFASA, PASSWORD));
});

/** draft-sterman-aaa-sip-00: each Digest-Attributes (207) holds one sub-attribute [type, length, value]. */
function sub(type: number, value: string): AttributeInput {
  return {
    name: 'Sterman-Digest-Attributes',
    value: Buffer.concat([Buffer.from([type, 2 + value.length]), Buffer.from(value)]),
  };
}

test('Digest parameters are read from draft-sterman attributes (206/207) and from RFC 5090 ones', () => {
  const sterman = decodePacket(
    encodeRequest(
      'Access-Request',
      [
        { name: 'User-Name', value: 'Mufasa' },
        { name: 'Sterman-Digest-Response', value: '6629fae49393a05397450978507c4ef1' },
        sub(1, MUFASA.realm),
        sub(2, MUFASA.nonce),
        sub(3, 'GET'),
        sub(4, MUFASA.uri),
        sub(5, 'auth'),
        sub(8, MUFASA.cnonce!),
        sub(9, MUFASA.nonceCount!),
      ],
      's',
    ),
  );
  assert.ok(sterman.ok);
  const a = digestRequestOf(sterman.packet);
  assert.ok(a);
  assert.deepEqual(a.challenge, MUFASA);
  assert.equal(digestMatches(a.challenge, PASSWORD, a.response), true);

  const rfc = decodePacket(
    encodeRequest(
      'Access-Request',
      [
        { name: 'Digest-Response', value: '6629fae49393a05397450978507c4ef1' },
        { name: 'Digest-Username', value: 'Mufasa' },
        { name: 'Digest-Realm', value: MUFASA.realm },
        { name: 'Digest-Nonce', value: MUFASA.nonce },
        { name: 'Digest-Method', value: 'GET' },
        { name: 'Digest-URI', value: MUFASA.uri },
        { name: 'Digest-Qop', value: 'auth' },
        { name: 'Digest-CNonce', value: MUFASA.cnonce! },
        { name: 'Digest-Nonce-Count', value: MUFASA.nonceCount! },
      ],
      's',
    ),
  );
  assert.ok(rfc.ok);
  const b = digestRequestOf(rfc.packet);
  assert.ok(b);
  assert.equal(digestMatches(b.challenge, PASSWORD, b.response), true);

  // Missing the nonce, or with a broken sub-attribute: no parameters, no exception.
  const broken = decodePacket(
    encodeRequest(
      'Access-Request',
      [
        { name: 'User-Name', value: 'x' },
        { name: 'Sterman-Digest-Response', value: 'ab' },
        sub(1, 'r'),
        { name: 'Sterman-Digest-Attributes', value: Buffer.from([2, 40, 1]) },
        sub(3, 'GET'),
        sub(4, '/'),
      ],
      's',
    ),
  );
  assert.ok(broken.ok);
  assert.equal(digestRequestOf(broken.packet), undefined);
});
