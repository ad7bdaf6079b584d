import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DICTIONARY,
  RadiusEncodeError,
  decodePacket,
  encodeRequest,
  encodeResponse,
  messageAuthenticatorOffset,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponse,
  type AttributeInput,
  type RadiusPacket,
} from './index';

const SECRET = Buffer.from('testing123');
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** A fixed "random" source, so salts and authenticators are reproducible. */
const fixed = (size: number): Buffer => Buffer.alloc(size, 0x5a);

function decoded(buf: Buffer, secret: Buffer | undefined = SECRET, requestAuthenticator?: Buffer): RadiusPacket {
  const r = decodePacket(buf, secret, requestAuthenticator ? { requestAuthenticator } : {});
  assert.ok(r.ok, r.ok ? '' : `${r.reason}: ${r.message}`);
  return r.packet;
}

function accessRequest(attrs: AttributeInput[], options = {}): RadiusPacket {
  return decoded(encodeRequest('Access-Request', attrs, SECRET, { identifier: 7, ...options }));
}

test('every data type round-trips through encode and decode', () => {
  const p = accessRequest([
    { name: 'User-Name', value: 'José' },
    { name: 'NAS-IP-Address', value: '10.0.0.1' },
    { name: 'NAS-Port', value: 4294967295 },
    { name: 'Event-Timestamp', value: 1_049_155_200 },
    { name: 'Class', value: Buffer.from([0, 1, 2, 255]) },
    { name: 'NAS-IPv6-Address', value: '2001:db8::1' },
    { name: 'Framed-IPv6-Prefix', value: '2001:db8:1:2::/64' },
    { name: 'Framed-Interface-Id', value: '0011:2233:4455:6677' },
    { name: 'Service-Type', value: 'Framed-User' },
    { name: 'NAS-Port-Type', value: '15' },
  ]);
  assert.deepEqual(
    p.attributes.map((a) => [a.name, a.dataType, a.value]),
    [
      ['User-Name', 'text', 'José'],
      ['NAS-IP-Address', 'ipaddr', '10.0.0.1'],
      ['NAS-Port', 'integer', 4294967295],
      ['Event-Timestamp', 'date', 1_049_155_200],
      ['Class', 'octets', Buffer.from([0, 1, 2, 255])],
      ['NAS-IPv6-Address', 'ipv6addr', '2001:db8::1'],
      ['Framed-IPv6-Prefix', 'ipv6prefix', '2001:db8:1:2::/64'],
      ['Framed-Interface-Id', 'ifid', '0011:2233:4455:6677'],
      ['Service-Type', 'integer', 2],
      ['NAS-Port-Type', 'integer', 15],
    ],
  );
});

test('lookups: by name case-insensitively, by alias, all values in order, typed helpers', () => {
  const p = accessRequest([
    { name: 'Cisco-AVPair', value: 'ip:addr-pool=main' },
    { name: 'cisco-avpair', value: 'subscriber:accounting-list=x' },
    { name: 'MS-MPPE-Encryption-Type', value: 'RC4-40or128-bit-Allowed' },
  ]);
  assert.deepEqual(p.getAll('Cisco-AVPair'), ['ip:addr-pool=main', 'subscriber:accounting-list=x']);
  assert.equal(p.get('MS-MPPE-Encryption-Types'), 6);
  assert.equal(p.integer('ms-mppe-encryption-type'), 6);
  assert.equal(p.text('Cisco-AVPair'), 'ip:addr-pool=main');
  assert.equal(p.integer('Cisco-AVPair'), undefined);
  assert.equal(p.get('User-Name'), undefined);
  assert.equal(p.has('Cisco-AVPair'), true);
});

