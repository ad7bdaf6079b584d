import type { Database } from '../connection';

export interface SystemServiceRow {
  readonly name: string;
  readonly enabled: boolean;
  readonly schedule: string;
  readonly runGroups: string;
  readonly lastRun: number | null;
  readonly lastDurationMs: number | null;
  readonly lastResult: string;
}

/** The scheduler's persisted state per system service. */
export class SystemServiceRepo {
  constructor(private readonly db: Database) {}

  async all(): Promise<SystemServiceRow[]> {
    const rows: Record<string, unknown>[] = await this.db.sys('system_services').select('*');
    return rows.map((r) => ({
      name: String(r['name']),
      enabled: Boolean(r['enabled']),
      schedule: String(r['schedule']),
      runGroups: String(r['run_groups']),
      lastRun: r['last_run'] === null ? null : Number(r['last_run']),
      lastDurationMs: r['last_duration_ms'] === null ? null : Number(r['last_duration_ms']),
      lastResult: String(r['last_result']),
    }));
  }

  async upsert(row: SystemServiceRow): Promise<void> {
    const data = {
      enabled: row.enabled,
      schedule: row.schedule,
      run_groups: row.runGroups,
      last_run: row.lastRun,
      last_duration_ms: row.lastDurationMs,
      last_result: row.lastResult.slice(0, 1024),
    };
    const n = await this.db.sys('system_services').where({ name: row.name }).update(data);
    if (n === 0) await this.db.sys('system_services').insert({ name: row.name, ...data });
  }
}
