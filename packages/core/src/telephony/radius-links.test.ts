import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TelNumber } from './model';
import { linkByLogin, strippedCalled } from './radius-links';
import { EMPTY_SNAPSHOT, type TelSnapshot } from './snapshot';

const num = (id: number, slinkId: number, login: string, number: string): TelNumber => ({
  id,
  slinkId,
  login,
  number,
  incomingTrunk: '',
  outgoingTrunk: '',
  pbxId: '',
  allowedCid: '',
});
const link = (slinkId: number) => ({ slinkId, accountId: slinkId * 10, serviceId: 1, periodId: 1 });

test('the link of a login: live links only, case-insensitive, lowest link id; its numbers and the login entries', () => {
  const snap: TelSnapshot = {
    ...EMPTY_SNAPSHOT,
    numbers: [num(1, 7, 'Alice', '100'), num(2, 7, '', '101'), num(3, 5, 'alice', '200'), num(4, 9, 'bob', '300')],
    links: new Map([
      [7, link(7)],
      [5, link(5)],
    ]),
  };
  const a = linkByLogin(snap, 'ALICE');
  assert.equal(a?.link.slinkId, 5);
  assert.deepEqual(a?.numbers, ['200']);
  const only7: TelSnapshot = { ...snap, links: new Map([[7, link(7)]]) };
  const b = linkByLogin(only7, 'alice');
  assert.deepEqual([b?.entries.map((e) => e.id), b?.numbers], [[1], ['100', '101']]);
  assert.equal(linkByLogin(snap, 'bob'), undefined, 'link 9 is not live');
  assert.equal(linkByLogin(snap, ''), undefined);
});

test('tech prefixes: the longest one the called number begins with, with or without #, is stripped', () => {
  const entries = [num(1, 1, 'a', '77#'), num(2, 1, 'a', '7#'), num(3, 1, 'a', '5551000')];
  assert.equal(strippedCalled(entries, '77#8107'), '8107');
  assert.equal(strippedCalled(entries, '778107'), '8107');
  assert.equal(strippedCalled(entries, '7#123'), '123');
  assert.equal(strippedCalled(entries, '8107'), '8107');
});
