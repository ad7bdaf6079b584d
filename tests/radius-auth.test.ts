import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  authenticatorResponse,
  chapResponse,
  digestResponse,
  eapIdentityOf,
  generateNtResponse,
  parseEap,
} from '@utm5/radiusd';
import { createCore } from './helpers/core-instance';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';

const SECRET = 'another-long-secret';

function eap(code: number, id: number, type: number, data: Buffer): Buffer {
  const b = Buffer.alloc(5 + data.length);
  b[0] = code;
  b[1] = id;
  b.writeUInt16BE(b.length, 2);
  b[4] = type;
  data.copy(b, 5);
  return b;
}

test(
  'utm5_radius: MS-CHAP v2 with MS-CHAP2-Success and MPPE keys, EAP-MD5 over Access-Challenge and State, Digest',
  { timeout: 120_000 },
  async () => {
    const core = await createCore();
    await core.stop();
    await setUpRadius(core, SECRET, [{ login: 'mike', password: 'Pa55-word', kind: 'dialup' }]);
    await core.start();
    const rad = await createRadius(core, { radius_auth_mppe: 'enable' });
    try {
      await rad.until("the core's data", (s) => s.connected && s.logins === 1);
      // MS-CHAP v2 (RFC 2759) as a NAS relays it.
      const challenge = randomBytes(16);
      const peer = randomBytes(16);
      const nt = generateNtResponse(challenge, peer, 'mike', 'Pa55-word');
      const response = Buffer.concat([Buffer.from([7, 0]), peer, Buffer.alloc(8), nt]);
      let a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'mike' },
        { name: 'MS-CHAP-Challenge', value: challenge },
        { name: 'MS-CHAP2-Response', value: response },
      ]);
      assert.equal(a?.codeName, 'Access-Accept');
      const success = a!.get('MS-CHAP2-Success') as Buffer;
      assert.equal(
        success.toString('ascii', 1),
        authenticatorResponse('Pa55-word', nt, peer, challenge, 'mike'),
        'the peer can check us',
      );
      assert.equal((a!.get('MS-MPPE-Send-Key') as Buffer).length, 16, 'radius_auth_mppe: 128-bit keys');
      assert.equal((a!.get('MS-MPPE-Recv-Key') as Buffer).length, 16);
      const badNt = generateNtResponse(challenge, peer, 'mike', 'wrong');
      a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'mike' },
        { name: 'MS-CHAP-Challenge', value: challenge },
        { name: 'MS-CHAP2-Response', value: Buffer.concat([Buffer.from([8, 0]), peer, Buffer.alloc(8), badNt]) },
      ]);
      assert.equal(a?.codeName, 'Access-Reject');
      const err = a!.get('MS-CHAP-Error');
      assert.match(Buffer.isBuffer(err) ? err.toString('ascii', 1) : String(err).slice(1), /^E=691/);

      // EAP-MD5: identity, then our challenge with a State, then the answer.
      a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'mike' },
        { name: 'EAP-Message', value: eap(2, 1, 1, Buffer.from('mike')) },
      ]);
      assert.equal(a?.codeName, 'Access-Challenge');
      const req = parseEap(a!.get('EAP-Message') as Buffer);
      assert.ok(req.ok && req.eap.type === 4 && eapIdentityOf(req.eap) === undefined);
      const md5Challenge = (req as { eap: { data: Buffer; identifier: number } }).eap.data.subarray(1, 17);
      const id = (req as { eap: { identifier: number } }).eap.identifier;
      const state = a!.get('State') as Buffer;
      const answer = chapResponse(id, 'Pa55-word', md5Challenge);
      a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'mike' },
        { name: 'State', value: state },
        { name: 'EAP-Message', value: eap(2, id, 4, Buffer.concat([Buffer.from([16]), answer])) },
      ]);
      assert.equal(a?.codeName, 'Access-Accept');
      assert.equal((a!.get('EAP-Message') as Buffer)[0], 3, 'EAP-Success');
      // The same State cannot be used twice.
      a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'mike' },
        { name: 'State', value: state },
        { name: 'EAP-Message', value: eap(2, id, 4, Buffer.concat([Buffer.from([16]), answer])) },
      ]);
      assert.equal(a?.codeName, 'Access-Reject');

      // Digest (RFC 5090 attributes).
      const dig = {
        userName: 'mike',
        realm: 'voip.example',
        nonce: 'abc123',
        method: 'INVITE',
        uri: 'sip:100@voip.example',
      };
      a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'mike' },
        { name: 'Digest-Response', value: digestResponse(dig, 'Pa55-word') },
        { name: 'Digest-Realm', value: dig.realm },
        { name: 'Digest-Nonce', value: dig.nonce },
        { name: 'Digest-Method', value: dig.method },
        { name: 'Digest-URI', value: dig.uri },
      ]);
      assert.equal(a?.codeName, 'Access-Accept');
      a = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'mike' },
        { name: 'Digest-Response', value: digestResponse(dig, 'nope') },
        { name: 'Digest-Realm', value: dig.realm },
        { name: 'Digest-Nonce', value: dig.nonce },
        { name: 'Digest-Method', value: dig.method },
        { name: 'Digest-URI', value: dig.uri },
      ]);
      assert.equal(a?.codeName, 'Access-Reject');
    } finally {
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
