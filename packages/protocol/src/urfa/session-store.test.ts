import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionStore } from './session-store';

test('session ids are 128-bit, tied to the IP, and forgotten after idle time or a failed restore', () => {
  let now = 1000;
  const s = new SessionStore<string>(600, () => now);
  const a = s.create('bob', '10.0.0.5');
  assert.equal(a.sid.length, 16);
  assert.equal(s.restore(a.sid, '10.0.0.5')?.principal, 'bob');
  now += 599;
  assert.equal(s.restore(a.sid, undefined)?.principal, 'bob', 'without an IP only the SID is checked');
  assert.equal(s.restore(a.sid, '10.0.0.6'), undefined, 'another IP');
  assert.equal(s.restore(a.sid, '10.0.0.5'), undefined, 'a failed restore deleted the SID');
  const b = s.create('ann', '10.0.0.7');
  now += 601;
  s.expireNow();
  assert.equal(s.size, 0);
  assert.equal(s.restore(b.sid, '10.0.0.7'), undefined, 'idle too long');
});
