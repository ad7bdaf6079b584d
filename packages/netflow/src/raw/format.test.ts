import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RAW_T, rawFlow } from '../testing/raw-flows';
import {
  RAW_RECORD_V4,
  RAW_RECORD_V6,
  decodeRawFile,
  decodeRawFlows,
  decodeRawHeader,
  encodeRawFlow,
  encodeRawHeader,
} from './format';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const T = RAW_T;

// Written by hand from the layout table at the top of format.ts (not produced by the encoder under test).
const HEADER = '55355257 0001 0010 0000018bcfe56800';
const RECORD_V4 = `
  04 04 06 00 1b 18 10 00  9c40 01bb  00000002 00000007 00000009  00000002 00000003 0000fc00 00003b41
  0000000000100000 0000000000000320 0000018bcfe47da0 0000018bcfe56418
  00000000000000000000ffff0a000101  0a000001 c0000207 0a0000fe`;

test('raw IPv4 record and header match the hand-built fixture, both ways', () => {
  assert.deepEqual(encodeRawHeader(T), hex(HEADER));
  assert.deepEqual(encodeRawFlow(rawFlow()), hex(RECORD_V4));
  assert.equal(hex(RECORD_V4).length, RAW_RECORD_V4);
  const file = decodeRawFile(hex(HEADER + RECORD_V4));
  assert.deepEqual(file, { header: { version: 1, headerSize: 16, created: T }, flows: [rawFlow()], trailing: 0 });
});

test('raw IPv6 round trip: wide layout, IPv4 next hop and provider mapped and read back dotted, big counters', () => {
  const f = rawFlow({
    ipVersion: 6,
    srcAddr: '2001:db8::1',
    dstAddr: 'fe80::2:3',
    nextHop: '0.0.0.0',
    provider: '2001:db8:ffff::9',
    bytes: 2 ** 40 + 5,
    packets: 2 ** 33,
    inIf: 70_000,
    srcAs: 4_200_000_000,
  });
  const b = encodeRawFlow(f);
  assert.equal(b.length, RAW_RECORD_V6);
  assert.equal(b[0], 6);
  assert.deepEqual(decodeRawFile(Buffer.concat([encodeRawHeader(T), b])).flows, [f]);
  // An IPv4 flow whose next hop is IPv6 cannot use the narrow layout, and keeps its IP version.
  const mixed = rawFlow({ nextHop: '2001:db8::fe', provider: '' });
  const m = encodeRawFlow(mixed);
  assert.deepEqual([m.length, m[1]], [RAW_RECORD_V6, 4]);
  assert.deepEqual(decodeRawFlows(m, 0).flows, [mixed]);
  // A dual-stack socket names an IPv4 exporter ::ffff:a.b.c.d; it is stored mapped and read back dotted.
  assert.equal(
    decodeRawFlows(encodeRawFlow(rawFlow({ provider: '::ffff:10.0.1.1' })), 0).flows[0]!.provider,
    '10.0.1.1',
  );
  // An IPv6 flow's own addresses stay IPv6 text, mapped or not; its next hop may be IPv4.
  const v6 = decodeRawFlows(encodeRawFlow(rawFlow({ ipVersion: 6, srcAddr: '::ffff:1.2.3.4', dstAddr: '::1' })), 0)
    .flows[0]!;
  assert.deepEqual([v6.srcAddr, v6.dstAddr, v6.nextHop], ['::ffff:102:304', '::1', '10.0.0.254']);
});

test('raw encode refuses what it cannot store, naming the field', () => {
  assert.throws(
    () => encodeRawFlow(rawFlow({ srcAddr: '10.0.0.300' })),
    /srcAddr '10.0.0.300' is not an IPv4 or IPv6 address/,
  );
  assert.throws(() => encodeRawFlow(rawFlow({ accountId: -1 })), /accountId -1 is not an integer from 0 to 4294967295/);
  assert.throws(() => encodeRawFlow(rawFlow({ bytes: 1.5 })), /bytes 1.5/);
  assert.throws(() => encodeRawFlow(rawFlow({ srcPort: 65536 })), /srcPort 65536/);
});

test('raw decode stops at the last whole record at every split point of a two-record file, never throwing', () => {
  const file = Buffer.concat([
    encodeRawHeader(T),
    encodeRawFlow(rawFlow()),
    encodeRawFlow(rawFlow({ ipVersion: 6, srcAddr: '::1', dstAddr: '::2', nextHop: '::' })),
  ]);
  for (let n = 0; n <= file.length; n++) {
    const out = decodeRawFile(file.subarray(0, n));
    const whole = n >= 16 + RAW_RECORD_V4 + RAW_RECORD_V6 ? 2 : n >= 16 + RAW_RECORD_V4 ? 1 : 0;
    assert.equal(out.flows.length, whole, `at ${n}`);
    const used = n < 16 ? 0 : 16 + (whole >= 1 ? RAW_RECORD_V4 : 0) + (whole === 2 ? RAW_RECORD_V6 : 0);
    assert.equal(out.trailing, n - used, `at ${n}`);
    assert.equal(out.problem?.reason, n === used && n >= 16 ? undefined : 'truncated', `at ${n}`);
  }
  assert.equal(
    decodeRawFile(file.subarray(0, 150)).problem?.message,
    '34 bytes after the last whole record at offset 116 (a partial record: the file may still be being written)',
  );
});

test('raw decode reports a file that is not raw, a newer version, and a corrupt record with its offset', () => {
  assert.deepEqual(decodeRawHeader(Buffer.from('hello world, not raw')), {
    problem: { reason: 'magic', offset: 0, message: 'not a raw traffic file: it starts with 68656c6c, not "U5RW"' },
  });
  const v2 = hex(HEADER);
  v2.writeUInt16BE(2, 4);
  assert.equal(decodeRawFile(v2).problem?.reason, 'version');
  const bad = Buffer.concat([hex(HEADER + RECORD_V4), Buffer.from([9]), hex(RECORD_V4)]);
  const out = decodeRawFile(bad);
  assert.deepEqual(
    [out.flows.length, out.trailing, out.problem?.reason, out.problem?.offset],
    [1, 1 + RAW_RECORD_V4, 'record', 116],
  );
  // A longer header (a later minor addition) is skipped by its announced size.
  const long = Buffer.concat([hex('55355257 0001 0014 0000018bcfe56800 deadbeef'), hex(RECORD_V4)]);
  assert.deepEqual(decodeRawFile(long).flows, [rawFlow()]);
});
