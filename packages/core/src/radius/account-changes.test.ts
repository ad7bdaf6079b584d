import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountWire } from '@utm5/protocol';
import { accountChanges, accountTexts } from './account-changes';

const acc = (id: number, balance: number, blockType = 0): AccountWire => ({ id, userId: id, dealerId: 0, blockType, intStatus: true, unlimited: false, balance, credit: 0 });

test('account changes: new and different accounts, and the ids gone; nothing when nothing changed', () => {
  const prev = accountTexts([acc(1, 10), acc(2, 20), acc(3, 30)]);
  assert.deepEqual(accountChanges(prev, [acc(1, 10), acc(2, 20), acc(3, 30)]).changed, []);
  const r = accountChanges(prev, [acc(1, 10), acc(2, 15), acc(4, 40), acc(3, 30, 1)]);
  assert.deepEqual(r.changed.map((a) => a.id), [2, 4, 3]);
  assert.deepEqual(accountChanges(prev, [acc(1, 10)]).removed, [2, 3]);
  assert.equal(r.texts.size, 4);
});
