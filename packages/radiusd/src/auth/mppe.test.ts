import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodePacket, encodeRequest, encodeResponse } from '@utm5/radius';
import { ntPasswordHash, ntPasswordHashHash } from './ms-chap';
import { mppeAsymmetricStartKey, mppeAttributes, mppeKeysFromMsChapV2, mppeMasterKey } from './mppe';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const NT_RESPONSE = h('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF');

test('MPPE keys: RFC 3079 3.5.3 (MasterKey, SendStartKey128) and the 40-bit prefix of 3.5.1', () => {
  const master = mppeMasterKey(ntPasswordHashHash(ntPasswordHash('clientPass')), NT_RESPONSE);
  assert.equal(master.toString('hex').toUpperCase(), 'FDECE3717A8C838CB388E527AE3CDD31');
  // The RFC computes the server's send key; the client's receive key is the same.
  const serverSend = mppeAsymmetricStartKey(master, 16, true, true);
  assert.equal(serverSend.toString('hex').toUpperCase(), '8B7CDC149B993A1BA118CB153F56DCCB');
  assert.deepEqual(mppeAsymmetricStartKey(master, 16, false, false), serverSend);
  assert.equal(mppeAsymmetricStartKey(master, 8, true, true).toString('hex').toUpperCase(), '8B7CDC149B993A1B');
  const keys = mppeKeysFromMsChapV2('clientPass', NT_RESPONSE);
  assert.deepEqual(keys.sendKey, serverSend);
  assert.deepEqual(keys.recvKey, mppeAsymmetricStartKey(master, 16, false, true));
  assert.notDeepEqual(keys.recvKey, keys.sendKey);
});

/** RFC 2548 2.4.2 decryption written out step by step here, apart from the codec's implementation. */
function rfc2548Decrypt(field: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  const salt = field.subarray(0, 2);
  const c = field.subarray(2);
  const p = Buffer.alloc(c.length);
  let b = createHash('md5')
    .update(Buffer.concat([secret, requestAuthenticator, salt]))
    .digest();
  for (let i = 0; i < c.length; i += 16) {
    for (let j = 0; j < 16; j++) p[i + j] = c[i + j]! ^ b[j]!;
    b = createHash('md5')
      .update(Buffer.concat([secret, c.subarray(i, i + 16)]))
      .digest();
  }
  return p.subarray(1, 1 + p[0]!);
}

test('MS-MPPE-Send-Key/Recv-Key in an Access-Accept: salted as RFC 2548 2.4.2 says, and decodable', () => {
  const secret = Buffer.from('mppe-secret');
  const request = decodePacket(encodeRequest('Access-Request', [{ name: 'User-Name', value: 'User' }], secret), secret);
  assert.ok(request.ok);
  const keys = mppeKeysFromMsChapV2('clientPass', NT_RESPONSE);
  const accept = encodeResponse(request.packet, 'Access-Accept', mppeAttributes(keys, 'Encryption-Required'), secret);
  const back = decodePacket(accept, secret, { requestAuthenticator: request.packet.authenticator });
  assert.ok(back.ok);
  const p = back.packet;
  assert.equal(p.get('MS-MPPE-Encryption-Policy'), 2);
  assert.equal(p.get('MS-MPPE-Encryption-Types'), 6);
  assert.deepEqual(p.get('MS-MPPE-Send-Key'), keys.sendKey);
  assert.deepEqual(p.get('MS-MPPE-Recv-Key'), keys.recvKey);
  for (const name of ['MS-MPPE-Send-Key', 'MS-MPPE-Recv-Key']) {
    const raw = p.octets(name)!;
    assert.equal(raw.length, 2 + 32); // salt, then length byte + 16-byte key padded to two blocks
    assert.equal(raw[0]! & 0x80, 0x80);
    assert.deepEqual(
      rfc2548Decrypt(raw, secret, request.packet.authenticator),
      name.includes('Send') ? keys.sendKey : keys.recvKey,
    );
  }
  // The two salts differ, so equal keys would still not show equal bytes.
  assert.notDeepEqual(p.octets('MS-MPPE-Send-Key')!.subarray(0, 2), p.octets('MS-MPPE-Recv-Key')!.subarray(0, 2));
});
