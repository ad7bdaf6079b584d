import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFlow, type FlowRecord } from '../flow';
import { LocalPolicy, TrafficAggregator, type AggregatorClass, type AggregatorIpGroup } from './aggregator';

// The shapes of the Stream items (@utm5/protocol) the programs feed the aggregator with.
type TclassItem = AggregatorClass<never>;
type IpGroupItem = AggregatorIpGroup & { readonly id: number };

const T = 1_049_155_200_000;
const flow = (src: string, dst: string, bytes = 100): FlowRecord => ({
  ...emptyFlow(),
  srcAddr: src,
  dstAddr: dst,
  bytes,
  packets: 1,
  end: T + 90 * 60_000,
});
const all = (id: number, over: Partial<TclassItem> = {}): TclassItem => ({
  id,
  name: `c${id}`,
  dontSave: false,
  localPolicy: LocalPolicy.RECEIVER,
  timeRange: null,
  subclasses: [{ src: { net: '0.0.0.0/0' }, dst: { net: '0.0.0.0/0' } }],
  ...over,
});
const group = (id: number, slinkId: number, ip: string, mask: number, providerIp = ''): IpGroupItem => ({
  id,
  slinkId,
  accountId: slinkId * 10,
  ip,
  mask,
  providerIp,
});

function agg(classes: TclassItem[], groups: IpGroupItem[]) {
  const a = new TrafficAggregator({ intervalSeconds: 3600, inRange: () => true });
  assert.deepEqual(a.setClasses(classes), []);
  assert.equal(a.setIpGroups(groups), 0);
  return a;
}

test('flows go to the link whose IP group holds the receiving or sending address, longest prefix first, per hour', () => {
  const a = agg([all(1)], [group(1, 1, '10.0.0.0', 8), group(2, 2, '10.1.0.0', 16)]);
  a.add(flow('192.0.2.1', '10.1.2.3'), 'r');
  a.add(flow('192.0.2.1', '10.1.2.3', 50), 'r');
  a.add(flow('10.2.0.1', '198.51.100.1', 7), 'r');
  assert.equal(a.add(flow('192.0.2.1', '198.51.100.1'), 'r')!.slinkId, 0);
  assert.deepEqual(a.counters, { flows: 4, classified: 4, aggregated: 3, unaccounted: 1 });
  const items = a.drain().sort((x, y) => x.s - y.s);
  const hour = (T + 3600_000) / 1000;
  assert.deepEqual(items, [
    { s: 1, a: 10, c: 1, ip: '10.2.0.1', t: hour, b: 7, p: 1 },
    { s: 2, a: 20, c: 1, ip: '10.1.2.3', t: hour, b: 150, p: 2 },
  ]);
  assert.equal(a.pending, 0);
});

test('local traffic follows the class policy: receiver, sender or both', () => {
  const groups = [group(1, 1, '10.0.0.1', 32), group(2, 2, '10.0.0.2', 32)];
  for (const [policy, want] of [
    [LocalPolicy.RECEIVER, [2]],
    [LocalPolicy.SENDER, [1]],
    [LocalPolicy.BOTH, [1, 2]],
  ] as const) {
    const a = agg([all(1, { localPolicy: policy })], groups);
    a.add(flow('10.0.0.1', '10.0.0.2'), 'r');
    assert.deepEqual(
      a
        .drain()
        .map((i) => i.s)
        .sort(),
      [...want],
      `policy ${policy}`,
    );
  }
});

test("a group bound to a NetFlow provider matches only that provider's flows (overlapping address spaces); multiplier; don't save", () => {
  const a = agg(
    [all(1, { dontSave: true })],
    [group(1, 1, '10.0.0.0', 24, '172.16.0.1'), group(2, 2, '10.0.0.0', 24, '172.16.0.2')],
  );
  assert.equal(a.add(flow('192.0.2.1', '10.0.0.5'), '172.16.0.2')!.slinkId, 2);
  assert.equal(a.add(flow('192.0.2.1', '10.0.0.5'), '172.16.0.1')!.slinkId, 1);
  assert.equal(a.add(flow('192.0.2.1', '10.0.0.5'), '172.16.0.3')!.slinkId, 0);
  a.multiplierE6 = 1_500_000;
  const r = a.add(flow('192.0.2.1', '10.0.0.6', 1000), '172.16.0.1')!;
  assert.equal(r.dontSave, true);
  const items = a.drain();
  assert.equal(items.find((i) => i.ip === '10.0.0.6')!.b, 1500);
});

test('a class that does not compile is reported and skipped; the others still classify', () => {
  const a = new TrafficAggregator({ intervalSeconds: 3600, inRange: () => true });
  const errors = a.setClasses([
    all(2, { subclasses: [{ src: { net: 'nonsense' }, dst: { net: '0.0.0.0/0' } }] }),
    all(1),
  ]);
  assert.equal(errors.length, 1);
  a.setIpGroups([group(1, 1, '10.0.0.0', 8)]);
  assert.equal(a.add(flow('192.0.2.1', '10.0.0.1'), 'r')!.tclass, 1);
});
