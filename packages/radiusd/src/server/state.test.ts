import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RADIUS_TOPIC, SHAPING_TOPIC, type AccountWire } from '@utm5/protocol';
import { RadiusState } from './state';

const acc = (id: number, balance: number): AccountWire => ({ id, userId: id, dealerId: 0, blockType: 0, intStatus: true, unlimited: false, balance, credit: 0 });

test('account events change one account of the snapshot and tell what it had; other topics are not theirs', () => {
  const s = new RadiusState();
  s.apply(RADIUS_TOPIC.ACCOUNTS, [acc(1, 10), acc(2, 20)]);
  assert.deepEqual(s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'upsert', key: '2', item: acc(2, -5) }), acc(2, 20));
  assert.equal(s.accounts.get(2)!.balance, -5);
  assert.equal(s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'upsert', key: '3', item: acc(3, 1) }), undefined, 'new');
  assert.deepEqual(s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'delete', key: '1' }), acc(1, 10));
  assert.deepEqual([...s.accounts.keys()].sort(), [2, 3]);
  assert.equal(s.applyAccountEvent({ t: 'event', topic: SHAPING_TOPIC, op: 'delete', key: '1' }), false);
  assert.equal(s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'delete', key: 'x' }), false);
});
