import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock, nullLogger } from '@utm5/common';
import { TimeEvents } from './time-events';

test('lag: 0 while nothing is due; while a timemark is handled, the time since it fell due', async () => {
  const clock = new TestClock(1000);
  let release: () => void = () => undefined;
  let handling: Promise<void> | undefined;
  const seen: number[] = [];
  const events = new TimeEvents(
    clock,
    (ev) => {
      seen.push(ev.at);
      handling = new Promise<void>((r) => (release = r));
      return handling;
    },
    nullLogger,
  );
  events.start([{ at: 1100, kind: 'period_end', id: 1 }]);
  assert.equal(events.lag(clock.now()), 0, 'not due yet');
  const moved = clock.advance(200);
  // The handler runs (a long period close): the lag grows with billing time until it returns.
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [1100]);
  assert.equal(events.lag(1300), 200);
  assert.equal(events.lag(1400), 300);
  release();
  await moved;
  await handling;
  assert.equal(events.lag(clock.now()), 0, 'handled: no lag');
  events.stop();
});

test('lag counts a due timemark not yet handled', () => {
  const clock = new TestClock(1000);
  const events = new TimeEvents(clock, async () => undefined, nullLogger);
  // Not started: timemarks are kept but nothing runs, as while the core is still opening.
  events.set({ at: 900, kind: 'burn', id: 7 });
  events.set({ at: 950, kind: 'burn', id: 8 });
  events.set({ at: 5000, kind: 'burn', id: 9 });
  assert.equal(events.lag(1000), 100);
});
