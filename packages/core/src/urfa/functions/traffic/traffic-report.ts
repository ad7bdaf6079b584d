import { L, type CallResult } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import { money } from '../tariffication/common';
import type { StatsKey, TrafficSum } from '../../../reports/report-repo';
import { accountScope, cols, filters, grouped } from '../report-scope';
import { checkRange, ipv4ToInt } from './common';
import { bucketer, type BucketUnit } from './time-buckets';
import { rollUp } from './traffic-stats';

/**
 * rpcf_traffic_report_ex's `type`: UTM5 5.3 does not document its values, so these are UTM5-TS's (the manual's admin
 * filter offers by IP / hour / day / month; totals come first as 0, the one type without add_param on the wire).
 */
export const TRAFFIC_REPORT_TYPE = { TOTAL: 0, HOUR: 1, DAY: 2, MONTH: 3, IP: 4 } as const;
const UNIT: Readonly<Record<number, BucketUnit>> = { 1: 'hour', 2: 'day', 3: 'month' };

/** An address as add_param: an IPv4 address's 32 bits as an unsigned integer; IPv6 (and no address) 0. */
export const ipv4Unsigned = (ip: string): number => ipv4ToInt(ip) >>> 0;

function grouping(type: number, tz: string): { by: StatsKey; keyOf: (s: TrafficSum) => number } {
  if (type === TRAFFIC_REPORT_TYPE.TOTAL) return { by: 'none', keyOf: () => 0 };
  if (type === TRAFFIC_REPORT_TYPE.IP) return { by: 'ip', keyOf: (s) => ipv4Unsigned(String(s.key)) };
  const bucket = bucketer(UNIT[type]!, tz);
  return { by: 'slot', keyOf: (s) => bucket(Number(s.key)) };
}

/** One row of an account: add_param only when type is not 0, as in UTM5's layout. */
const at = { index: 'i,j' };
const CELLS = [
  L.int('account_id', at),
  L.str('login', at),
  L.if('type', 'ne', '0', [L.int('add_param', at)]),
  L.int('tclass', at),
  L.double('base_cost', at),
  L.long('bytes', at),
  L.double('discount', at),
];

export const trafficReportEx = defineFunction(
  'rpcf_traffic_report_ex',
  0x3009,
  {
    comment:
      'IP traffic per account and class in [time_start, time_end). type: 0 totals; 1 by hour, 2 by day, 3 by month ' +
      '(add_param = the interval start, unix time, intervals of the billing time zone); 4 by IP (add_param = the IPv4 address ' +
      'as an unsigned 32-bit integer; IPv6 traffic is one row with add_param 0). base_cost: the cost accrued for the bytes; ' +
      'discount: the same (UTM5-TS has no separate traffic discount: what accrues is charged). apid: a traffic collector id ' +
      '(0: any; traffic sent by rpcf_put_unif_iptr has none). Rows ordered by account, add_param, class; ' +
      'another type returns no rows, with a line in the core log',
    input: [L.int('type', { default: '0' }), ...filters],
    output: [
      L.double('bytes_in_kbyte'),
      L.int('users_count'),
      L.for('i', '0', 'users_count', [
        L.int('atr_size'),
        L.set({ dst: 'atr_size_array', src: 'atr_size', dstIndex: 'i' }),
        L.for('j', '0', 'atr_size', CELLS),
      ]),
    ],
    docs: {
      type: '0 totals, 1 by hour, 2 by day, 3 by month, 4 by IP',
      apid: 'traffic collector id (0: any)',
      time_start: 'from (unix time, included)',
      time_end: 'to (unix time, excluded)',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const type = a.int('type');
    const head = { type, bytes_in_kbyte: Number(ctx.params?.get('bytes_in_kbyte') ?? '1024') || 1024 };
    return guarded(
      ctx,
      call,
      'traffic_report_ex',
      async (): Promise<CallResult> => {
        checkRange('traffic_report_ex', 'type', type, TRAFFIC_REPORT_TYPE.TOTAL, TRAFFIC_REPORT_TYPE.IP);
        const g = grouping(type, ctx.timezone);
        const sums = await ctx.reports.trafficSums(
          accountScope(a),
          { start: a.int('time_start'), end: a.int('time_end'), collector: a.int('apid') },
          g.by,
        );
        const rows = rollUp(sums, g.keyOf).sort(
          (x, y) => x.accountId - y.accountId || x.key - y.key || x.tclass - y.tclass,
        );
        const by = grouped(rows);
        return {
          ...head,
          users_count: by.length,
          atr_size_array: by.map((x) => x.length),
          account_id: cols(by, 'accountId'),
          login: cols(by, 'login', String),
          add_param: cols(by, 'key'),
          tclass: cols(by, 'tclass'),
          base_cost: cols(by, 'cost', (v) => money(Number(v))),
          bytes: cols(by, 'bytes'),
          discount: cols(by, 'cost', (v) => money(Number(v))),
        };
      },
      () => ({ ...head, users_count: 0 }),
    );
  },
);
