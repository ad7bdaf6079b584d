import type { Database, Knex } from '@utm5/db';
import type { AccountScope, Span } from '../reports/report-repo';

type Row = Record<string, unknown>;
const num = (v: unknown): number => Number(v ?? 0);
const str = (v: unknown): string => String(v ?? '');

/** One row of rpcf_get_tel_report: a part of a call at one price, with its call's fields. Money in micro-units. */
export interface TelPartRow {
  readonly callId: number;
  readonly accountId: number;
  readonly slinkId: number;
  readonly recvDate: number;
  readonly login: string;
  readonly calling: string;
  readonly called: string;
  readonly sessionId: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
  readonly disconnectCause: string;
  readonly zoneId: number;
  readonly dirId: number;
  readonly flags: number;
  /** The call's reported duration. */
  readonly callDuration: number;
  readonly start: number;
  readonly duration: number;
  readonly basePrice: number;
  readonly mult: number;
  /** Unrounded; the call's fixed cost is in its first part's. */
  readonly cost: number;
}

/** Calls of one direction (zone and direction ids; 0: none) in a span. Money in micro-units, unrounded. */
export interface TelDirectionSum {
  readonly zoneId: number;
  readonly zoneName: string;
  readonly dirId: number;
  readonly dirName: string;
  readonly calls: number;
  readonly seconds: number;
  readonly rounded: number;
  readonly cost: number;
}

/** One call as an invoice's call details list it. */
export interface TelCallDetail {
  readonly callId: number;
  readonly accountId: number;
  readonly calling: string;
  readonly called: string;
  readonly start: number;
  readonly duration: number;
  readonly rounded: number;
  readonly cost: number;
  readonly zoneId: number;
  readonly zoneName: string;
  /** -1: the call is in no zone. */
  readonly zoneType: number;
}

/**
 * Read-only telephony reports: calls with every part (rpcf_get_tel_report), the directions summary and the call
 * details per zone type. Calls are chosen by their start time in [start, end) and by the user/account/group scope.
 */
export class TelReports {
  constructor(private readonly db: Database) {}

  private calls(s: AccountScope, span: Span): Knex.QueryBuilder {
    const q = this.db
      .knex('tel_calls as t')
      .join('accounts as a', 'a.id', 't.account_id')
      .where('t.start_time', '>=', span.start)
      .andWhere('t.start_time', '<', span.end);
    if (s.userId) q.andWhere('a.user_id', s.userId);
    if (s.accountId) q.andWhere('t.account_id', s.accountId);
    if (s.groupId)
      q.whereIn('a.user_id', this.db.knex('user_group_members').where({ group_id: s.groupId }).select('user_id'));
    return q;
  }

  /** Every part of every call, by account, call start, call and part; a call without parts is one row of its own. */
  async parts(s: AccountScope, span: Span): Promise<TelPartRow[]> {
    const rows: Row[] = await this.calls(s, span)
      .leftJoin('tel_call_parts as p', 'p.call_id', 't.id')
      .orderBy([{ column: 't.account_id' }, { column: 't.start_time' }, { column: 't.id' }, { column: 'p.n' }])
      .select(
        't.*',
        'p.n as part_n',
        'p.start_time as part_start',
        'p.duration as part_duration',
        'p.base_cost as part_base',
        'p.cost_mult as part_mult',
        'p.cost as part_cost',
      );
    return rows.map((r) => {
      const whole = r['part_n'] === null || r['part_n'] === undefined;
      const first = whole || num(r['part_n']) === 0;
      return {
        callId: num(r['id']),
        accountId: num(r['account_id']),
        slinkId: num(r['slink_id']),
        recvDate: num(r['recv_date']),
        login: str(r['login']),
        calling: str(r['calling']),
        called: str(r['called']),
        sessionId: str(r['session_id']),
        incomingTrunk: str(r['incoming_trunk']),
        outgoingTrunk: str(r['outgoing_trunk']),
        pbxId: str(r['pbx_id']),
        disconnectCause: str(r['disconnect_cause']),
        zoneId: num(r['zone_id']),
        dirId: num(r['dir_id']),
        flags: num(r['flags']),
        callDuration: num(r['duration']),
        start: whole ? num(r['start_time']) : num(r['part_start']),
        duration: whole ? num(r['rounded']) : num(r['part_duration']),
        basePrice: whole ? 0 : num(r['part_base']),
        mult: whole ? 1 : num(r['part_mult']),
        cost: whole ? num(r['cost']) : num(r['part_cost']) + (first ? num(r['fixed_cost']) : 0),
      };
    });
  }

  /** Calls, seconds, rounded seconds and cost per zone and direction, by zone then direction id. */
  async directions(s: AccountScope, span: Span): Promise<TelDirectionSum[]> {
    const rows: Row[] = await this.calls(s, span)
      .leftJoin('tel_zones as z', 'z.id', 't.zone_id')
      .leftJoin('tel_directions as d', 'd.id', 't.dir_id')
      .groupBy('t.zone_id', 't.dir_id', 'z.name', 'd.name')
      .orderBy([{ column: 't.zone_id' }, { column: 't.dir_id' }])
      .select('t.zone_id', 't.dir_id', 'z.name as zone_name', 'd.name as dir_name')
      .count({ calls: '*' })
      .sum({ seconds: 't.duration', rounded: 't.rounded', cost: 't.cost' });
    return rows.map((r) => ({
      zoneId: num(r['zone_id']),
      zoneName: str(r['zone_name']),
      dirId: num(r['dir_id']),
      dirName: str(r['dir_name']),
      calls: num(r['calls']),
      seconds: num(r['seconds']),
      rounded: num(r['rounded']),
      cost: num(r['cost']),
    }));
  }

  /** The calls of one zone type (-1: every call), by zone type, start and id. */
  async details(s: AccountScope, span: Span, zoneType: number): Promise<TelCallDetail[]> {
    const q = this.calls(s, span).leftJoin('tel_zones as z', 'z.id', 't.zone_id');
    if (zoneType >= 0) q.andWhere('z.zone_type', zoneType);
    const rows: Row[] = await q
      .orderBy([{ column: 'z.zone_type' }, { column: 't.start_time' }, { column: 't.id' }])
      .select(
        't.id',
        't.account_id',
        't.calling',
        't.called',
        't.start_time',
        't.duration',
        't.rounded',
        't.cost',
        't.zone_id',
        'z.name as zone_name',
        'z.zone_type',
      );
    return rows.map((r) => ({
      callId: num(r['id']),
      accountId: num(r['account_id']),
      calling: str(r['calling']),
      called: str(r['called']),
      start: num(r['start_time']),
      duration: num(r['duration']),
      rounded: num(r['rounded']),
      cost: num(r['cost']),
      zoneId: num(r['zone_id']),
      zoneName: str(r['zone_name']),
      zoneType: r['zone_type'] === null || r['zone_type'] === undefined ? -1 : num(r['zone_type']),
    }));
  }
}
