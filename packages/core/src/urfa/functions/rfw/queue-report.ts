import { L } from '@utm5/protocol';
import { badInput } from '../../../billing/billing-error';
import { QUEUE_REPORT_MAX, QUEUE_STATUSES } from '../../../rfw/queue-report';
import { defineFunction } from '../../core-function';

const ROW = { index: 'i' };

export const rfwQueueReport = defineFunction(
  'rpcf_rfw_queue_report',
  0x600000a0,
  {
    comment:
      'UTM5-TS extension: the firewall commands queued in a time window (created_at), for one firewall (0 all), ' +
      `with a status filter ('' all, ${QUEUE_STATUSES.join(', ')}): rule, event, the command's arguments joined ` +
      `by spaces, how it ended (exit code, attempts, stderr); at most the newest ${QUEUE_REPORT_MAX} rows`,
    input: [
      L.int('time_start'),
      L.int('time_end'),
      L.int('router_id', { default: '0' }),
      L.str('status', { default: '' }),
    ],
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.long('id', ROW),
        L.int('router_id', ROW),
        L.int('rule_id', ROW),
        L.str('event', ROW),
        L.int('created_at', ROW),
        L.int('delivered_at', ROW),
        L.str('status', ROW),
        L.int('exit_code', ROW),
        L.int('attempts', ROW),
        L.str('command', ROW),
        L.str('stderr', ROW),
      ]),
    ],
    docs: {
      time_start: 'unix time: commands queued at or after it',
      time_end: 'unix time: commands queued before it',
      router_id: 'the firewall (rpcf_get_routers_list), 0 every firewall',
      status: `'' every status, or one of ${QUEUE_STATUSES.join(', ')}`,
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const status = a.str('status');
    if (status && !(QUEUE_STATUSES as readonly string[]).includes(status))
      throw badInput(`rpcf_rfw_queue_report: status '${status}': '' or one of ${QUEUE_STATUSES.join(', ')}`);
    const rows = await ctx.rfw.report.rows({
      from: a.int('time_start'),
      to: a.int('time_end'),
      routerId: a.int('router_id'),
      status,
    });
    return {
      count: rows.length,
      id: rows.map((r) => r.id),
      router_id: rows.map((r) => r.routerId),
      rule_id: rows.map((r) => r.ruleId),
      event: rows.map((r) => r.event),
      created_at: rows.map((r) => r.createdAt),
      delivered_at: rows.map((r) => r.deliveredAt),
      status: rows.map((r) => r.status),
      exit_code: rows.map((r) => r.exitCode),
      attempts: rows.map((r) => r.attempts),
      command: rows.map((r) => r.argv.join(' ')),
      stderr: rows.map((r) => r.stderr),
    };
  },
);
