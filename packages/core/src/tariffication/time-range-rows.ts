import type { Knex } from '@utm5/db';
import type { RangeDay, RangeEntry } from '@utm5/common';

/** A time range's entries and days as stored, in the form time-range evaluation (and the daemons) use. */
export async function loadTimeRange(
  k: Knex | Knex.Transaction,
  rangeId: number,
): Promise<{ priority: number; entries: RangeEntry[]; days: RangeDay[] }> {
  const head = await k('time_ranges').where({ id: rangeId }).first('priority');
  const entries: Record<string, number>[] = await k('time_range_entries').where({ range_id: rangeId }).orderBy('id');
  const days: Record<string, number>[] = await k('time_range_days').where({ range_id: rangeId }).orderBy('id');
  return {
    priority: Number(head?.priority ?? 0),
    entries: entries.map((e) => ({
      wdayStart: Number(e['wday_start']),
      hourStart: Number(e['hour_start']),
      minStart: Number(e['min_start']),
      secStart: Number(e['sec_start']),
      wdayStop: Number(e['wday_stop']),
      hourStop: Number(e['hour_stop']),
      minStop: Number(e['min_stop']),
      secStop: Number(e['sec_stop']),
    })),
    days: days.map((d) => ({ mday: Number(d['mday']), month: Number(d['month']) })),
  };
}
