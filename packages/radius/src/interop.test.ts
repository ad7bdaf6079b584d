import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePacket,
  encodeRequest,
  encodeResponse,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponse,
  type RadiusPacket,
} from './index';

/**
 * Interoperability with the `radius` npm package (a second, independent implementation): what it encodes we decode
 * and verify, and what we encode it decodes and verifies (it throws on a bad authenticator or Message-Authenticator).
 */

type RadiusAttrs = unknown[][];
interface RadiusLib {
  encode(args: {
    code: string;
    secret: string;
    identifier?: number;
    attributes: RadiusAttrs;
    add_message_authenticator?: boolean;
  }): Buffer;
  encode_response(args: { packet: unknown; code: string; secret: string; attributes?: RadiusAttrs }): Buffer;
  decode(args: { packet: Buffer; secret: string }): {
    code: string;
    identifier: number;
    attributes: Record<string, unknown>;
  };
  verify_response(args: { request: Buffer; response: Buffer; secret: string }): boolean;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const radius = require('radius') as RadiusLib;

const SECRET = 'interop-secret';

function ours(buf: Buffer, requestAuthenticator?: Buffer): RadiusPacket {
  const r = decodePacket(buf, Buffer.from(SECRET), requestAuthenticator ? { requestAuthenticator } : {});
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.packet;
}

test('an Access-Request from `radius` decodes with ours, password included; our answer verifies in `radius`', () => {
  const request = radius.encode({
    code: 'Access-Request',
    secret: SECRET,
    identifier: 42,
    add_message_authenticator: true,
    attributes: [
      ['User-Name', 'alice'],
      ['User-Password', 'correct horse battery staple'],
      ['NAS-IP-Address', '192.0.2.7'],
      ['NAS-Port-Type', 'Ethernet'],
      ['Vendor-Specific', 9, [[1, Buffer.from('ip:addr-pool=main')]]],
    ],
  });
  const p = ours(request);
  assert.equal(p.identifier, 42);
  assert.equal(p.text('User-Name'), 'alice');
  assert.equal(p.text('User-Password'), 'correct horse battery staple');
  assert.equal(p.get('NAS-IP-Address'), '192.0.2.7');
  assert.equal(p.integer('NAS-Port-Type'), 15);
  assert.equal(p.text('Cisco-AVPair'), 'ip:addr-pool=main');
  assert.equal(verifyMessageAuthenticator(request, SECRET), true);

  const accept = encodeResponse(
    p,
    'Access-Accept',
    [
      { name: 'Framed-IP-Address', value: '10.20.30.40' },
      { name: 'Session-Timeout', value: 3600 },
      { name: 'Reply-Message', value: 'welcome' },
    ],
    SECRET,
  );
  assert.equal(radius.verify_response({ request, response: accept, secret: SECRET }), true);
  const back = radius.decode({ packet: accept, secret: SECRET });
  assert.equal(back.code, 'Access-Accept');
  assert.equal(back.attributes['Framed-IP-Address'], '10.20.30.40');
  assert.equal(back.attributes['Session-Timeout'], 3600);
  assert.equal(back.attributes['Reply-Message'], 'welcome');
});

test('an Access-Request of ours decodes in `radius`, Message-Authenticator and password checked there', () => {
  const request = encodeRequest(
    'Access-Request',
    [
      { name: 'User-Name', value: 'bob' },
      { name: 'User-Password', value: 'p4ss' },
      { name: 'Service-Type', value: 'Framed-User' },
      { name: 'Calling-Station-Id', value: '00:11:22:33:44:55' },
    ],
    SECRET,
    { messageAuthenticator: true },
  );
  const p = radius.decode({ packet: request, secret: SECRET });
  assert.equal(p.code, 'Access-Request');
  assert.equal(p.attributes['User-Name'], 'bob');
  assert.equal(p.attributes['User-Password'], 'p4ss');
  assert.equal(p.attributes['Service-Type'], 'Framed-User');
  assert.equal(p.attributes['Calling-Station-Id'], '00:11:22:33:44:55');

  // `radius` answers it (copying the Message-Authenticator rule): our client-side check accepts the answer.
  const reject = radius.encode_response({
    packet: p,
    code: 'Access-Reject',
    secret: SECRET,
    attributes: [['Reply-Message', 'no']],
  });
  assert.equal(verifyResponse(request, reject, SECRET, { requireMessageAuthenticator: true }), true);
  assert.equal(ours(reject).text('Reply-Message'), 'no');
});

test('accounting and CoA requests: the hashed authenticator agrees both ways', () => {
  const theirs = radius.encode({
    code: 'Accounting-Request',
    secret: SECRET,
    attributes: [
      ['Acct-Status-Type', 'Start'],
      ['Acct-Session-Id', 'sess-1'],
      ['User-Name', 'carol'],
    ],
  });
  assert.equal(verifyRequestAuthenticator(theirs, SECRET), true);
  const p = ours(theirs);
  assert.equal(p.integer('Acct-Status-Type'), 1);
  assert.equal(p.text('Acct-Session-Id'), 'sess-1');
  const response = encodeResponse(p, 'Accounting-Response', [], SECRET);
  assert.equal(radius.verify_response({ request: theirs, response, secret: SECRET }), true);

  for (const code of ['Accounting-Request', 'CoA-Request', 'Disconnect-Request'] as const) {
    const mine = encodeRequest(
      code,
      [
        { name: 'Acct-Session-Id', value: 'sess-2' },
        { name: 'Session-Timeout', value: 60 },
      ],
      SECRET,
    );
    const decoded = radius.decode({ packet: mine, secret: SECRET }); // throws on an authenticator mismatch
    assert.equal(decoded.code, code);
    assert.equal(decoded.attributes['Acct-Session-Id'], 'sess-2');
    const ack = radius.encode_response({
      packet: decoded,
      code:
        code === 'Accounting-Request' ? 'Accounting-Response' : code === 'CoA-Request' ? 'CoA-ACK' : 'Disconnect-ACK',
      secret: SECRET,
    });
    assert.equal(verifyResponse(mine, ack, SECRET), true, code);
  }
});
