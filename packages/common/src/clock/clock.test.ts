import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SystemClock, TestClock } from './clock';

test('test clock runs due timers in time order, each seeing its own time', async () => {
  const c = new TestClock(1000);
  const seen: string[] = [];
  c.at(1300, () => {
    seen.push(`b@${c.now()}`);
  });
  c.at(1100, () => {
    seen.push(`a@${c.now()}`);
    c.at(1200, () => {
      seen.push(`a2@${c.now()}`);
    }); // scheduled while running: still runs in this advance
  });
  c.at(5000, () => {
    seen.push('late');
  });
  await c.advance(400);
  assert.equal(c.now(), 1400);
  assert.deepEqual(seen, ['a@1100', 'a2@1200', 'b@1300']);
});

test('cancelled timers do not run; listeners hear every move', async () => {
  const c = new TestClock(0);
  let ran = false;
  const h = c.at(10, () => {
    ran = true;
  });
  h.cancel();
  const moves: number[] = [];
  c.onMove((t) => {
    moves.push(t);
  });
  await c.set(100);
  await c.advance(5);
  assert.equal(ran, false);
  assert.deepEqual(moves, [100, 105]);
});

test('concurrent moves are serialized', async () => {
  const c = new TestClock(0);
  const order: number[] = [];
  c.at(10, async () => {
    await new Promise((r) => setTimeout(r, 20));
    order.push(c.now());
  });
  c.at(30, () => {
    order.push(c.now());
  });
  await Promise.all([c.advance(20), c.advance(20)]);
  assert.deepEqual(order, [10, 30]);
  assert.equal(c.now(), 40);
});

test('system clock reads unix seconds and fires past timers at once', async () => {
  const c = new SystemClock();
  assert.ok(Math.abs(c.now() - Date.now() / 1000) < 2);
  await new Promise<void>((resolve) => c.at(c.now() - 10, resolve));
});
