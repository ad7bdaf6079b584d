import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetflowDecoder } from './decoder';
import { encodeIpfix, encodeV9 } from './encoder';
import { formatIpv6 } from '@utm5/inet';
import { emptyFlow, writeAddress6, type FlowRecord } from './flow';
import { decodeV5, encodeV5 } from './v5';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const T = 1_049_155_200_000; // 2003-04-01 00:00 UTC, ms

function flow(over: Partial<FlowRecord> = {}): FlowRecord {
  return {
    ...emptyFlow(),
    srcAddr: '10.0.0.1',
    dstAddr: '192.0.2.7',
    nextHop: '10.0.0.254',
    srcPort: 40000,
    dstPort: 443,
    protocol: 6,
    tos: 0,
    tcpFlags: 0x1b,
    inIf: 2,
    outIf: 3,
    srcAs: 64512,
    dstAs: 15169,
    srcMask: 24,
    dstMask: 16,
    bytes: 1_048_576,
    packets: 800,
    start: T - 60_000,
    end: T - 1_000,
    ...over,
  };
}

test('v5 from a byte fixture: header clock, record fields at their offsets', () => {
  const pkt = hex(`
    0005 0001 00002710 3e88d880 00000000 0000002a 0102 0000
    0a000001 c0000207 0a0000fe 0002 0003 00000320 00100000 00002328 00002700 9c40 01bb 00 1b 06 00 fc00 3b41 18 10 0000`);
  const { header, records } = decodeV5(pkt);
  assert.deepEqual(
    [header.version, header.count, header.sequence, header.domain, header.exportTime],
    [5, 1, 42, 0x0102, 1_049_155_712],
  );
  const r = records[0]!;
  const unixMs = 1_049_155_712_000;
  assert.deepEqual(
    [r.srcAddr, r.dstAddr, r.nextHop, r.inIf, r.outIf, r.packets, r.bytes],
    ['10.0.0.1', '192.0.2.7', '10.0.0.254', 2, 3, 800, 1_048_576],
  );
  assert.deepEqual(
    [r.srcPort, r.dstPort, r.tcpFlags, r.protocol, r.srcAs, r.dstAs, r.srcMask, r.dstMask],
    [40000, 443, 0x1b, 6, 64512, 15169, 24, 16],
  );
  // first = uptime 9000 ms, last = 9984 ms, header uptime 10000 ms
  assert.deepEqual([r.start, r.end], [unixMs - 1000, unixMs - 16]);
});

test('v5 and v7 build and decode round trip; more than 30 records is refused', () => {
  const records = [flow(), flow({ srcAddr: '10.0.0.2', bytes: 1 })];
  for (const version of [5, 7] as const) {
    const pkt = encodeV5({ version, sequence: 7, unixMs: T, sysUptime: 3_600_000 }, records);
    const out = new NetflowDecoder().decode(pkt, '127.0.0.1');
    assert.equal(out.error, undefined);
    assert.deepEqual(out.records, records);
  }
  assert.throws(() => encodeV5({ sequence: 0, unixMs: T, sysUptime: 0 }, Array(31).fill(flow())), /30 records at most/);
});

test('v9 from a byte fixture: template flowset, then data; padding ignored', () => {
  const template = `0000 0014 0100 0003 0008 0004 000c 0004 0001 0004`; // 256: src addr, dst addr, bytes
  const data = `0100 0014 0a000001 c0000207 000003e8 0a000003 00`; // one record + 3 bytes of padding -> 20
  const pkt = hex(`0009 0002 000003e8 3e88d880 00000001 00000007 ${template} ${data.replace(/ 00$/, ' 000000')}`);
  const d = new NetflowDecoder();
  const out = d.decode(pkt, '127.0.0.1');
  assert.equal(out.error, undefined, out.error?.message);
  assert.equal(out.header?.domain, 7);
  assert.deepEqual(
    out.records.map((r) => [r.srcAddr, r.dstAddr, r.bytes]),
    [['10.0.0.1', '192.0.2.7', 1000]],
  );
});

