import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '@utm5/common';
import { WritePause } from './write-pause';

test('transactions wait while paused and run in order when resumed', async () => {
  const p = new WritePause(nullLogger);
  const ran: number[] = [];
  p.pause(60, 'test');
  const a = p.wait().then(() => ran.push(1));
  const b = p.wait().then(() => ran.push(2));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(ran, []);
  assert.equal(p.resume('test'), true);
  await Promise.all([a, b]);
  assert.deepEqual(ran, [1, 2]);
  assert.equal(p.resume('test'), false, 'nothing left to resume');
  await p.wait();
});

test('a pause nobody releases ends by itself after its timeout', async () => {
  const p = new WritePause(nullLogger);
  p.pause(1, 'killed db_archiver');
  // The pause's own timer is unref'd (it must not hold a stopping core up); this one keeps the test alive.
  const alive = setInterval(() => undefined, 100);
  await p.wait();
  clearInterval(alive);
  assert.equal(p.paused, false);
});
