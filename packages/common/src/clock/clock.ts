import { UtmError } from '../errors/utm-error';

/**
 * The one source of "now" for business logic: unix seconds, UTC. With the real clock it is the system time; with
 * the test clock it only moves when told to, and every timer that falls due runs, in time order, as it moves.
 */
export interface Clock {
  /** Current unix time in whole seconds. */
  now(): number;
  /** Runs fn at unix time `at` (or at once, asynchronously, if that is past). */
  at(at: number, fn: () => void | Promise<void>): TimerHandle;
  readonly kind: 'system' | 'test';
}

export interface TimerHandle {
  cancel(): void;
}

export class SystemClock implements Clock {
  readonly kind = 'system';

  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  at(at: number, fn: () => void | Promise<void>): TimerHandle {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    // setTimeout holds at most ~24.8 days; longer waits re-arm.
    const arm = (): void => {
      if (cancelled) return;
      const ms = at * 1000 - Date.now();
      if (ms <= 0) {
        timer = setTimeout(() => void fn(), 0);
        return;
      }
      timer = setTimeout(arm, Math.min(ms, 2 ** 31 - 1));
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        if (timer) clearTimeout(timer);
      },
    };
  }
}

export class ClockRefusedError extends UtmError {
  constructor(what: string) {
    super(
      'UTM_CLOCK_REFUSED',
      `${what}: the test clock is not enabled (set test_clock=enable in the config, test installs only)`,
    );
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void | Promise<void>;
  cancelled: boolean;
}

export type ClockListener = (now: number) => void | Promise<void>;

/**
 * A clock that moves only when set or advanced. Advancing runs every due timer at its own time (now() reads the
 * timer's time while it runs), so a three-month scenario runs its daily and monthly work in order, in seconds.
 */
export class TestClock implements Clock {
  readonly kind = 'test';
  private t: number;
  private seq = 0;
  private timers: PendingTimer[] = [];
  private listeners: ClockListener[] = [];
  private moving: Promise<void> = Promise.resolve();

  constructor(start: number) {
    this.t = Math.floor(start);
  }

  now(): number {
    return this.t;
  }

  at(at: number, fn: () => void | Promise<void>): TimerHandle {
    const timer: PendingTimer = { at: Math.floor(at), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Called after every move (e.g. to tell connected daemons the time). */
  onMove(listener: ClockListener): void {
    this.listeners.push(listener);
  }

  /** Moves to `target`; timers due between now and target run in order. Moves queue behind each other. */
  set(target: number): Promise<void> {
    return this.enqueue(() => Math.floor(target));
  }

  /** Moves forward by `seconds` from wherever the clock is when this move's turn comes. */
  advance(seconds: number): Promise<void> {
    return this.enqueue(() => this.t + Math.floor(seconds));
  }

  private enqueue(target: () => number): Promise<void> {
    const run = this.moving.then(() => this.moveTo(target()));
    this.moving = run.catch(() => undefined);
    return run;
  }

  private nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const tm of this.timers) {
      if (tm.cancelled || tm.at > limit) continue;
      if (!best || tm.at < best.at || (tm.at === best.at && tm.seq < best.seq)) best = tm;
    }
    return best;
  }

  private async moveTo(target: number): Promise<void> {
    for (;;) {
      const due = this.nextDue(Math.max(target, this.t));
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due && !x.cancelled);
      if (due.at > this.t) this.t = due.at;
      await due.fn();
    }
    this.t = target;
    for (const l of this.listeners) await l(this.t);
  }
}