test('vendor attributes: Cisco, Microsoft and MikroTik by name, each in its own Vendor-Specific', () => {
  const buf = encodeRequest(
    'Access-Request',
    [
      { name: 'Cisco-AVPair', value: 'a=b' },
      { name: 'h323-conf-id', value: '1A2B' },
      { name: 'MS-CHAP-Challenge', value: Buffer.alloc(16, 1) },
      { name: 'Mikrotik-Rate-Limit', value: '1M/2M' },
    ],
    SECRET,
    { identifier: 1, authenticator: Buffer.alloc(16) },
  );
  // Cisco-AVPair: type 26, length 11, vendor 9, vendor type 1, vendor length 5, "a=b".
  assert.deepEqual(buf.subarray(20, 31), hex('1a 0b 00000009 01 05 613d62'));
  const p = decoded(buf);
  assert.deepEqual(
    p.attributes.map((a) => [a.vendor, a.type, a.name]),
    [
      [9, 1, 'Cisco-AVPair'],
      [9, 24, 'h323-conf-id'],
      [311, 11, 'MS-CHAP-Challenge'],
      [14988, 8, 'Mikrotik-Rate-Limit'],
    ],
  );
  assert.equal(p.get('Mikrotik-Rate-Limit'), '1M/2M');
});

test('a Vendor-Specific holding several sub-attributes is split in order', () => {
  const vsa = hex('1a 11 00000009 01 05 613d62 01 06 633d6464');
  const header = Buffer.from([1, 3, 0, 20 + vsa.length]);
  const p = decoded(Buffer.concat([header, Buffer.alloc(16), vsa]));
  assert.deepEqual(p.getAll('Cisco-AVPair'), ['a=b', 'c=dd']);
});

test('unknown attributes and vendors are kept raw under "Attr-" names and re-encode to the same bytes', () => {
  const attrs = hex('c8 05 010203' + '1a 0b 0000fffe 07 05 414243' + '1a 08 00000009 0105');
  const buf = Buffer.concat([Buffer.from([1, 9, 0, 20 + attrs.length]), Buffer.alloc(16), attrs]);
  const p = decoded(buf);
  assert.deepEqual(
    p.attributes.map((a) => [a.vendor, a.type, a.name, a.dataType, a.value]),
    [
      [0, 200, 'Attr-200', 'octets', hex('010203')],
      [65534, 7, 'Attr-26.65534.7', 'octets', Buffer.from('ABC')],
      // A VSA whose inner length is wrong stays one raw Vendor-Specific.
      [0, 26, 'Vendor-Specific', 'vsa', hex('00000009 0105')],
    ],
  );
  assert.deepEqual(p.get('Attr-26.65534.7'), Buffer.from('ABC'));
  const again = encodeRequest(
    'Access-Request',
    p.attributes.map((a) => ({ type: a.type, vendor: a.vendor, value: a.value })),
    SECRET,
    { identifier: 9, authenticator: Buffer.alloc(16) },
  );
  assert.deepEqual(again, buf);
  // Numbers and strings for unknown attributes: 4-byte integers and UTF-8.
  const q = accessRequest([
    { type: 201, value: 5 },
    { type: 9, vendor: 2011, value: 'x' },
  ]);
  assert.deepEqual(
    q.attributes.map((a) => a.raw),
    [hex('00000005'), Buffer.from('x')],
  );
});

test('a value whose length does not fit its type is kept raw and flagged, not misread', () => {
  const attrs = hex('05 05 000003' + '04 06 0a000001');
  const p = decoded(Buffer.concat([Buffer.from([1, 1, 0, 20 + attrs.length]), Buffer.alloc(16), attrs]));
  assert.equal(p.get('NAS-Port'), undefined);
  assert.equal(p.attributes[0]!.name, 'Attr-5');
  assert.equal(p.attributes[0]!.malformed, true);
  assert.equal(p.get('NAS-IP-Address'), '10.0.0.1');
});

test('tagged attributes (RFC 2868): integers always carry the tag, text only when asked or needed', () => {
  const p = accessRequest([
    { name: 'Tunnel-Type', value: 'L2TP', tag: 1 },
    { name: 'Tunnel-Medium-Type', value: 'IPv4' },
    { name: 'Tunnel-Server-Endpoint', value: '10.1.1.1', tag: 2 },
    { name: 'Tunnel-Private-Group-Id', value: 'vlan10' },
    { name: 'Tunnel-Assignment-Id', value: '\u0001odd' },
  ]);
  assert.deepEqual(
    p.attributes.map((a) => [a.name, a.tag, a.value, a.raw.toString('hex')]),
    [
      ['Tunnel-Type', 1, 3, '01000003'],
      ['Tunnel-Medium-Type', 0, 1, '00000001'],
      ['Tunnel-Server-Endpoint', 2, '10.1.1.1', '02' + Buffer.from('10.1.1.1').toString('hex')],
      ['Tunnel-Private-Group-Id', undefined, 'vlan10', Buffer.from('vlan10').toString('hex')],
      // A value starting with a byte <= 0x1F would read as a tag, so it goes out behind tag 0.
      ['Tunnel-Assignment-Id', 0, '\u0001odd', '00016f6464'],
    ],
  );
  assert.throws(() => accessRequest([{ name: 'Tunnel-Type', value: 0x1000000 }]), RadiusEncodeError);
  assert.throws(() => accessRequest([{ name: 'User-Name', value: 'x', tag: 1 }]), /tag 1/);
});

