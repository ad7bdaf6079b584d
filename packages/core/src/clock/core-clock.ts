import { SystemClock, TestClock, type Clock, type Logger } from '@utm5/common';

/** The core's one clock: the system's, or with test_clock=enable a test clock starting at the real time. */
export function createCoreClock(testClock: boolean, log: Logger, start?: number): Clock {
  if (!testClock) return new SystemClock();
  const c = new TestClock(start ?? Math.floor(Date.now() / 1000));
  log.warn(
    'test_clock is enabled: the billing clock moves only when an administrator sets or advances it; ' +
      'never use this on a production installation',
  );
  return c;
}
