import type { Logger } from '@utm5/common';
import type { Database } from '@utm5/db';

/**
 * db_archiver -l: while an archive run moves rows, the core holds its database transactions back (they wait, in
 * order, and run when the pause ends), so nothing the core writes races the move. The pause ends when db_archiver
 * releases it or, should db_archiver die, by itself after the timeout it asked for. Wall time, not the billing
 * clock: the pause is about the process holding the tables, even on the test clock.
 */
export class WritePause {
  private until = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private holder = '';

  constructor(private readonly log: Logger) {}

  get paused(): boolean {
    return this.until > 0;
  }

  /** Starts or extends the pause for `seconds` from now on behalf of `who`. */
  pause(seconds: number, who: string): void {
    const first = !this.paused;
    this.until = Date.now() + seconds * 1000;
    this.holder = who;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.log.warn(`database writes resumed: the archive lock of ${this.holder} timed out after ${seconds} s`);
      this.release();
    }, seconds * 1000);
    this.timer.unref();
    if (first) this.log.notice(`database writes paused for archiving by ${who} (at most ${seconds} s)`);
  }

  /** Ends the pause; the held transactions run in the order they came. */
  resume(who: string): boolean {
    if (!this.paused) return false;
    this.log.notice(`database writes resumed by ${who}`);
    this.release();
    return true;
  }

  /** Resolves at once, or when the pause ends. */
  wait(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  private release(): void {
    this.until = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

/** The database as the core's modules see it: every transaction first waits out an archive pause. */
export function pausableDatabase(db: Database, pause: WritePause): Database {
  return {
    type: db.type,
    knex: db.knex,
    sys: db.sys,
    where: db.where,
    tx: async (fn, opts) => {
      await pause.wait();
      return db.tx(fn, opts);
    },
    close: () => db.close(),
  };
}
