import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePacket, encodeRequest, encodeResponse, verifyResponse, type RadiusPacket } from './index';

/**
 * Byte fixtures copied from RFC 2865 section 7 (examples 7.1, 7.2, 7.3; shared secret "xyzzy5461" in 7.1). They were
 * made by another implementation, so they check our decoder, our password hiding and our Response Authenticator
 * against the RFC's own numbers rather than against our encoder.
 */
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const SECRET = Buffer.from('xyzzy5461');

const ACCESS_REQUEST_7_1 = hex(`01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb
  98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8
  01 10 05 06 00 00 00 03`);
const ACCESS_ACCEPT_7_1 = hex(`02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf
  9b 55 e0 b2 06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03`);
const CHAP_REQUEST_7_2 = hex(`01 01 00 47 2a ee 86 f0 8d 0d 55 96 9c a5 97 8e
  0d 33 67 a2 01 08 66 6c 6f 70 73 79 03 13 16 e9 75 57 c3 16 18 58 95 f2 93 ff 63 44 07 72 75 04
  06 c0 a8 01 10 05 06 00 00 00 14 06 06 00 00 00 02 07 06 00 00 00 01`);
const ACCESS_CHALLENGE_7_3 = hex(`0b 02 00 4e 36 f3 c8 76 4a e8 c7 11 57 40 3c 0c
  71 ff 9c 45 12 30 43 68 61 6c 6c 65 6e 67 65 20 33 32 37 36 39 34 33 30 2e 20 20 45 6e 74 65 72
  20 72 65 73 70 6f 6e 73 65 20 61 74 20 70 72 6f 6d 70 74 2e 18 0a 33 32 37 36 39 34 33 30`);

function decoded(buf: Buffer, secret?: Buffer): RadiusPacket {
  const r = decodePacket(buf, secret);
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.message}`);
  return r.packet;
}

test('RFC 2865 7.1: the Access-Request decodes and its User-Password unhides to "arctangent"', () => {
  const p = decoded(ACCESS_REQUEST_7_1, SECRET);
  assert.equal(p.code, 1);
  assert.equal(p.codeName, 'Access-Request');
  assert.equal(p.identifier, 0);
  assert.deepEqual(
    p.attributes.map((a) => [a.name, a.value]),
    [
      ['User-Name', 'nemo'],
      ['User-Password', 'arctangent'],
      ['NAS-IP-Address', '192.168.1.16'],
      ['NAS-Port', 3],
    ],
  );
  // Without the secret the password stays hidden: its wire bytes, flagged.
  const hidden = decoded(ACCESS_REQUEST_7_1).find('User-Password');
  assert.equal(hidden?.hidden, true);
  assert.deepEqual(hidden?.value, ACCESS_REQUEST_7_1.subarray(28, 44));
});

test('RFC 2865 7.1: re-encoding with the same authenticator gives the RFC bytes', () => {
  const p = decoded(ACCESS_REQUEST_7_1, SECRET);
  const again = encodeRequest(
    'Access-Request',
    p.attributes.map((a) => ({ name: a.name, value: a.value })),
    SECRET,
    { identifier: 0, authenticator: p.authenticator },
  );
  assert.deepEqual(again, ACCESS_REQUEST_7_1);
});

test('RFC 2865 7.1: our Access-Accept carries the RFC Response Authenticator, and verifies', () => {
  const request = decoded(ACCESS_REQUEST_7_1, SECRET);
  const accept = encodeResponse(
    request,
    'Access-Accept',
    [
      { name: 'Service-Type', value: 'Login-User' },
      { name: 'Login-Service', value: 'Telnet' },
      { name: 'Login-IP-Host', value: '192.168.1.3' },
    ],
    SECRET,
  );
  assert.deepEqual(accept, ACCESS_ACCEPT_7_1);
  assert.equal(verifyResponse(ACCESS_REQUEST_7_1, ACCESS_ACCEPT_7_1, SECRET), true);
  assert.equal(verifyResponse(ACCESS_REQUEST_7_1, ACCESS_ACCEPT_7_1, Buffer.from('wrong')), false);
});

test('RFC 2865 7.2 and 7.3: the CHAP request and the Access-Challenge decode', () => {
  const chap = decoded(CHAP_REQUEST_7_2);
  assert.equal(chap.text('User-Name'), 'flopsy');
  const chapPassword = chap.get('CHAP-Password') as Buffer;
  assert.equal(chapPassword.length, 17);
  assert.equal(chapPassword[0], 0x16);
  assert.equal(chap.get('NAS-IP-Address'), '192.168.1.16');
  assert.equal(chap.integer('NAS-Port'), 20);
  assert.equal(chap.integer('Service-Type'), 2);
  assert.equal(chap.integer('Framed-Protocol'), 1);

  const challenge = decoded(ACCESS_CHALLENGE_7_3);
  assert.equal(challenge.codeName, 'Access-Challenge');
  assert.equal(challenge.text('Reply-Message'), 'Challenge 32769430.  Enter response at prompt.');
  assert.deepEqual(challenge.get('State'), Buffer.from('32769430'));
});
