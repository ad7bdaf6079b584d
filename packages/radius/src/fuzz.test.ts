import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePacket,
  encodeRequest,
  encodeResponse,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
} from './index';

/**
 * 100,000 random and mutated datagrams: the decoder must answer every one with a packet or a reason, never throw
 * and never hit its own safety net ('internal'); the verifiers must not throw either. The generator is seeded, so a
 * failure names a reproducible case.
 */

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECRET = Buffer.from('fuzz');

const SEEDS: Buffer[] = [
  encodeRequest(
    'Access-Request',
    [
      { name: 'User-Name', value: 'user' },
      { name: 'User-Password', value: 'password' },
      { name: 'NAS-IP-Address', value: '10.0.0.1' },
      { name: 'Framed-IPv6-Prefix', value: '2001:db8::/32' },
      { name: 'Tunnel-Type', value: 'L2TP', tag: 1 },
      { name: 'Tunnel-Client-Endpoint', value: 'x', tag: 2 },
      { name: 'Cisco-AVPair', value: 'a=b' },
      { name: 'MS-CHAP-Challenge', value: Buffer.alloc(16, 3) },
      { name: 'EAP-Message', value: Buffer.from([2, 1, 0, 6, 1, 0x61]) },
      { type: 26, value: Buffer.from([0, 0, 0x30, 0x39, 1, 3, 9]) },
    ],
    SECRET,
  ),
  encodeRequest(
    'Accounting-Request',
    [
      { name: 'Acct-Status-Type', value: 'Stop' },
      { name: 'Event-Timestamp', value: 5 },
    ],
    SECRET,
  ),
];
{
  const r = decodePacket(SEEDS[0]!, SECRET);
  assert.ok(r.ok);
  SEEDS.push(
    encodeResponse(
      r.packet,
      'Access-Accept',
      [
        { name: 'Tunnel-Password', value: 'tp', tag: 1 },
        { name: 'MS-MPPE-Send-Key', value: Buffer.alloc(16, 9) },
        { name: 'Framed-Interface-Id', value: '1:2:3:4' },
      ],
      SECRET,
    ),
  );
}

function mutate(rand: () => number, seed: Buffer): Buffer {
  const b = Buffer.from(seed);
  const kind = Math.floor(rand() * 5);
  const flips = 1 + Math.floor(rand() * 4);
  if (kind === 0) for (let i = 0; i < flips; i++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
  if (kind === 1) return b.subarray(0, Math.floor(rand() * b.length));
  if (kind === 2) b.writeUInt16BE(Math.floor(rand() * 65536), 2);
  if (kind === 3) {
    // Aim at attribute length bytes, where decoders usually break.
    for (let off = 20; off + 1 < b.length && rand() < 0.9; off += Math.max(2, b[off + 1]!)) {
      if (rand() < 0.3) b[off + 1] = Math.floor(rand() * 256);
    }
  }
  if (kind === 4)
    return Buffer.concat([b, Buffer.from(Array.from({ length: Math.floor(rand() * 40) }, () => rand() * 256))]);
  return b;
}

test('100,000 random and mutated datagrams never make the decoder or the verifiers throw', () => {
  const rand = prng(20030401);
  const reasons = new Map<string, number>();
  for (let i = 0; i < 100_000; i++) {
    let buf: Buffer;
    if (i % 10 === 0) {
      buf = Buffer.from(Array.from({ length: Math.floor(rand() * 120) }, () => Math.floor(rand() * 256)));
      if (buf.length >= 4 && rand() < 0.7) {
        buf[0] = [1, 2, 4, 11, 43][Math.floor(rand() * 5)]!;
        buf.writeUInt16BE(buf.length, 2);
      }
    } else {
      buf = mutate(rand, SEEDS[i % SEEDS.length]!);
    }
    const r = decodePacket(buf, i % 2 === 0 ? SECRET : undefined);
    const key = r.ok ? 'ok' : r.reason;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
    assert.notEqual(key, 'internal', `case ${i}: ${r.ok ? '' : r.message} (${buf.toString('hex')})`);
    if (r.ok) {
      for (const a of r.packet.attributes) void a.raw;
      r.packet.get('User-Password');
    }
    verifyMessageAuthenticator(buf, SECRET, Buffer.alloc(16));
    verifyRequestAuthenticator(buf, SECRET);
  }
  // The mutations reach every branch: valid packets and each reason.
  for (const k of ['ok', 'short', 'length', 'code', 'attribute'])
    assert.ok((reasons.get(k) ?? 0) > 100, `${k}: ${reasons.get(k)}`);
});
