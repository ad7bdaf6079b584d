import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../testing/tel-fixture';
import { callUid, checkRecord, MAX_DURATION_S } from './call-check';

const NOW = 1_100_000_000;

test('call uid: the session id when there is one, else a sha1 of the call', () => {
  assert.equal(callUid(call({ sessionId: 'conf-9' })), 'conf-9');
  const a = callUid(call({ calling: '1', called: '2', start: 5, duration: 6 }));
  assert.match(a, /^sha1:[0-9a-f]{40}$/);
  assert.equal(a, callUid(call({ calling: '1', called: '2', start: 5, duration: 6 })));
  assert.notEqual(a, callUid(call({ calling: '1', called: '2', start: 5, duration: 7 })));
  assert.notEqual(a, callUid(call({ calling: '1', called: '2', start: 5, duration: 6, pbxId: 'p' })));
});

test('bad records are refused naming the field; start 0 is now', () => {
  const reason = (r: Parameters<typeof call>[0]) => {
    const c = checkRecord(call(r), NOW);
    return typeof c === 'string' ? c.split(' ')[0] : 'ok';
  };
  assert.equal(reason({ duration: -1 }), 'call_duration');
  assert.equal(reason({ duration: 1.5 }), 'call_duration');
  assert.equal(reason({ duration: MAX_DURATION_S + 1 }), 'call_duration');
  assert.equal(reason({ start: NOW + 2 * 86_400 }), 'call_start_date');
  assert.equal(reason({ start: -5 }), 'call_start_date');
  assert.equal(reason({ called: '7'.repeat(65) }), 'called_number');
  assert.equal(reason({ sessionId: 'x'.repeat(192) }), 'session_id');
  assert.equal(reason({ disconnectCause: 'x'.repeat(65) }), 'disconnect_cause');
  assert.equal(reason({ login: 5 as unknown as string }), 'login');
  assert.equal(reason({ duration: 0, start: NOW + 60 }), 'ok');
  assert.deepEqual((checkRecord(call({ start: 0 }), NOW) as { start: number }).start, NOW);
});
