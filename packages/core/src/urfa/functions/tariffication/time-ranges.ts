import { L, type CallArgs } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import type { RangeDay, RangeEntry } from '@utm5/common';
import { engine } from './common';

const ENTRY = [
  'sec_start',
  'sec_stop',
  'min_start',
  'min_stop',
  'hour_start',
  'hour_stop',
  'wday_start',
  'wday_stop',
] as const;
const RANGE_COMMENT =
  'an entry runs from wday/hour/min/sec start to stop (weekdays 0 Sunday .. 6 Saturday); a day (mday, month 1..12) ' +
  'is in the range all day; the range with the highest priority wins';

// The reference counts the input loops with size(sec_start) and size(internal_id), which only a client can
// evaluate; size_trd and days_size (defaulted to those sizes) are the same on the wire.
function rangeInput(entryId: boolean) {
  return [
    L.int('size_trd', { default: 'size(sec_start)' }),
    L.for('i', '0', 'size_trd', [
      ...(entryId ? [L.int('tr_entry_id', { index: 'i' })] : []),
      ...ENTRY.map((n) => L.int(n, { index: 'i' })),
    ]),
    L.int('days_size', { default: 'size(internal_id)' }),
    L.for('i', '0', 'days_size', [
      L.int('internal_id', { index: 'i' }),
      L.int('mday', { index: 'i' }),
      L.int('month', { index: 'i' }),
    ]),
  ];
}

function readRange(a: CallArgs): { entries: RangeEntry[]; days: RangeDay[] } {
  const entries = Array.from({ length: a.int('size_trd') }, (_, i) => ({
    secStart: a.int('sec_start', i),
    secStop: a.int('sec_stop', i),
    minStart: a.int('min_start', i),
    minStop: a.int('min_stop', i),
    hourStart: a.int('hour_start', i),
    hourStop: a.int('hour_stop', i),
    wdayStart: a.int('wday_start', i),
    wdayStop: a.int('wday_stop', i),
  }));
  const days = Array.from({ length: a.int('days_size') }, (_, i) => ({
    mday: a.int('mday', i),
    month: a.int('month', i),
  }));
  return { entries, days };
}

export const getTimeRanges = defineFunction(
  'rpcf_get_time_ranges',
  0x10350,
  {
    comment: RANGE_COMMENT,
    output: [
      L.int('size_tr'),
      L.for('i', '0', 'size_tr', [
        L.int('range_id', { index: 'i' }),
        L.str('tr_name', { index: 'i' }),
        L.int('priority', { index: 'i' }),
        L.int('size_trd'),
        L.set({ dst: 'size_trd_array', src: 'size_trd', dstIndex: 'i' }),
        L.for('j', '0', 'size_trd', [L.int('id', { index: 'i,j' }), ...ENTRY.map((n) => L.int(n, { index: 'i,j' }))]),
        L.int('days_size'),
        L.set({ dst: 'days_size_array', src: 'days_size', dstIndex: 'i' }),
        L.for('j', '0', 'days_size', [
          L.int('internal_id', { index: 'i,j' }),
          L.int('mday', { index: 'i,j' }),
          L.int('month', { index: 'i,j' }),
        ]),
      ]),
    ],
  },
  async (_call, ctx) => {
    const rs = await engine(ctx).catalog.timeRanges();
    const e = (f: (x: RangeEntry) => number) => rs.map((r) => r.entries.map(f));
    return {
      size_tr: rs.length,
      range_id: rs.map((r) => r.id),
      tr_name: rs.map((r) => r.name),
      priority: rs.map((r) => r.priority),
      size_trd_array: rs.map((r) => r.entries.length),
      id: rs.map((r) => r.entryIds),
      sec_start: e((x) => x.secStart),
      sec_stop: e((x) => x.secStop),
      min_start: e((x) => x.minStart),
      min_stop: e((x) => x.minStop),
      hour_start: e((x) => x.hourStart),
      hour_stop: e((x) => x.hourStop),
      wday_start: e((x) => x.wdayStart),
      wday_stop: e((x) => x.wdayStop),
      days_size_array: rs.map((r) => r.days.length),
      internal_id: rs.map((r) => r.dayIds),
      mday: rs.map((r) => r.days.map((d) => d.mday)),
      month: rs.map((r) => r.days.map((d) => d.month)),
    };
  },
);

export const addTimeRange = defineFunction(
  'rpcf_add_time_range',
  0x10351,
  {
    comment: `${RANGE_COMMENT}; internal_id is ignored`,
    input: [L.str('tr_name'), L.int('priority'), ...rangeInput(false)],
  },
  async (call, ctx) => {
    const a = call.args;
    const { entries, days } = readRange(a);
    await guarded(
      ctx,
      call,
      `add time range '${a.str('tr_name')}'`,
      () => engine(ctx).catalog.saveTimeRange(0, a.str('tr_name'), a.int('priority'), entries, days),
      () => 0,
    );
    return {};
  },
);

export const saveTimeRange = defineFunction(
  'rpcf_save_time_range',
  0x10352,
  {
    comment: `${RANGE_COMMENT}; the entries and days replace the range's; tr_entry_id and internal_id are ignored`,
    input: [L.int('tr_id'), L.str('tr_name'), L.int('priority'), ...rangeInput(true)],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('tr_id');
    const { entries, days } = readRange(a);
    if (id <= 0) return {};
    await guarded(
      ctx,
      call,
      `save time range ${id}`,
      () => engine(ctx).catalog.saveTimeRange(id, a.str('tr_name'), a.int('priority'), entries, days),
      () => 0,
    );
    return {};
  },
);

export const delTimeRange = defineFunction(
  'rpcf_del_time_range',
  0x10353,
  {
    input: [L.int('time_range_id')],
  },
  async (call, ctx) => {
    const id = call.args.int('time_range_id');
    await guarded(
      ctx,
      call,
      `remove time range ${id}`,
      () => engine(ctx).catalog.removeTimeRange(id),
      () => undefined,
    );
    return {};
  },
);
