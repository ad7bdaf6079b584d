import type { Database } from '@utm5/db';

/** A session utm5_radius reported open, as rpcf_radius_get_active_sessions lists it. */
export interface OpenSession {
  readonly id: number;
  readonly acctSessionId: string;
  /** The session's User-Name. */
  readonly login: string;
  readonly nasIp: string;
  readonly serviceType: number;
  /** '' when the NAS gave none. */
  readonly framedIp: string;
  readonly startedAt: number;
  /** The last accounting request. */
  readonly updatedAt: number;
  readonly calledStation: string;
  readonly callingStation: string;
}

/** Reads of radius_sessions for the URFA functions; RadiusSessions writes the rows as utm5_radius reports them. */
export class RadiusSessionRepo {
  constructor(private readonly db: Database) {}

  /** The sessions not stopped, oldest (lowest id) first. */
  async open(): Promise<OpenSession[]> {
    const rows: Record<string, unknown>[] = await this.db
      .knex('radius_sessions')
      .where({ stopped_at: 0 })
      .orderBy('id');
    return rows.map((r) => ({
      id: Number(r['id']),
      acctSessionId: String(r['acct_session_id']),
      login: String(r['login']),
      nasIp: String(r['nas_ip']),
      serviceType: Number(r['service_type']),
      framedIp: String(r['framed_ip']),
      startedAt: Number(r['started_at']),
      updatedAt: Number(r['updated_at']),
      calledStation: String(r['called_station']),
      callingStation: String(r['calling_station']),
    }));
  }
}
