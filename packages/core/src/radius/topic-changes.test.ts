import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountWire } from '@utm5/protocol';
import { keyedChanges, keyedTexts } from './topic-changes';

const acc = (id: number, balance: number, blockType = 0): AccountWire => ({
  id,
  userId: id,
  dealerId: 0,
  blockType,
  intStatus: true,
  unlimited: false,
  balance,
  credit: 0,
});
const byId = (a: AccountWire) => String(a.id);

test('keyed changes: new and different items, and the keys gone; nothing when nothing changed', () => {
  const prev = keyedTexts([acc(1, 10), acc(2, 20), acc(3, 30)], byId);
  assert.deepEqual(keyedChanges(prev, [acc(1, 10), acc(2, 20), acc(3, 30)], byId).changed, []);
  const r = keyedChanges(prev, [acc(1, 10), acc(2, 15), acc(4, 40), acc(3, 30, 1)], byId);
  assert.deepEqual(
    r.changed.map((a) => a.id),
    [2, 4, 3],
  );
  assert.deepEqual(keyedChanges(prev, [acc(1, 10)], byId).removed, ['2', '3']);
  assert.equal(r.texts.size, 4);
});