test('Tunnel-Password and MS-MPPE keys are salt-hidden in a response and revealed with the request authenticator', () => {
  const request = accessRequest([{ name: 'User-Name', value: 'u' }]);
  const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const buf = encodeResponse(
    request,
    'Access-Accept',
    [
      { name: 'Tunnel-Password', value: 'secret-tunnel', tag: 3 },
      { name: 'MS-MPPE-Send-Key', value: key },
      { name: 'MS-MPPE-Recv-Key', value: key },
    ],
    SECRET,
    { random: fixed },
  );
  const [tp, send, recv] = decoded(buf, SECRET, request.authenticator).attributes;
  assert.deepEqual([tp!.name, tp!.tag, tp!.value], ['Tunnel-Password', 3, 'secret-tunnel']);
  // Tag, then the salt with its high bit set, then one 16-byte block (length byte + 13 bytes + padding).
  assert.equal(tp!.raw.length, 1 + 2 + 16);
  assert.equal(tp!.raw[1]! & 0x80, 0x80);
  assert.deepEqual(send!.value, key);
  assert.deepEqual(recv!.value, key);
  assert.equal(send!.raw.length, 2 + 32);
  assert.notDeepEqual(send!.raw.subarray(2), key);
  // Without the request authenticator a response's hidden values stay hidden.
  assert.equal(decoded(buf, SECRET).find('MS-MPPE-Send-Key')?.hidden, true);
  // And they cannot be hidden in an Accounting-Request, whose authenticator is a hash of the packet.
  assert.throws(
    () => encodeRequest('Accounting-Request', [{ name: 'Tunnel-Password', value: 'x' }], SECRET),
    /cannot be hidden/,
  );
});

test('User-Password: 16..128 bytes, NUL padding stripped; a wrong secret gives a wrong password, not a failure', () => {
  for (const pw of ['a', 'exactly16bytes!!', 'x'.repeat(128)]) {
    const p = accessRequest([{ name: 'User-Password', value: pw }]);
    assert.equal(decoded(p.raw).get('User-Password'), pw);
    assert.notEqual(decoded(p.raw, Buffer.from('other')).get('User-Password'), pw);
  }
  assert.throws(() => accessRequest([{ name: 'User-Password', value: 'x'.repeat(129) }]), /128/);
  // A hidden password of 17 bytes cannot be unhidden: kept raw.
  const attrs = Buffer.concat([Buffer.from([2, 19]), Buffer.alloc(17)]);
  const p = decoded(Buffer.concat([Buffer.from([1, 0, 0, 20 + attrs.length]), Buffer.alloc(16), attrs]));
  assert.equal(p.get('User-Password'), undefined);
  assert.equal(p.attributes[0]!.malformed, true);
});

test('EAP-Message over 253 bytes is split into consecutive attributes (RFC 3579 3.1) and gets a Message-Authenticator', () => {
  const eap = Buffer.alloc(600, 7);
  const buf = encodeRequest('Access-Request', [{ name: 'EAP-Message', value: eap }], SECRET);
  const p = decoded(buf);
  assert.deepEqual(
    p.attributes.map((a) => [a.name, a.raw.length]),
    [
      ['Message-Authenticator', 16],
      ['EAP-Message', 253],
      ['EAP-Message', 253],
      ['EAP-Message', 94],
    ],
  );
  assert.deepEqual(Buffer.concat(p.getAll('EAP-Message') as Buffer[]), eap);
  assert.equal(verifyMessageAuthenticator(buf, SECRET), true);
});

