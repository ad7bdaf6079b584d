// Over ~400 lines: one read-only query per UTM5 report, all sharing the account/user/group scope filter built here.
import { withArchives, type ArchiveSource, type Database, type Knex } from '@utm5/db';

/**
 * What UTM5's reports read: rows of many tables (ledger, blockings, transfers, traffic, sessions) joined to the
 * accounts and users they belong to. Read-only: the tables stay owned by the services that write them.
 */

/** Which accounts a report covers: of a user, one account, the users of a group; 0 is any. */
export interface AccountScope {
  readonly userId: number;
  readonly accountId: number;
  readonly groupId: number;
}

/** [start, end), unix seconds. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface BlockReportRow {
  readonly id: number;
  readonly accountId: number;
  readonly login: string;
  readonly fullName: string;
  readonly startDate: number;
  readonly expireDate: number;
  readonly blockType: number;
  readonly comment: string;
  readonly isDeleted: boolean;
}

/** A ledger entry of an account in scope; amount and tax in micro-units, amount signed as its effect on the balance. */
export interface LedgerReportRow {
  readonly id: number;
  readonly accountId: number;
  readonly login: string;
  readonly fullName: string;
  readonly ts: number;
  readonly kind: string;
  readonly amount: number;
  readonly tax: number;
  readonly periodId: number;
  readonly serviceType: number;
  /** '' when the entry is not for a service (or the service is gone). */
  readonly serviceName: string;
}

/** One account's ledger entry, as the account's own statement lists it. */
export interface LedgerEntry {
  readonly id: number;
  readonly ts: number;
  readonly kind: string;
  readonly amount: number;
  readonly creditDelta: number;
  readonly refType: string;
  readonly refId: number;
  readonly comment: string;
}

/** Ledger sums of one account by kind, service type and accounting period, before the report's start or after it. */
export interface LedgerTotal {
  readonly accountId: number;
  readonly kind: string;
  readonly serviceType: number;
  readonly periodId: number;
  /** Entries before the span's start (they make the opening balance). */
  readonly early: boolean;
  readonly amount: number;
  readonly tax: number;
}

export interface ReportAccount {
  readonly id: number;
  readonly login: string;
  readonly fullName: string;
}

export interface FundsFlowRow {
  readonly id: number;
  readonly accountIdFrom: number;
  readonly accountIdTo: number;
  readonly amount: number;
  readonly date: number;
  readonly userId: number;
  readonly login: string;
  readonly fullName: string;
}

/** An account's pool of expiring payments, with what was charged off the account since the pool started. */
export interface ExpiringPoolRow {
  readonly accountId: number;
  readonly login: string;
  readonly firstPayment: number;
  readonly lastPayment: number;
  readonly burnDate: number;
  readonly total: number;
  /** Service charges since the pool started, micro-units, positive. */
  readonly charged: number;
}

/** A RADIUS session as the sessions report lists it. */
export interface SessionReportRow {
  readonly id: number;
  readonly accountId: number;
  readonly slinkId: number;
  readonly startedAt: number;
  readonly updatedAt: number;
  readonly stoppedAt: number;
  readonly calledStation: string;
  readonly callingStation: string;
  readonly framedIp: string;
  readonly nasPort: number;
  readonly acctSessionId: string;
  readonly nasPortType: number;
  /** The session's User-Name (not the user's login). */
  readonly userName: string;
  readonly serviceType: number;
  readonly nasIp: string;
  readonly nasIdentifier: string;
  readonly acctStatus: number;
  readonly inPackets: number;
  readonly inOctets: number;
  readonly outPackets: number;
  readonly outOctets: number;
  readonly duration: number;
  readonly terminateCause: string;
  readonly charged: number;
}

/**
 * Statistics are pre-summed by the database in SLOT-second slots (ts - ts % SLOT): every zone's offset from UTC is a
 * multiple of 15 minutes, so a slot never straddles a local hour, day or month, and the zone arithmetic runs once per
 * slot rather than once per stored row.
 */
export const SLOT = 900;

