import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallTable, StreamCallError, answerCall } from './calls';
import { checkClientMsg, type CallMsg, type ReplyMsg } from './messages';

test('a call is settled by its reply; a late or unknown reply is dropped', async () => {
  const t = new CallTable();
  const sent: CallMsg[] = [];
  const a = t.call((m) => sent.push(m), 'm1', { x: 1 }, 1000);
  const b = t.call((m) => sent.push(m), 'm2', null, 1000);
  assert.deepEqual(
    sent.map((m) => [m.t, m.method, m.args]),
    [
      ['call', 'm1', { x: 1 }],
      ['call', 'm2', null],
    ],
  );
  assert.notEqual(sent[0]!.id, sent[1]!.id, 'each call its own id');
  t.settle({ t: 'reply', id: sent[1]!.id, ok: false, error: 'no such thing' });
  t.settle({ t: 'reply', id: sent[0]!.id, ok: true, result: 42 });
  t.settle({ t: 'reply', id: 999, ok: true, result: 'stray' });
  assert.equal(await a, 42);
  await assert.rejects(b, (e: StreamCallError) => e.failure === 'refused' && /m2: no such thing/.test(e.message));
  assert.equal(t.inFlight, 0);
});

test('a call with no reply fails at its timeout; a dropped link fails every call in flight at once', async () => {
  const t = new CallTable();
  let id = 0;
  const slow = t.call(
    (m) => {
      id = m.id;
    },
    'slow',
    {},
    30,
  );
  await assert.rejects(slow, (e: StreamCallError) => e.failure === 'timeout' && /no reply in 30 ms/.test(e.message));
  t.settle({ t: 'reply', id, ok: true, result: 'too late' }); // ignored
  const c1 = t.call(() => undefined, 'a', {}, 60_000);
  const c2 = t.call(() => undefined, 'b', {}, 60_000);
  t.failAll('link gone');
  await assert.rejects(c1, (e: StreamCallError) => e.failure === 'link_lost' && /link gone/.test(e.message));
  await assert.rejects(c2, (e: StreamCallError) => e.failure === 'link_lost');
  await assert.rejects(
    t.call(
      () => {
        throw new Error('socket closed');
      },
      'c',
      {},
      60_000,
    ),
    (e: StreamCallError) => e.failure === 'link_lost',
  );
  assert.equal(t.inFlight, 0, 'no timers left behind');
});

test("a call is answered with the handler's result, its error, or unknown method", async () => {
  const replies: ReplyMsg[] = [];
  const reply = (r: ReplyMsg) => replies.push(r);
  answerCall({ t: 'call', id: 1, method: 'double', args: 21 }, async (a) => (a as number) * 2, reply);
  answerCall(
    { t: 'call', id: 2, method: 'fail', args: {} },
    async () => {
      throw new Error('cannot');
    },
    reply,
  );
  answerCall({ t: 'call', id: 3, method: 'nothing', args: {} }, async () => undefined, reply);
  answerCall({ t: 'call', id: 4, method: 'what', args: {} }, undefined, reply);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(
    replies.sort((x, y) => x.id - y.id),
    [
      { t: 'reply', id: 1, ok: true, result: 42 },
      { t: 'reply', id: 2, ok: false, error: 'cannot' },
      { t: 'reply', id: 3, ok: true, result: null },
      { t: 'reply', id: 4, ok: false, error: "unknown method 'what'" },
    ],
  );
});

test('calls, replies and the methods a daemon answers are validated like every other message', () => {
  assert.equal(typeof checkClientMsg({ t: 'call', id: 1, method: 'm', args: {} }), 'object');
  assert.equal(typeof checkClientMsg({ t: 'reply', id: 1, ok: true, result: 1 }), 'object');
  assert.equal(checkClientMsg({ t: 'call', id: 0, method: 'm' }), 'call needs an integer id >= 1');
  assert.equal(checkClientMsg({ t: 'call', id: 1, method: '' }), 'call needs a method of 1-64 characters');
  assert.equal(checkClientMsg({ t: 'reply', id: 1 }), 'reply needs ok (true or false)');
  assert.equal(checkClientMsg({ t: 'reply', id: 1, ok: false }), 'a failed reply needs an error');
  const login = { t: 'login', login: 'radius', response: 'ab', sender: 's', topics: [] };
  assert.equal(typeof checkClientMsg({ ...login, methods: ['radius_drop'] }), 'object');
  assert.equal(typeof checkClientMsg(login), 'object', 'methods are optional (older daemons)');
  assert.equal(checkClientMsg({ ...login, methods: [1] }), 'login methods must be a list of names');
});
