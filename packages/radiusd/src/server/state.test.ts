import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RADIUS_TOPIC, SHAPING_TOPIC, type AccountWire } from '@utm5/protocol';
import { RadiusState } from './state';

const acc = (id: number, balance: number): AccountWire => ({
  id,
  userId: id,
  dealerId: 0,
  blockType: 0,
  intStatus: true,
  unlimited: false,
  balance,
  credit: 0,
});

test('account events change one account of the snapshot and tell what it had; other topics are not theirs', () => {
  const s = new RadiusState();
  s.apply(RADIUS_TOPIC.ACCOUNTS, [acc(1, 10), acc(2, 20)]);
  assert.deepEqual(
    s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'upsert', key: '2', item: acc(2, -5) }),
    acc(2, 20),
  );
  assert.equal(s.accounts.get(2)!.balance, -5);
  assert.equal(
    s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'upsert', key: '3', item: acc(3, 1) }),
    undefined,
    'new',
  );
  assert.deepEqual(
    s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'delete', key: '1' }),
    acc(1, 10),
  );
  assert.deepEqual([...s.accounts.keys()].sort(), [2, 3]);
  assert.equal(s.applyAccountEvent({ t: 'event', topic: SHAPING_TOPIC, op: 'delete', key: '1' }), false);
  assert.equal(s.applyAccountEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'delete', key: 'x' }), false);
});

test('login events add, replace and remove one login', () => {
  const s = new RadiusState();
  const l = {
    login: 'bob',
    kind: 'dialup',
    slinkId: 1,
    accountId: 1,
    serviceId: 1,
    password: 'p',
    allowedCid: '',
    allowedCsid: '',
    callbackAllowed: false,
    ringdownAllowed: true,
    callbackNumber: '',
    ip: '',
    mask: 0,
    poolName: '',
    maxSessions: 0,
    attrs: [],
  } as const;
  s.apply(RADIUS_TOPIC.LOGINS, [l]);
  assert.equal(
    s.applyLoginEvent({
      t: 'event',
      topic: RADIUS_TOPIC.LOGINS,
      op: 'upsert',
      key: 'eve',
      item: { ...l, login: 'eve', slinkId: 2 },
    }),
    true,
  );
  assert.equal(
    s.applyLoginEvent({
      t: 'event',
      topic: RADIUS_TOPIC.LOGINS,
      op: 'upsert',
      key: 'bob',
      item: { ...l, password: 'new' },
    }),
    true,
  );
  assert.equal(s.logins.get('bob')!.password, 'new');
  assert.equal(s.applyLoginEvent({ t: 'event', topic: RADIUS_TOPIC.LOGINS, op: 'delete', key: 'eve' }), true);
  assert.deepEqual([...s.logins.keys()], ['bob']);
  assert.equal(s.applyLoginEvent({ t: 'event', topic: RADIUS_TOPIC.ACCOUNTS, op: 'delete', key: '1' }), false);
});
