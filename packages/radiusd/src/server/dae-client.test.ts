import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { nullLogger } from '@utm5/common';
import type { NasWire } from '@utm5/protocol';
import { decodePacket, encodeResponse, verifyRequestAuthenticator } from '@utm5/radius';
import { DaeClient, encodeDaeRequest } from './dae-client';
import type { OpenSession } from './sessions';

const SECRET = 'coa-secret';
const session: OpenSession = {
  key: '192.0.2.1|sess-1',
  login: 'alice',
  slinkId: 5,
  accountId: 1,
  userId: 1,
  dealerId: 0,
  serviceId: 2,
  framedIp: '10.0.0.5',
  startedAt: 0,
  lastSeen: 0,
};

/** A test-only builder: one attribute as RFC 2865 5 lays it out, and a vendor one inside Vendor-Specific (26). */
const attr = (type: number, value: Buffer) => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
const vsa = (vendor: number, type: number, value: Buffer) => {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(vendor);
  return attr(26, Buffer.concat([id, attr(type, value)]));
};

test('CoA-Request: code 43, the session identification then the new attributes, Request Authenticator = MD5(header, 16 zeros, attributes, secret) (RFC 5176 3)', () => {
  const got = encodeDaeRequest(
    'CoA-Request',
    session,
    [
      { type: 8, vendor: 14988, value: '512k/1024k' }, // Mikrotik-Rate-Limit
      { type: 1, vendor: 9, value: 'sub-qos-policy-in=IN_512' }, // Cisco-AVPair
      { type: 85, value: 600 }, // Acct-Interim-Interval, an integer
    ],
    SECRET,
    7,
  );
  const attrs = Buffer.concat([
    attr(1, Buffer.from('alice')),
    attr(44, Buffer.from('sess-1')),
    attr(8, Buffer.from([10, 0, 0, 5])),
    vsa(14988, 8, Buffer.from('512k/1024k')),
    vsa(9, 1, Buffer.from('sub-qos-policy-in=IN_512')),
    attr(85, Buffer.from([0, 0, 2, 88])),
  ]);
  const header = Buffer.from([43, 7, 0, 0]);
  header.writeUInt16BE(20 + attrs.length, 2);
  const authenticator = createHash('md5')
    .update(Buffer.concat([header, Buffer.alloc(16), attrs, Buffer.from(SECRET)]))
    .digest();
  assert.deepEqual(got, Buffer.concat([header, authenticator, attrs]));
  assert.ok(verifyRequestAuthenticator(got, SECRET));
  assert.ok(!verifyRequestAuthenticator(got, 'other-secret'));
});

test('Disconnect-Request: code 40, the identification only; no Framed-IP-Address when the session has none', () => {
  const d = decodePacket(encodeDaeRequest('Disconnect-Request', { ...session, framedIp: '' }, [], SECRET, 200), SECRET);
  assert.ok(d.ok);
  assert.deepEqual(
    [d.packet.code, d.packet.identifier, d.packet.attributes.map((a) => a.name)],
    [40, 200, ['User-Name', 'Acct-Session-Id']],
  );
});

test('DaeClient: CoA-ACK, CoA-NAK with its Error-Cause and silence, counted; each request its own identifier; the DAE secret signs', async () => {
  const nasSock = createSocket('udp4');
  const seen: number[] = [];
  nasSock.on('message', (m, r) => {
    const d = decodePacket(m, 'dae-secret');
    if (!d.ok || !verifyRequestAuthenticator(d.packet, 'dae-secret')) return;
    seen.push(d.packet.identifier);
    const who = d.packet.text('User-Name');
    if (who === 'silent') return;
    const nak = who === 'nak';
    nasSock.send(
      encodeResponse(d.packet, nak ? 45 : 44, nak ? [{ name: 'Error-Cause', value: 503 }] : [], 'dae-secret'),
      r.port,
      r.address,
    );
  });
  await new Promise<void>((r) => nasSock.bind(0, '127.0.0.1', () => r()));
  const lines: string[] = [];
  const log = { ...nullLogger, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m) };
  const nas: NasWire = {
    id: 1,
    name: 'n1',
    ip: '127.0.0.1',
    secret: 'nas-secret',
    daePort: nasSock.address().port,
    daeSecret: 'dae-secret',
    coa: true,
    attrs: [],
  };
  const dae = new DaeClient(300, log);
  try {
    const verdicts = await Promise.all(
      ['ack', 'nak', 'silent'].map((login) =>
        dae.coa(nas, { ...session, login }, [{ name: 'Session-Timeout', value: 60 }], 'test'),
      ),
    );
    assert.deepEqual(verdicts, ['ack', 'nak', 'timeout']);
    assert.deepEqual(new Set(seen).size, 3);
    assert.deepEqual(
      [
        dae.counters.coaSent,
        dae.counters.coaAcked,
        dae.counters.coaNaked,
        dae.counters.coaTimeouts,
        dae.counters.dmSent,
      ],
      [3, 1, 1, 1, 0],
    );
    assert.ok(
      lines.some((l) => /CoA-Request for 'nak' .*: CoA-NAK \(Error-Cause 503\)/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /CoA-Request for 'silent' .*no answer in 300 ms \(disconnect_request_timeout\)/.test(l)),
    );
  } finally {
    dae.close();
    nasSock.close();
  }
});