test('responses copy Proxy-State in order and add a Message-Authenticator when the request had one', () => {
  const req = accessRequest(
    [
      { name: 'User-Name', value: 'u' },
      { name: 'Proxy-State', value: Buffer.from('one') },
      { name: 'Proxy-State', value: Buffer.from('two') },
    ],
    { messageAuthenticator: true },
  );
  assert.equal(verifyMessageAuthenticator(req, SECRET), true);
  const buf = encodeResponse(req, 'Access-Reject', [{ name: 'Reply-Message', value: 'no' }], SECRET);
  const res = decoded(buf);
  assert.equal(res.identifier, 7);
  assert.deepEqual(
    res.attributes.map((a) => a.name),
    ['Message-Authenticator', 'Reply-Message', 'Proxy-State', 'Proxy-State'],
  );
  assert.deepEqual(res.getAll('Proxy-State'), [Buffer.from('one'), Buffer.from('two')]);
  assert.equal(verifyMessageAuthenticator(buf, SECRET, req.authenticator), true);
  assert.equal(verifyMessageAuthenticator(buf, SECRET), false); // a response needs its request's authenticator
  assert.equal(verifyResponse(req.raw, buf, SECRET, { requireMessageAuthenticator: true }), true);
  // One flipped bit anywhere after the header breaks both checks.
  const bad = Buffer.from(buf);
  bad[bad.length - 1]! ^= 1;
  assert.equal(verifyResponse(req.raw, bad, SECRET), false);
  assert.equal(verifyMessageAuthenticator(bad, SECRET, req.authenticator), false);
  // Asked for explicitly, a response gets one even when the request had none; never asked, none.
  const plain = accessRequest([{ name: 'User-Name', value: 'u' }]);
  const withMa = encodeResponse(plain, 'Access-Accept', [], SECRET, { messageAuthenticator: true });
  assert.equal(messageAuthenticatorOffset(withMa), 22);
  assert.equal(messageAuthenticatorOffset(encodeResponse(plain, 'Access-Accept', [], SECRET)), -1);
  assert.equal(
    verifyResponse(plain.raw, encodeResponse(plain, 'Access-Accept', [], SECRET), SECRET, {
      requireMessageAuthenticator: true,
    }),
    false,
  );
});

test('Accounting, Disconnect and CoA requests carry the hashed authenticator (RFC 2866, RFC 5176) and verify', () => {
  for (const code of ['Accounting-Request', 'Disconnect-Request', 'CoA-Request'] as const) {
    const buf = encodeRequest(
      code,
      [
        { name: 'Acct-Session-Id', value: 's1' },
        { name: 'User-Name', value: 'u' },
      ],
      SECRET,
      {
        messageAuthenticator: code !== 'Accounting-Request',
      },
    );
    assert.equal(verifyRequestAuthenticator(buf, SECRET), true, code);
    assert.equal(verifyRequestAuthenticator(buf, Buffer.from('nope')), false, code);
    const p = decoded(buf);
    if (code !== 'Accounting-Request') assert.equal(verifyMessageAuthenticator(p, SECRET), true, code);
    const ack =
      code === 'Accounting-Request' ? 'Accounting-Response' : code === 'CoA-Request' ? 'CoA-ACK' : 'Disconnect-NAK';
    const answer = encodeResponse(
      p,
      ack,
      code === 'Disconnect-Request' ? [{ name: 'Error-Cause', value: 'Session-Context-Not-Found' }] : [],
      SECRET,
    );
    assert.equal(verifyResponse(buf, answer, SECRET), true, code);
    const back = decoded(answer);
    assert.equal(back.codeName, ack);
    if (code === 'Disconnect-Request') assert.equal(back.get('Error-Cause'), 503);
  }
  // An Access-Request has a random authenticator: nothing to verify that way.
  assert.equal(verifyRequestAuthenticator(accessRequest([]).raw, SECRET), false);
});

test('Status-Server gets a Message-Authenticator by default (RFC 5997)', () => {
  const buf = encodeRequest('Status-Server', [{ name: 'NAS-Identifier', value: 'probe' }], SECRET);
  assert.equal(verifyMessageAuthenticator(buf, SECRET), true);
});