test('v9: data before its template is held and decoded when the template comes; templates are per exporter and source id', () => {
  const d = new NetflowDecoder();
  const records = [flow(), flow({ dstAddr: '198.51.100.1' })];
  const dataOnly = encodeV9({ domain: 1, sequence: 1, unixMs: T, sysUptime: 3_600_000, withTemplate: false }, records);
  const first = d.decode(dataOnly, '10.1.1.1', T);
  assert.deepEqual([first.records.length, first.error, d.heldSets], [0, undefined, 1]);
  // The same template id from another exporter or source id does not release it.
  d.decode(
    encodeV9({ domain: 2, sequence: 1, unixMs: T, sysUptime: 3_600_000, withTemplate: true }, []),
    '10.1.1.1',
    T,
  );
  d.decode(
    encodeV9({ domain: 1, sequence: 1, unixMs: T, sysUptime: 3_600_000, withTemplate: true }, []),
    '10.9.9.9',
    T,
  );
  assert.equal(d.heldSets, 1);
  const withTpl = d.decode(
    encodeV9({ domain: 1, sequence: 2, unixMs: T, sysUptime: 3_600_000, withTemplate: true }, []),
    '10.1.1.1',
    T,
  );
  assert.deepEqual(withTpl.records, records);
  assert.equal(d.stats.heldRecordsDecoded, 2);
  assert.equal(d.heldSets, 0);
});

test('v9 template refresh replaces the layout; an expired template is forgotten', () => {
  const d = new NetflowDecoder({ templateTimeoutSec: 60 });
  const tplA = hex(`0009 0001 00000000 3e88d880 00000001 00000000 0000 000c 0100 0001 0008 0004`); // 256: src addr
  const tplB = hex(`0009 0001 00000000 3e88d880 00000002 00000000 0000 000c 0100 0001 0001 0004`); // 256: bytes
  const data = hex(`0009 0001 00000000 3e88d880 00000003 00000000 0100 0008 0a000005`);
  d.decode(tplA, 'r1', T);
  assert.equal(d.decode(data, 'r1', T).records[0]!.srcAddr, '10.0.0.5');
  d.decode(tplB, 'r1', T);
  const r = d.decode(data, 'r1', T).records[0]!;
  assert.deepEqual([r.srcAddr, r.bytes], ['0.0.0.0', 0x0a000005]);
  assert.equal(d.decode(data, 'r1', T + 61_000).records.length, 0, 'expired: held instead');
  assert.equal(d.heldSets, 1);
});

test('v9 options templates are learned and their records skipped', () => {
  const d = new NetflowDecoder();
  // options template 300: scope system (len 4), option sampling interval (34, len 4); then one options record
  const pkt = hex(
    `0009 0002 00000000 3e88d880 00000001 00000000 0001 0014 012c 0004 0004 0001 0004 0022 0004 0000 012c 000c 00000001 00000064`,
  );
  const out = d.decode(pkt, 'r1', T);
  assert.equal(out.error, undefined, out.error?.message);
  assert.deepEqual([out.records.length, d.stats.optionsRecords], [0, 1]);
});

test('IPFIX round trip with IPv4 and IPv6 flows and absolute millisecond times', () => {
  const records = [
    flow(),
    flow({ ipVersion: 6, srcAddr: '2001:db8::1', dstAddr: '2001:db8:0:1::abcd', nextHop: '::', bytes: 2 ** 40 }),
  ];
  const pkt = encodeIpfix({ domain: 9, sequence: 5, unixMs: T, withTemplate: true }, records);
  const out = new NetflowDecoder().decode(pkt, 'r1');
  assert.equal(out.error, undefined, out.error?.message);
  assert.deepEqual([out.header?.version, out.header?.domain, out.header?.sequence], [10, 9, 5]);
  assert.deepEqual(out.records, records);
});

test('IPFIX variable-length and enterprise elements are skipped safely', () => {
  // template 400: src addr (8), enterprise element 0x8001 len 4 (PEN 9), varlen 82 (interfaceName), bytes (1, len 4)
  const tpl = '0002 001c 0190 0004 0008 0004 8001 0004 00000009 0052 ffff 0001 0004';
  // record 1: varlen 3 bytes "eth"; record 2: varlen in 3-byte form (255, 0x0002) "ge"
  const data = '0190 0028 0a000001 deadbeef 03 657468 00000010 0a000002 deadbeef ff 0002 6765 00000020 000000';
  const body = hex(`${tpl} ${data}`);
  const head = Buffer.alloc(16);
  head.writeUInt16BE(10, 0);
  head.writeUInt16BE(16 + body.length, 2);
  head.writeUInt32BE(T / 1000, 4);
  const out = new NetflowDecoder().decode(Buffer.concat([head, body]), 'r1');
  assert.equal(out.error, undefined, out.error?.message);
  assert.deepEqual(
    out.records.map((r) => [r.srcAddr, r.bytes, r.start]),
    [
      ['10.0.0.1', 16, T],
      ['10.0.0.2', 32, T],
    ],
  );
});