/** What one sum of traffic_stats is keyed by besides account and class: nothing, the SLOT it starts in, or the address. */
export type StatsKey = 'none' | 'slot' | 'ip';

/** Bytes and accrued cost (micro-units) of one account and class, per key; key is 0, a slot start or an address. */
export interface TrafficSum {
  readonly accountId: number;
  readonly login: string;
  readonly tclass: number;
  readonly key: number | string;
  readonly bytes: number;
  readonly cost: number;
}

export interface StatsWindow extends Span {
  /** 0: any; otherwise only traffic the collector with this id sent (traffic_stats.collector_id). */
  readonly collector: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

export class ReportRepo {
  constructor(private readonly db: Database) {}

  private get k(): Knex {
    return this.db.knex;
  }

  /** Narrows a query joined to accounts `a` and users `u` to the scope. */
  private inScope(q: Knex.QueryBuilder, s: AccountScope): Knex.QueryBuilder {
    if (s.userId) q = q.andWhere('u.id', s.userId);
    if (s.accountId) q = q.andWhere('a.id', s.accountId);
    if (s.groupId) q = q.whereIn('u.id', this.k('user_group_members').where({ group_id: s.groupId }).select('user_id'));
    return q;
  }

  /** A table as `alias`, with its archives for the span of dateCol (see withArchives). */
  private from(table: string, alias: string, dateCol: string, span: Span): Promise<ArchiveSource> {
    return withArchives(this.db, table, alias, { column: dateCol, span });
  }

  /**
   * Rows `t` of a table (and its archives) of the accounts in scope with dateCol in the span, by account then id.
   * Wrapped: a query builder is thenable, and an async function would run it instead of returning it.
   */
  private async scoped(table: string, dateCol: string, s: AccountScope, span: Span): Promise<{ q: Knex.QueryBuilder }> {
    const q = this.inScope(
      this.k
        .from((await this.from(table, 't', dateCol, span)).source)
        .join('accounts as a', 'a.id', 't.account_id')
        .join('users as u', 'u.id', 'a.user_id')
        .where(`t.${dateCol}`, '>=', span.start)
        .andWhere(`t.${dateCol}`, '<', span.end),
      s,
    )
      .orderBy('t.account_id')
      .orderBy('t.id');
    return { q };
  }

  /** Blockings started in the span; without all, only those not ended. */
  async blocks(s: AccountScope, span: Span, all: boolean): Promise<BlockReportRow[]> {
    let { q } = await this.scoped('blocks_info', 'start_date', s, span);
    if (!all) q = q.andWhere('t.is_deleted', false);
    const rows: Row[] = await q.select(
      't.id',
      't.account_id',
      'u.login',
      'u.full_name',
      't.start_date',
      't.expire_date',
      't.block_type',
      't.comment',
      't.is_deleted',
    );
    return rows.map((r) => ({
      id: num(r['id']),
      accountId: num(r['account_id']),
      login: String(r['login']),
      fullName: String(r['full_name']),
      startDate: num(r['start_date']),
      expireDate: num(r['expire_date']),
      blockType: num(r['block_type']),
      comment: String(r['comment']),
      isDeleted: Boolean(r['is_deleted']),
    }));
  }

  /** Ledger entries of the given kinds in the span, with the service they were for. */
  async ledgerEntries(s: AccountScope, span: Span, kinds: readonly string[]): Promise<LedgerReportRow[]> {
    const rows: Row[] = await (
      await this.scoped('account_ledger', 'ts', s, span)
    ).q
      .leftJoin('services as s', 's.id', 't.service_id')
      .whereIn('t.kind', kinds)
      .select(
        't.id',
        't.account_id',
        'u.login',
        'u.full_name',
        't.ts',
        't.kind',
        't.amount',
        't.tax',
        't.period_id',
        't.service_type',
        's.name as service_name',
      );
    return rows.map((r) => ({
      id: num(r['id']),
      accountId: num(r['account_id']),
      login: String(r['login']),
      fullName: String(r['full_name']),
      ts: num(r['ts']),
      kind: String(r['kind']),
      amount: num(r['amount']),
      tax: num(r['tax']),
      periodId: num(r['period_id']),
      serviceType: num(r['service_type']),
      serviceName: String(r['service_name'] ?? ''),
    }));
  }

