import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import type { AccountScope } from '../../../reports/report-repo';
import { bucketer, type BucketUnit } from './time-buckets';
import { rollUp } from './traffic-stats';

const DAY = 86400;

/**
 * The interval of one graph point: UTM5's call has no field for it, so it follows the span, keeping a graph between
 * 24 and about 90 points: hours up to 2 days, days up to 92 days, months beyond.
 */
export function graphUnit(span: number): BucketUnit {
  return span <= 2 * DAY ? 'hour' : span <= 92 * DAY ? 'day' : 'month';
}

export const getGraphDataIptraffic = defineFunction(
  'rpcf_get_graph_data_iptraffic',
  0x5091,
  {
    comment:
      'IP traffic bytes per class per interval in [t_start, t_end) of one user (uid) or account (aid), 0 0: all; ' +
      'time = the interval start in the billing time zone: an hour for spans up to 2 days, a day up to 92 days, else a month; ' +
      'only intervals with traffic are listed, classes in id order',
    input: [
      L.int('uid', { default: '0' }),
      L.int('aid', { default: '0' }),
      L.int('t_start'),
      L.int('t_end', { default: 'now()' }),
    ],
    output: [
      L.int('traffic_discount_size'),
      L.for('i', '0', 'traffic_discount_size', [
        L.int('time', { index: 'i' }),
        L.int('size'),
        L.set({ dst: 'size_array', src: 'size', dstIndex: 'i' }),
        L.for('j', '0', 'size', [L.int('tclass', { index: 'i,j' }), L.double('bytes', { index: 'i,j' })]),
      ]),
    ],
    docs: { uid: 'user id (0: any)', aid: 'account id (0: any)' },
  },
  async (call, ctx) => {
    const a = call.args;
    const start = a.int('t_start');
    const end = a.int('t_end');
    // The shared user/account scope under this call's own input names.
    const scope: AccountScope = { userId: a.int('uid'), accountId: a.int('aid'), groupId: 0 };
    const bucket = bucketer(graphUnit(end - start), ctx.timezone);
    const sums = await ctx.reports.trafficSums(scope, { start, end, collector: 0 }, 'slot');
    // Accounts add up: one point per interval and class.
    const points = rollUp(
      sums.map((s) => ({ ...s, accountId: 0 })),
      (s) => bucket(Number(s.key)),
    ).sort((x, y) => x.key - y.key || x.tclass - y.tclass);
    const byTime = new Map<number, typeof points>();
    for (const p of points) (byTime.get(p.key) ?? byTime.set(p.key, []).get(p.key)!).push(p);
    const series = [...byTime.values()];
    return {
      traffic_discount_size: series.length,
      time: series.map((ps) => ps[0]!.key),
      size_array: series.map((ps) => ps.length),
      tclass: series.map((ps) => ps.map((p) => p.tclass)),
      bytes: series.map((ps) => ps.map((p) => p.bytes)),
    };
  },
);
