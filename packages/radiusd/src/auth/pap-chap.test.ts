import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodePacket, encodeRequest } from '@utm5/radius';
import { chapChallengeOf, chapMatches, chapResponse } from './chap';
import { papMatches } from './pap';

test('PAP: equal passwords match, anything else does not (lengths included)', () => {
  assert.equal(papMatches('s3cret', 's3cret'), true);
  assert.equal(papMatches(Buffer.from('s3cret'), 's3cret'), true);
  assert.equal(papMatches('s3cret', 's3cre'), false);
  assert.equal(papMatches('s3cret ', 's3cret'), false);
  assert.equal(papMatches('', ''), true);
});

test('CHAP: MD5(id || password || challenge), RFC 1994 4.1', () => {
  const challenge = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const expected = createHash('md5')
    .update(Buffer.concat([Buffer.from([0x16]), Buffer.from('pw'), challenge]))
    .digest();
  assert.deepEqual(chapResponse(0x16, 'pw', challenge), expected);
  const chapPassword = Buffer.concat([Buffer.from([0x16]), expected]);
  assert.equal(chapMatches(chapPassword, challenge, 'pw'), true);
  assert.equal(chapMatches(chapPassword, challenge, 'pW'), false);
  assert.equal(chapMatches(chapPassword.subarray(0, 16), challenge, 'pw'), false);
});

test('CHAP challenge: CHAP-Challenge when sent, else the Request Authenticator (RFC 2865 2.2)', () => {
  const secret = 'chap';
  const authenticator = Buffer.alloc(16, 0xab);
  const withChallenge = decodePacket(
    encodeRequest('Access-Request', [{ name: 'CHAP-Challenge', value: Buffer.alloc(20, 1) }], secret, {
      authenticator,
    }),
  );
  const without = decodePacket(encodeRequest('Access-Request', [], secret, { authenticator }));
  assert.ok(withChallenge.ok && without.ok);
  assert.deepEqual(chapChallengeOf(withChallenge.packet), Buffer.alloc(20, 1));
  assert.deepEqual(chapChallengeOf(without.packet), authenticator);
});