test('IPv6 text form is RFC 5952 and parses back', () => {
  const b = Buffer.alloc(16);
  for (const a of ['2001:db8::1', '::', '::1', '2001:db8:0:1:0:0:0:1'.replace(':0:0:0:', '::'), 'fe80::1:0:0:2']) {
    writeAddress6(b, 0, a);
    assert.equal(formatIpv6(b, 0), a);
  }
});

test('malformed datagrams are counted by reason and never throw; 100,000 mutated packets are survived', () => {
  const d = new NetflowDecoder({ pendingLimit: 64 });
  assert.equal(d.decode(Buffer.from([0, 5]), 'r').error?.reason, 'truncated');
  assert.equal(d.decode(hex('0004 0000'), 'r').error?.reason, 'version');
  assert.equal(d.decode(hex('0005 001f' + '00'.repeat(22)), 'r').error?.reason, 'count');
  assert.equal(
    d.decode(hex('0009 0001 00000000 00000000 00000000 00000000 0100 0040 0000'), 'r').error?.reason,
    'set_length',
  );
  const seeds = [
    encodeV5({ sequence: 1, unixMs: T, sysUptime: 1000 }, [flow(), flow()]),
    encodeV9({ domain: 1, sequence: 1, unixMs: T, sysUptime: 1000, withTemplate: true }, [
      flow(),
      flow({ ipVersion: 6, srcAddr: '::1', dstAddr: '::2', nextHop: '::' }),
    ]),
    encodeIpfix({ domain: 1, sequence: 1, unixMs: T, withTemplate: true }, [flow()]),
  ];
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let errors = 0;
  for (let i = 0; i < 100_000; i++) {
    const src = seeds[i % seeds.length]!;
    const b = Buffer.from(src.subarray(0, rnd(4) === 0 ? rnd(src.length + 1) : src.length));
    for (let k = rnd(6); k > 0 && b.length > 0; k--) b[rnd(b.length)] = rnd(256);
    const out = d.decode(b, `10.0.0.${rnd(4)}`, T);
    if (out.error) errors++;
    for (const r of out.records) assert.equal(typeof r.bytes, 'number');
  }
  const m = d.stats.malformed;
  assert.equal(
    Object.values(m).reduce((s, x) => s + x, 0),
    errors + 4,
  );
  assert.ok(d.heldSets <= 64);
});

test('IPFIX from byte fixtures: data before its template is held, then decoded; a refreshed template replaces the layout; a withdrawn one is forgotten', () => {
  const d = new NetflowDecoder();
  // version 10, length, export time 2003-04-01, sequence, domain 7
  const msg = (sets: string) => {
    const body = hex(sets);
    const head = hex(`000a 0000 3e88d880 00000001 00000007`);
    head.writeUInt16BE(16 + body.length, 2);
    return Buffer.concat([head, body]);
  };
  const data = msg(`0100 0008 0a000005`); // set 256: one 4-byte field
  const tplSrc = msg(`0002 000c 0100 0001 0008 0004`); // template 256: sourceIPv4Address
  const tplBytes = msg(`0002 000c 0100 0001 0001 0004`); // template 256: octetDeltaCount
  const withdraw = msg(`0002 0008 0100 0000`); // template 256 withdrawn (field count 0)
  assert.equal(d.decode(data, 'r9', T).records.length, 0);
  assert.equal(d.heldSets, 1);
  const released = d.decode(tplSrc, 'r9', T);
  assert.deepEqual(
    released.records.map((r) => r.srcAddr),
    ['10.0.0.5'],
  );
  d.decode(tplBytes, 'r9', T);
  const r = d.decode(data, 'r9', T).records[0]!;
  assert.deepEqual([r.srcAddr, r.bytes], ['0.0.0.0', 0x0a000005]);
  d.decode(withdraw, 'r9', T);
  assert.equal(d.decode(data, 'r9', T).records.length, 0, 'withdrawn: held again');
  assert.equal(d.heldSets, 1);
});
