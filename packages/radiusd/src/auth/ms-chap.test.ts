import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authenticatorResponse,
  challengeHash,
  challengeResponse,
  generateNtResponse,
  msChapError,
  msChapUserName,
  msChapV1Matches,
  msChapV2Check,
  ntPasswordHash,
  ntPasswordHashHash,
} from './ms-chap';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 2759 9.2 (also RFC 3079 3.5.3's inputs).
const USER = 'User';
const PASSWORD = 'clientPass';
const AUTH_CHALLENGE = h('5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28');
const PEER_CHALLENGE = h('21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E');
const NT_RESPONSE = h('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF');

test('MS-CHAP v1: RFC 2433 B.2 (password "MyPw")', () => {
  const hash = ntPasswordHash('MyPw');
  assert.equal(hash.toString('hex'), 'fc156af7edcd6c0edde3337d427f4eac');
  const challenge = h('10 2D B5 DF 08 5D 30 41');
  const nt = challengeResponse(challenge, hash);
  assert.equal(nt.toString('hex'), '4e9d3c8f9cfd385d5bf4d3246791956ca4c351ab409a3d61');
  // As RADIUS carries it: MS-CHAP-Response = Ident, Flags (1: use NT), LM-Response (ignored), NT-Response.
  const response = Buffer.concat([Buffer.from([1, 1]), Buffer.alloc(24), nt]);
  assert.equal(msChapV1Matches({ challenge, response, password: 'MyPw' }), true);
  assert.equal(msChapV1Matches({ challenge, response, password: 'MyPW' }), false);
  const lmOnly = Buffer.from(response);
  lmOnly[1] = 0;
  assert.equal(msChapV1Matches({ challenge, response: lmOnly, password: 'MyPw' }), false);
  assert.equal(msChapV1Matches({ challenge, response: response.subarray(0, 49), password: 'MyPw' }), false);
});

test('MS-CHAP v2: every intermediate value of RFC 2759 9.2', () => {
  const hash = ntPasswordHash(PASSWORD);
  assert.equal(hash.toString('hex').toUpperCase(), '44EBBA8D5312B8D611474411F56989AE');
  assert.equal(ntPasswordHashHash(hash).toString('hex').toUpperCase(), '41C00C584BD2D91C4017A2A12FA59F3F');
  assert.equal(challengeHash(PEER_CHALLENGE, AUTH_CHALLENGE, USER).toString('hex').toUpperCase(), 'D02E4386BCE91226');
  assert.deepEqual(generateNtResponse(AUTH_CHALLENGE, PEER_CHALLENGE, USER, PASSWORD), NT_RESPONSE);
  assert.equal(
    authenticatorResponse(PASSWORD, NT_RESPONSE, PEER_CHALLENGE, AUTH_CHALLENGE, USER),
    'S=407A5589115FD0D6209F510FE9C04566932CDA56',
  );
});

test('MS-CHAP v2 check as RADIUS carries it: MS-CHAP2-Response in, MS-CHAP2-Success out', () => {
  // Ident 7, Flags 0, Peer-Challenge, 8 reserved zero bytes, NT-Response (RFC 2548 2.3.2).
  const response = Buffer.concat([Buffer.from([7, 0]), PEER_CHALLENGE, Buffer.alloc(8), NT_RESPONSE]);
  const ok = msChapV2Check({ userName: USER, password: PASSWORD, challenge: AUTH_CHALLENGE, response });
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.equal(ok.success[0], 7);
    assert.equal(ok.success.subarray(1).toString('ascii'), 'S=407A5589115FD0D6209F510FE9C04566932CDA56');
    assert.deepEqual(ok.ntResponse, NT_RESPONSE);
  }
  // A Windows client names itself DOMAIN\User; the hash uses the bare account name.
  assert.equal(
    msChapV2Check({ userName: 'CORP\\User', password: PASSWORD, challenge: AUTH_CHALLENGE, response }).ok,
    true,
  );
  assert.equal(
    msChapV2Check({ userName: USER, password: 'clientpass', challenge: AUTH_CHALLENGE, response }).ok,
    false,
  );
  assert.equal(msChapV2Check({ userName: 'Other', password: PASSWORD, challenge: AUTH_CHALLENGE, response }).ok, false);
  assert.equal(
    msChapV2Check({ userName: USER, password: PASSWORD, challenge: AUTH_CHALLENGE.subarray(1), response }).ok,
    false,
  );
  assert.equal(msChapUserName('a\\b\\c'), 'c');
});

test('MS-CHAP-Error carries the ident and "E=691 R=0 V=3"', () => {
  const e = msChapError(9);
  assert.equal(e[0], 9);
  assert.equal(e.subarray(1).toString('ascii'), 'E=691 R=0 V=3');
  assert.equal(msChapError(1, 648, true, 'expired').subarray(1).toString('ascii'), 'E=648 R=1 V=3 M=expired');
});