test('DaeClient: more than 256 requests to one NAS wait for an identifier instead of reusing one in flight; an unanswered one is sent three times', async () => {
  const nasSock = createSocket('udp4');
  // Each distinct request once (the retransmits of one are the same bytes), with when it first came.
  const ids: number[] = [];
  const at: number[] = [];
  const seen = new Set<string>();
  let packets = 0;
  nasSock.on('message', (m) => {
    packets++;
    const k = m.toString('hex');
    if (seen.has(k)) return;
    seen.add(k);
    ids.push(m[1]!);
    at.push(Date.now());
  });
  await new Promise<void>((r) => nasSock.bind(0, '127.0.0.1', () => r()));
  const nas: NasWire = {
    id: 1,
    name: 'n1',
    ip: '127.0.0.1',
    secret: 'nas-secret',
    daePort: nasSock.address().port,
    daeSecret: '',
    coa: true,
    attrs: [],
  };
  const dae = new DaeClient(200, nullLogger);
  try {
    const verdicts = await Promise.all(
      Array.from({ length: 300 }, (_, i) => dae.disconnect(nas, { ...session, key: `127.0.0.1|s${i}` }, 'test')),
    );
    assert.equal(verdicts.filter((v) => v === 'timeout').length, 300);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ids.length, 300);
    assert.equal(packets, 900, 'each sent three times (no answer)');
    assert.equal(dae.counters.dmRetries, 600);
    assert.equal(new Set(ids.slice(0, 256)).size, 256, 'the first 256 all differ');
    assert.ok(
      at[256]! - at[0]! >= 150,
      `the 257th went out when the first timed out (${at[256]! - at[0]!} ms later), not at once`,
    );
    assert.equal(dae.counters.dmTimeouts, 300);
  } finally {
    dae.close();
    nasSock.close();
  }
});

test('DaeClient: with dac_bind_host requests go out from that address and its answers come back; an address not ours stops the start', async () => {
  const nasSock = createSocket('udp4');
  const from: string[] = [];
  nasSock.on('message', (m, r) => {
    from.push(r.address);
    const d = decodePacket(m, 'nas-secret');
    if (d.ok) nasSock.send(encodeResponse(d.packet, 41, [], 'nas-secret'), r.port, r.address);
  });
  await new Promise<void>((r) => nasSock.bind(0, '127.0.0.1', () => r()));
  const nas: NasWire = {
    id: 1,
    name: 'n1',
    ip: '127.0.0.1',
    secret: 'nas-secret',
    daePort: nasSock.address().port,
    daeSecret: '',
    coa: true,
    attrs: [],
  };
  const dae = new DaeClient(500, nullLogger, '127.0.0.2');
  try {
    await dae.start();
    assert.equal(await dae.disconnect(nas, session, 'test'), 'ack');
    assert.deepEqual(from, ['127.0.0.2']);
  } finally {
    dae.close();
    nasSock.close();
  }
  const wrong = new DaeClient(500, nullLogger, '192.0.2.55'); // TEST-NET-1: not an address of this machine
  await assert.rejects(wrong.start(), /cannot bind the DM\/CoA socket to 192\.0\.2\.55: .* \(dac_bind_host\)/);
  wrong.close();
});

test('DaeClient: a request whose first copy is lost is sent again and the answer to the retransmit counts', async () => {
  const nasSock = createSocket('udp4');
  let got = 0;
  nasSock.on('message', (m, r) => {
    if (++got === 1) return; // the first copy lost
    const d = decodePacket(m, 'nas-secret');
    if (d.ok) nasSock.send(encodeResponse(d.packet, 41, [], 'nas-secret'), r.port, r.address);
  });
  await new Promise<void>((r) => nasSock.bind(0, '127.0.0.1', () => r()));
  const nas: NasWire = {
    id: 1,
    name: 'n1',
    ip: '127.0.0.1',
    secret: 'nas-secret',
    daePort: nasSock.address().port,
    daeSecret: '',
    coa: true,
    attrs: [],
  };
  const dae = new DaeClient(600, nullLogger);
  try {
    assert.equal(await dae.disconnect(nas, session, 'test'), 'ack');
    assert.deepEqual([got, dae.counters.dmRetries, dae.counters.dmAcked, dae.counters.dmTimeouts], [2, 1, 1, 0]);
  } finally {
    dae.close();
    nasSock.close();
  }
});
