import type { Clock, Logger, TestClock } from '@utm5/common';
import type { Database } from '@utm5/db';

const KEY = 'test_clock_time';

/**
 * Where the test clock is kept between restarts (core_state). A test installation placed in 2024 stays in 2024
 * after a restart instead of jumping to the wall clock and running a year of periods at once.
 */
export class TestClockStore {
  constructor(private readonly db: Database) {}

  async saved(): Promise<number | undefined> {
    const r = await this.db.knex('core_state').where({ key: KEY }).first('value');
    return r ? Number(r['value']) : undefined;
  }

  async save(time: number): Promise<void> {
    await this.db
      .knex('core_state')
      .insert({ key: KEY, value: String(time) })
      .onConflict('key')
      .merge();
  }

  /** Puts a test clock back where it was saved, before anything is armed on it. */
  async restore(clock: Clock, log: Logger): Promise<void> {
    if (clock.kind !== 'test') return;
    const t = await this.saved();
    if (t === undefined) return;
    await (clock as TestClock).set(t);
    log.notice(`test clock restored to ${t} (${new Date(t * 1000).toISOString()}), where it was before the restart`);
  }
}
