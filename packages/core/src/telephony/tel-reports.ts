import type { Database } from '@utm5/db';

/**
 * Read-only telephony reports: calls with every part (rpcf_get_tel_report), the directions summary and the call
 * details per zone type. Not implemented yet: see issue 13.
 */
export class TelReports {
  constructor(private readonly db: Database) {
    void this.db;
  }
}