  /** Every ledger entry of one account in the span, in order. */
  async accountLedger(accountId: number, span: Span): Promise<LedgerEntry[]> {
    const rows: Row[] = await this.k
      .from((await this.from('account_ledger', 'l', 'ts', span)).source)
      .where({ account_id: accountId })
      .andWhere('ts', '>=', span.start)
      .andWhere('ts', '<', span.end)
      .orderBy('id');
    return rows.map((r) => ({
      id: num(r['id']),
      ts: num(r['ts']),
      kind: String(r['kind']),
      amount: num(r['amount']),
      creditDelta: num(r['credit_delta']),
      refType: String(r['ref_type']),
      refId: num(r['ref_id']),
      comment: String(r['comment']),
    }));
  }

  /** The accounts in scope that are not deleted, by id. */
  async accounts(s: AccountScope): Promise<ReportAccount[]> {
    const rows: Row[] = await this.inScope(this.k('accounts as a').join('users as u', 'u.id', 'a.user_id'), s)
      .where('a.is_deleted', false)
      .orderBy('a.id')
      .select('a.id', 'u.login', 'u.full_name');
    return rows.map((r) => ({ id: num(r['id']), login: String(r['login']), fullName: String(r['full_name']) }));
  }

  /**
   * Ledger sums of the accounts in scope (not deleted) up to end, split at start: one pass, summed by the database. The
   * accounts go in as a subquery (a list of ids would break SQLite's variable limit with a large group).
   */
  async ledgerTotals(s: AccountScope, span: Span): Promise<LedgerTotal[]> {
    const k = this.k;
    const chosen = this.inScope(k('accounts as a').join('users as u', 'u.id', 'a.user_id'), s)
      .where('a.is_deleted', false)
      .select('a.id');
    const rows: Row[] = await k
      .from((await this.from('account_ledger', 'l', 'ts', { start: 0, end: span.end })).source)
      .whereIn('account_id', chosen)
      .andWhere('ts', '<', span.end)
      .select(
        'account_id',
        'kind',
        'service_type',
        'period_id',
        k.raw('case when ts < ? then 1 else 0 end as early', [span.start]),
      )
      .sum({ s: 'amount', t: 'tax' })
      .groupBy('account_id', 'kind', 'service_type', 'period_id', 'early');
    return rows.map((r) => ({
      accountId: num(r['account_id']),
      kind: String(r['kind']),
      serviceType: num(r['service_type']),
      periodId: num(r['period_id']),
      early: Boolean(Number(r['early'])),
      amount: num(r['s']),
      tax: num(r['t']),
    }));
  }

  /** Transfers between accounts in the span, of one user (0: any), by id. */
  async fundsFlow(span: Span, userId: number): Promise<FundsFlowRow[]> {
    let q = this.k('funds_flow as f')
      .join('users as u', 'u.id', 'f.user_id')
      .where('f.date', '>=', span.start)
      .andWhere('f.date', '<', span.end);
    if (userId) q = q.andWhere('f.user_id', userId);
    const rows: Row[] = await q
      .orderBy('f.id')
      .select(
        'f.id',
        'f.account_id_from',
        'f.account_id_to',
        'f.amount',
        'f.date',
        'f.user_id',
        'u.login',
        'u.full_name',
      );
    return rows.map((r) => ({
      id: num(r['id']),
      accountIdFrom: num(r['account_id_from']),
      accountIdTo: num(r['account_id_to']),
      amount: num(r['amount']),
      date: num(r['date']),
      userId: num(r['user_id']),
      login: String(r['login']),
      fullName: String(r['full_name']),
    }));
  }

