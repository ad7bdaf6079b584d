import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFlow, type FlowRecord } from '../flow';
import { ClassDefinitionError, TrafficClassifier, type SubclassDef } from './classifier';
import { parsePrefix } from './prefix';

const ANY4 = { net: '0.0.0.0/0' };
const f = (over: Partial<FlowRecord>): FlowRecord => ({
  ...emptyFlow(),
  srcAddr: '10.0.0.1',
  dstAddr: '8.8.8.8',
  protocol: 6,
  ...over,
});
const sub = (src: string, dst: string, more: Partial<SubclassDef> = {}): SubclassDef => ({
  src: { net: src },
  dst: { net: dst },
  ...more,
});

test('classes are tried in decreasing id order; no match is class 0', () => {
  const c = new TrafficClassifier([
    { id: 10, subclasses: [sub('10.0.0.0/8', '0.0.0.0/0')] },
    { id: 20, subclasses: [sub('10.0.0.0/24', '8.8.8.0/24')] },
  ]);
  assert.equal(c.classify(f({}), 'r'), 20, 'both match: the higher id wins');
  assert.equal(c.classify(f({ dstAddr: '1.1.1.1' }), 'r'), 10);
  assert.equal(c.classify(f({ srcAddr: '192.168.0.1' }), 'r'), 0);
});

test('a Skip subclass takes the flow out of its class and leaves it to the next class', () => {
  const c = new TrafficClassifier([
    { id: 5, subclasses: [sub('0.0.0.0/0', '0.0.0.0/0')] },
    { id: 9, subclasses: [sub('10.0.0.0/8', '0.0.0.0/0'), sub('10.0.0.0/8', '8.8.8.8', { skip: true })] },
  ]);
  assert.equal(c.classify(f({ dstAddr: '9.9.9.9' }), 'r'), 9);
  assert.equal(c.classify(f({}), 'r'), 5, 'skipped in 9, caught by 5');
});

test('time range, provider, ports, protocol, interfaces, AS, TOS, TCP flags and next router take part', () => {
  const nights = (ms: number) => new Date(ms).getUTCHours() < 7;
  const c = new TrafficClassifier([
    { id: 1, subclasses: [{ src: ANY4, dst: ANY4 }] },
    { id: 2, inTime: nights, subclasses: [{ src: ANY4, dst: ANY4 }] },
    { id: 3, subclasses: [{ src: ANY4, dst: ANY4, provider: '172.16.0.1' }] },
    {
      id: 4,
      subclasses: [{ src: { net: '10.0.0.0/8', port: 53 }, dst: { net: '0.0.0.0/0', ifIndex: 7 }, protocol: 17 }],
    },
    {
      id: 6,
      subclasses: [
        {
          src: { net: '0.0.0.0/0', as: 100 },
          dst: { net: '0.0.0.0/0', as: 200 },
          tos: 8,
          tcpFlags: 0x12,
          nextHop: '10.9.0.0/16',
        },
      ],
    },
  ]);
  const noon = Date.UTC(2003, 3, 1, 12);
  const night = Date.UTC(2003, 3, 1, 3);
  assert.equal(c.classify(f({ end: noon }), 'r'), 1);
  assert.equal(c.classify(f({ end: night }), 'r'), 2);
  assert.equal(c.classify(f({ end: noon }), '172.16.0.1'), 3);
  assert.equal(c.classify(f({ end: noon, srcPort: 53, outIf: 7, protocol: 17 }), 'r'), 4);
  assert.equal(c.classify(f({ end: noon, srcPort: 53, outIf: 7, protocol: 6 }), 'r'), 1, 'protocol differs');
  const six = { end: noon, srcAs: 100, dstAs: 200, tos: 8, nextHop: '10.9.1.1' };
  assert.equal(c.classify(f({ ...six, tcpFlags: 0x18 }), 'r'), 1, 'SYN missing');
  assert.equal(c.classify(f({ ...six, tcpFlags: 0x13 }), 'r'), 6);
  assert.equal(c.classify(f({ ...six, tcpFlags: 0x13, nextHop: '10.8.0.1' }), 'r'), 1, 'other next router');
});

test('IPv6 subclasses match IPv6 flows only; bad definitions name the class and subclass', () => {
  const c = new TrafficClassifier([
    { id: 1, subclasses: [sub('0.0.0.0/0', '0.0.0.0/0')] },
    { id: 2, subclasses: [sub('2001:db8::/32', '::/0')] },
  ]);
  assert.equal(c.classify(f({ ipVersion: 6, srcAddr: '2001:db8::5', dstAddr: '2a00::1' }), 'r'), 2);
  assert.equal(c.classify(f({ ipVersion: 6, srcAddr: '2001:db9::5', dstAddr: '2a00::1' }), 'r'), 0);
  assert.equal(c.classify(f({}), 'r'), 1);
  assert.throws(
    () => new TrafficClassifier([{ id: 7, subclasses: [sub('10.0.0.0/8', '::/0')] }]),
    (e: unknown) =>
      e instanceof ClassDefinitionError && /traffic class 7, subclass 1: source and destination/.test(e.message),
  );
  assert.throws(
    () => new TrafficClassifier([{ id: 7, subclasses: [sub('10.0.0.0/33', '0.0.0.0/0')] }]),
    /source network '10.0.0.0\/33'/,
  );
});

test('5,000 subclasses classify the same as a plain scan in the manual order', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const ip = () => `${10 + rnd(3)}.${rnd(4)}.${rnd(256)}.${rnd(256)}`;
  const classes = Array.from({ length: 50 }, (_, k) => ({
    id: k + 1,
    subclasses: Array.from({ length: 100 }, () =>
      sub(`${ip()}/${8 + rnd(25)}`, `${ip()}/${rnd(33)}`, { skip: rnd(10) === 0 }),
    ),
  }));
  const c = new TrafficClassifier(classes);
  const within = (p: string, a: string) => {
    const pre = parsePrefix(p)!;
    const b = a.split('.').map(Number);
    for (let i = 0; i < pre.bits; i++)
      if (((pre.bytes[i >> 3]! >> (7 - (i & 7))) & 1) !== ((b[i >> 3]! >> (7 - (i & 7))) & 1)) return false;
    return true;
  };
  const naive = (fl: FlowRecord) => {
    for (const k of [...classes].sort((a, b) => b.id - a.id)) {
      const hits = k.subclasses.filter((s) => within(s.src.net, fl.srcAddr) && within(s.dst.net, fl.dstAddr));
      if (hits.some((s) => !s.skip) && !hits.some((s) => s.skip)) return k.id;
    }
    return 0;
  };
  let classified = 0;
  for (let i = 0; i < 1000; i++) {
    const fl = f({ srcAddr: ip(), dstAddr: ip() });
    const want = naive(fl);
    assert.equal(c.classify(fl, 'r'), want, `${fl.srcAddr} -> ${fl.dstAddr}`);
    if (want) classified++;
  }
  assert.ok(classified > 30, `the fixture exercises matches (${classified})`);
});
