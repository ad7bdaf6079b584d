import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LocalPolicy as AggregatorLocalPolicy,
  type AggregatorClass,
  type AggregatorIpGroup,
  type TrafficAggregate,
} from '@utm5/netflow';
import { LocalPolicy, type IpGroupItem, type TclassItem, type TimeRangeWire, type TrafficItem } from '@utm5/protocol';

// @utm5/netflow may import only node:*, so its aggregator declares what it reads of the Stream items @utm5/protocol
// declares; the collector is where both meet.
test('the Stream traffic items fit the aggregator, and their local policies mean what the aggregator does with them', () => {
  assert.deepEqual(AggregatorLocalPolicy, LocalPolicy);
  const tclass: TclassItem = {
    id: 1,
    name: 'c',
    dontSave: false,
    localPolicy: LocalPolicy.BOTH,
    timeRange: null,
    subclasses: [],
  };
  const group: IpGroupItem = { id: 1, slinkId: 2, accountId: 3, ip: '10.0.0.0', mask: 8, providerIp: '' };
  const asClass: AggregatorClass<TimeRangeWire> = tclass;
  const asGroup: AggregatorIpGroup = group;
  const aggregate: TrafficAggregate = { s: 2, a: 3, c: 1, ip: '10.0.0.1', t: 0, b: 1, p: 1 };
  const item: TrafficItem = aggregate;
  assert.ok(asClass && asGroup && item);
});