test('the decoder refuses what is not a RADIUS packet, with a reason and an offset', () => {
  const ok = encodeRequest('Access-Request', [{ name: 'User-Name', value: 'u' }], SECRET);
  const cases: [Buffer, string, number][] = [
    [Buffer.alloc(0), 'short', 0],
    [ok.subarray(0, 19), 'short', 0],
    [Buffer.concat([Buffer.from([99]), ok.subarray(1)]), 'code', 0],
    [Buffer.concat([ok.subarray(0, 2), Buffer.from([0, 19]), ok.subarray(4)]), 'length', 2],
    [Buffer.concat([ok.subarray(0, 2), Buffer.from([0x10, 0x01]), ok.subarray(4)]), 'length', 2],
    [ok.subarray(0, ok.length - 1), 'length', 2],
    [Buffer.concat([ok.subarray(0, 3), Buffer.from([21]), ok.subarray(4, 21)]), 'attribute', 20],
    [Buffer.concat([ok.subarray(0, 3), Buffer.from([22]), ok.subarray(4, 20), Buffer.from([1, 1])]), 'attribute', 20],
    [Buffer.concat([ok.subarray(0, 3), Buffer.from([22]), ok.subarray(4, 20), Buffer.from([1, 3])]), 'attribute', 20],
  ];
  for (const [buf, reason, offset] of cases) {
    const r = decodePacket(buf);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.reason, reason, r.message);
      assert.equal(r.offset, offset, r.message);
      assert.ok(r.message.length > 10);
    }
  }
  // Bytes past Length are padding (RFC 2865 3) and ignored.
  const padded = decoded(Buffer.concat([ok, Buffer.alloc(30, 0xee)]));
  assert.equal(padded.raw.length, ok.length);
  assert.equal(padded.text('User-Name'), 'u');
  // Not a Buffer at all: refused, not thrown.
  assert.equal(decodePacket('nope' as unknown as Buffer).ok, false);
});

test('the encoder refuses what RADIUS cannot carry', () => {
  const req = accessRequest([]);
  assert.throws(
    () => encodeRequest('Access-Request', [{ name: 'No-Such-Attribute', value: 1 }], SECRET),
    /unknown attribute name/,
  );
  assert.throws(() => encodeRequest('Access-Request', [{ name: 'NAS-Port', value: -1 }], SECRET), /out of the 32-bit/);
  assert.throws(
    () => encodeRequest('Access-Request', [{ name: 'Service-Type', value: 'Nope' }], SECRET),
    /named value/,
  );
  assert.throws(
    () => encodeRequest('Access-Request', [{ name: 'NAS-IP-Address', value: '10.0.0.256' }], SECRET),
    /IPv4/,
  );
  assert.throws(
    () => encodeRequest('Access-Request', [{ name: 'Reply-Message', value: 'x'.repeat(254) }], SECRET),
    /253/,
  );
  assert.throws(
    () => encodeRequest('Access-Request', [{ name: 'Cisco-AVPair', value: 'x'.repeat(248) }], SECRET),
    /247/,
  );
  const many = Array.from({ length: 20 }, () => ({ name: 'Reply-Message', value: 'x'.repeat(250) }));
  assert.throws(() => encodeResponse(req, 'Access-Accept', many, SECRET), /4096/);
  assert.throws(() => encodeRequest('Access-Accept', [], SECRET), /not a request/);
  assert.throws(() => encodeResponse(req, 'Access-Request', [], SECRET), /is a request/);
  assert.throws(() => encodeRequest(77, [], SECRET), /unknown packet code/);
  assert.throws(() => encodeRequest('Accounting-Request', [], SECRET, { authenticator: Buffer.alloc(16) }), /computed/);
});

test('the default dictionary declares every name once and knows the three vendors', () => {
  const defs = DEFAULT_DICTIONARY.definitions();
  assert.ok(defs.length > 250);
  assert.equal(DEFAULT_DICTIONARY.vendorName(9), 'Cisco');
  assert.equal(DEFAULT_DICTIONARY.vendorId('microsoft'), 311);
  assert.equal(DEFAULT_DICTIONARY.vendorId('Mikrotik'), 14988);
  assert.equal(DEFAULT_DICTIONARY.named('Acct-Status-Type')?.values.get('Interim-Update'), 3);
  assert.equal(DEFAULT_DICTIONARY.attribute(0, 40)?.valueNames.get(2), 'Stop');
});