  /** Expiring-payment pools paid into within the span (first payment before end, last at or after start), by account. */
  async expiringPools(span: Span, userId: number): Promise<ExpiringPoolRow[]> {
    const k = this.k;
    let q = k('expiring_pools as p')
      .join('accounts as a', 'a.id', 'p.account_id')
      .join('users as u', 'u.id', 'a.user_id')
      .where('p.last_payment', '>=', span.start)
      .andWhere('p.first_payment', '<', span.end);
    if (userId) q = q.andWhere('u.id', userId);
    const rows: Row[] = await q.orderBy('p.account_id').select('p.*', 'u.login');
    return Promise.all(
      rows.map(async (r) => {
        const [{ c }] = await k('account_ledger')
          .where({ account_id: num(r['account_id']), kind: 'charge' })
          .andWhere('ts', '>=', num(r['started_at']))
          .sum({ c: 'amount' });
        return {
          accountId: num(r['account_id']),
          login: String(r['login']),
          firstPayment: num(r['first_payment']),
          lastPayment: num(r['last_payment']),
          burnDate: num(r['burn_date']),
          total: num(r['total']),
          charged: -Number(c ?? 0),
        };
      }),
    );
  }

  /**
   * Sums of the traffic statistics of the accounts in scope, summed by the database so a report never loads single
   * records.
   */
  async trafficSums(s: AccountScope, w: StatsWindow, by: StatsKey): Promise<TrafficSum[]> {
    const k = this.k;
    let q = this.inScope(
      k
        .from((await this.from('traffic_stats', 't', 'ts', w)).source)
        .join('accounts as a', 'a.id', 't.account_id')
        .join('users as u', 'u.id', 'a.user_id')
        .where('t.ts', '>=', w.start)
        .andWhere('t.ts', '<', w.end),
      s,
    );
    if (w.collector) q = q.andWhere('t.collector_id', w.collector);
    q = q
      .select('t.account_id', 'u.login', 't.tclass_id')
      .sum({ bytes: 't.bytes', cost: 't.cost' })
      .groupBy('t.account_id', 'u.login', 't.tclass_id');
    if (by === 'slot') q = q.select(k.raw(`t.ts - (t.ts % ${SLOT}) as k`)).groupByRaw(`t.ts - (t.ts % ${SLOT})`);
    else if (by === 'ip') q = q.select('t.ip as k').groupBy('t.ip');
    const rows: Row[] = await q;
    return rows.map((r) => ({
      accountId: Number(r['account_id']),
      login: String(r['login']),
      tclass: Number(r['tclass_id']),
      key: by === 'ip' ? String(r['k']) : by === 'slot' ? Number(r['k']) : 0,
      bytes: num(r['bytes']),
      cost: num(r['cost']),
    }));
  }

  /** RADIUS sessions of the accounts in scope started in the span, by account then id. */
  async sessions(s: AccountScope, span: Span): Promise<SessionReportRow[]> {
    const rows: Row[] = await (await this.scoped('radius_sessions', 'started_at', s, span)).q.select('t.*');
    return rows.map((r) => ({
      id: num(r['id']),
      accountId: num(r['account_id']),
      slinkId: num(r['slink_id']),
      startedAt: num(r['started_at']),
      updatedAt: num(r['updated_at']),
      stoppedAt: num(r['stopped_at']),
      calledStation: String(r['called_station']),
      callingStation: String(r['calling_station']),
      framedIp: String(r['framed_ip']),
      nasPort: num(r['nas_port']),
      acctSessionId: String(r['acct_session_id']),
      nasPortType: num(r['nas_port_type']),
      userName: String(r['login']),
      serviceType: num(r['service_type']),
      nasIp: String(r['nas_ip']),
      nasIdentifier: String(r['nas_identifier']),
      acctStatus: num(r['acct_status']),
      inPackets: num(r['in_packets']),
      inOctets: num(r['in_octets']),
      outPackets: num(r['out_packets']),
      outOctets: num(r['out_octets']),
      duration: num(r['duration']),
      terminateCause: String(r['terminate_cause']),
      charged: num(r['charged']),
    }));
  }
}
