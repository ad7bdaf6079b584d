import type { Database } from '@utm5/db';

/** One row of rpcf_rfw_queue_report. */
export interface QueueReportRow {
  readonly id: number;
  readonly routerId: number;
  readonly ruleId: number;
  readonly event: string;
  readonly createdAt: number;
  /** 0: not delivered. */
  readonly deliveredAt: number;
  /** pending | ok | failed | duplicate | expired */
  readonly status: string;
  readonly exitCode: number;
  readonly attempts: number;
  readonly argv: readonly string[];
  readonly stderr: string;
}

export const QUEUE_STATUSES = ['pending', 'ok', 'failed', 'duplicate', 'expired'] as const;

/** The most rows one report answers (the newest of the window). */
export const QUEUE_REPORT_MAX = 10_000;

/** The sysadmin's view of rfw_queue: what was queued for which firewall and how each command ended. */
export class QueueReport {
  constructor(private readonly db: Database) {}

  async rows(q: { from: number; to: number; routerId: number; status: string }): Promise<QueueReportRow[]> {
    let k = this.db.knex('rfw_queue').where('created_at', '>=', q.from).where('created_at', '<', q.to);
    if (q.routerId > 0) k = k.where({ router_id: q.routerId });
    if (q.status === 'pending') k = k.whereNull('status');
    else if (q.status) k = k.where({ status: q.status });
    const rows: Record<string, unknown>[] = await k.orderBy('id', 'desc').limit(QUEUE_REPORT_MAX);
    return rows.reverse().map((r) => ({
      id: Number(r['id']),
      routerId: Number(r['router_id']),
      ruleId: Number(r['rule_id']),
      event: String(r['event']),
      createdAt: Number(r['created_at']),
      deliveredAt: Number(r['delivered_at'] ?? 0),
      status: r['status'] === null || r['status'] === undefined ? 'pending' : String(r['status']),
      exitCode: Number(r['exit_code'] ?? 0),
      attempts: Number(r['attempts'] ?? 0),
      argv: JSON.parse(String(r['argv'])) as string[],
      stderr: String(r['stderr'] ?? ''),
    }));
  }
}
