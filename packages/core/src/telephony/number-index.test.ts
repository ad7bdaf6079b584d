import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../testing/tel-fixture';
import type { TelNumber } from './model';
import { NumberIndex } from './number-index';

const entry = (id: number, slinkId: number, o: Partial<TelNumber>): TelNumber => ({
  id,
  slinkId,
  login: '',
  number: '',
  incomingTrunk: '',
  outgoingTrunk: '',
  pbxId: '',
  allowedCid: '',
  ...o,
});

const idx = new NumberIndex([
  entry(1, 10, { number: '1001' }),
  entry(2, 11, { number: '1001', pbxId: 'pbx2' }),
  entry(3, 12, { number: '55#' }),
  entry(4, 13, { number: '555#' }),
  entry(5, 14, { login: 'alice' }),
  entry(6, 15, { number: '2002', incomingTrunk: 'trunkA' }),
]);
const find = (r: Parameters<typeof call>[0]) => {
  const m = idx.find(call(r));
  return m && [m.kind, m.entry.slinkId, m.kind === 'prefix' ? m.called : ''];
};

test('ANI first; an entry with a PBX id or trunk only for calls with that one; lowest id among equals', () => {
  assert.deepEqual(find({ calling: '1001', called: '555#7' }), ['ani', 10, '']);
  assert.deepEqual(find({ calling: '2002', called: '7', incomingTrunk: 'trunkA' }), ['ani', 15, '']);
  assert.deepEqual(find({ calling: '2002', called: '7', incomingTrunk: 'trunkB' }), undefined);
  const pbx = new NumberIndex([entry(2, 11, { number: '1001', pbxId: 'pbx2' })]);
  assert.equal(pbx.find(call({ calling: '1001', pbxId: 'pbx1' })), undefined);
  assert.equal(pbx.find(call({ calling: '1001', pbxId: 'pbx2' }))?.entry.slinkId, 11);
});

test('tech prefix: the longest wins, with or without its #, stripped for the direction lookup', () => {
  assert.deepEqual(find({ calling: '9', called: '555#7916' }), ['prefix', 13, '7916']);
  assert.deepEqual(find({ calling: '9', called: '5557916' }), ['prefix', 13, '7916']);
  assert.deepEqual(find({ calling: '9', called: '55#7916' }), ['prefix', 12, '7916']);
  assert.deepEqual(find({ calling: '9', called: '557916' }), ['prefix', 12, '7916']);
});

test('then the login, then the called number (incoming); nothing else', () => {
  assert.deepEqual(find({ calling: '9', called: '7916', login: 'alice' }), ['login', 14, '']);
  assert.deepEqual(find({ calling: '84950000000', called: '1001' }), ['incoming', 10, '']);
  assert.equal(find({ calling: '9', called: '7916', login: 'bob' }), undefined);
  assert.equal(find({ calling: '', called: '' }), undefined);
});
