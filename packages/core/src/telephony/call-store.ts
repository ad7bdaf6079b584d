import { sqliteHandle, type Knex, type SqliteHandle } from '@utm5/db';
import { toSLink, type SLink } from '../tariffication/model';
import type { RatedPart, TelUsage } from './model';

/**
 * The call pipeline's reads and writes of one batch, in its transaction. On MariaDB each is one query per chunk
 * whatever the batch's size (IN lists and multi-row inserts cut to stay within the statement limits); on SQLite the
 * per-row ones are prepared statements run on the transaction's connection, a few microseconds a row, where building
 * a multi-row statement through knex cost ten times the database's own work.
 */
const IN_CHUNK = 500;
const USAGE_ROWS = 400;
const CALL_ROWS = 400;
const PART_ROWS = 1000;

type Row = Record<string, unknown>;

async function chunked<T, R>(items: readonly T[], size: number, fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await fn(items.slice(i, i + size))));
  return out;
}

export const usageKey = (slinkId: number, periodId: number, tariffClass: number) =>
  `${slinkId}:${periodId}:${tariffClass}`;

const splitKey = (k: string) => k.split(':').map(Number) as [number, number, number];

const CALL_COLUMNS = [
  'call_uid',
  'source',
  'slink_id',
  'account_id',
  'service_id',
  'period_id',
  'login',
  'calling',
  'called',
  'incoming_trunk',
  'outgoing_trunk',
  'pbx_id',
  'session_id',
  'disconnect_cause',
  'start_time',
  'duration',
  'rounded',
  'zone_id',
  'dir_id',
  'tariff_class',
  'cost',
  'fixed_cost',
  'charged',
  'flags',
  'recv_date',
] as const;

/** A tel_calls row as inserted. */
export type CallRow = Record<(typeof CALL_COLUMNS)[number], string | number>;

const PART_COLUMNS = ['call_id', 'n', 'start_time', 'duration', 'base_cost', 'cost_mult', 'cost', 'prepaid'] as const;

const partRows = (parts: readonly { callId: number; parts: readonly RatedPart[] }[]) =>
  parts.flatMap(({ callId, parts: ps }) =>
    ps.map((p, n) => [callId, n, p.start, p.duration, Math.round(p.basePrice), p.mult, p.cost, p.prepaid ? 1 : 0]),
  );

const insertSql = (table: string, columns: readonly string[], rows = 1) =>
  `insert into ${table} (${columns.join(',')}) values ` +
  Array.from({ length: rows }, () => `(${columns.map(() => '?').join(',')})`).join(',');

/** One batch's reads and writes; made per transaction by callStore(). */
export interface CallStore {
  /** The call uids of these that tel_calls holds already. */
  existingUids(uids: readonly string[]): Promise<Set<string>>;
  /**
   * The links, locked: a period close on another connection (MariaDB) cannot move them to the next period while
   * their calls are charged to this one.
   */
  lockedLinks(ids: readonly number[]): Promise<Map<number, SLink>>;
  /** Accounts under a block (any type) among these. */
  blockedAccounts(ids: readonly number[]): Promise<Set<number>>;
  /** tel_usage rows of these usageKeys (absent: none yet). */
  loadUsage(keys: Iterable<string>): Promise<Map<string, TelUsage>>;
  /** Writes the usage counters as they stand after the batch (absolute values: the links are locked). */
  saveUsage(usage: ReadonlyMap<string, TelUsage>): Promise<void>;
  /** Inserts the calls; their ids, in the rows' order. */
  insertCalls(rows: readonly CallRow[]): Promise<number[]>;
  insertParts(parts: readonly { callId: number; parts: readonly RatedPart[] }[]): Promise<void>;
}

/** The batch's store: prepared statements on SQLite, multi-row statements elsewhere. */
export async function callStore(trx: Knex.Transaction): Promise<CallStore> {
  const sqlite = await sqliteHandle(trx);
  return sqlite ? new SqliteCallStore(trx, sqlite) : new KnexCallStore(trx);
}

/** The reads of a few rows per link and account, the same on both backends. */
abstract class LinkReads {
  constructor(protected readonly trx: Knex.Transaction) {}

  async lockedLinks(ids: readonly number[]): Promise<Map<number, SLink>> {
    const sorted = [...ids].sort((a, b) => a - b);
    const rows: Row[] = await chunked(sorted, IN_CHUNK, (c) => this.trx('service_links').whereIn('id', c).forUpdate());
    return new Map(rows.map((r) => [Number(r['id']), toSLink(r)]));
  }

  async blockedAccounts(ids: readonly number[]): Promise<Set<number>> {
    const rows: Row[] = await chunked(ids, IN_CHUNK, (c) =>
      this.trx('accounts').whereIn('id', c).andWhere('block_type', '<>', 0).select('id'),
    );
    return new Set(rows.map((r) => Number(r['id'])));
  }
}

class KnexCallStore extends LinkReads implements CallStore {
  async existingUids(uids: readonly string[]): Promise<Set<string>> {
    const rows = await chunked(uids, IN_CHUNK, (c) => this.trx('tel_calls').whereIn('call_uid', c).select('call_uid'));
    return new Set(rows.map((r: { call_uid: string }) => String(r.call_uid)));
  }

  async loadUsage(keys: Iterable<string>): Promise<Map<string, TelUsage>> {
    const want = new Set(keys);
    const links = [...new Set([...want].map((k) => splitKey(k)[0]))];
    // By link (the primary key's first column), the link's other periods and classes filtered out here.
    const rows: Row[] = await chunked(links, IN_CHUNK, (c) => this.trx('tel_usage').whereIn('slink_id', c));
    const out = new Map<string, TelUsage>();
    for (const r of rows) {
      const key = usageKey(Number(r['slink_id']), Number(r['period_id']), Number(r['tariff_class']));
      if (want.has(key)) out.set(key, { used: Number(r['used']), prepaidUsed: Number(r['prepaid_used']) });
    }
    return out;
  }

  async saveUsage(usage: ReadonlyMap<string, TelUsage>): Promise<void> {
    const rows = [...usage].map(([k, u]) => {
      const [slink_id, period_id, tariff_class] = splitKey(k);
      return { slink_id, period_id, tariff_class, used: u.used, prepaid_used: u.prepaidUsed };
    });
    await chunked(rows, USAGE_ROWS, async (c) => {
      await this.trx('tel_usage')
        .insert(c)
        .onConflict(['slink_id', 'period_id', 'tariff_class'])
        .merge(['used', 'prepaid_used']);
      return [];
    });
  }

  /**
   * A multi-row insert written as SQL with bindings: the query builder's per-row normalising costs more than the
   * database's work for batches of thousands of calls. Names are the code's own identifiers, never input.
   */
  private async insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly (string | number)[])[],
    size: number,
  ): Promise<void> {
    await chunked(rows, size, async (c) => {
      await this.trx.raw(insertSql(table, columns, c.length), c.flat());
      return [];
    });
  }

  async insertCalls(rows: readonly CallRow[]): Promise<number[]> {
    await this.insertRows(
      'tel_calls',
      CALL_COLUMNS,
      rows.map((r) => CALL_COLUMNS.map((c) => r[c])),
      CALL_ROWS,
    );
    // Read back by uid: a multi-row insert is not promised consecutive ids under concurrent writers.
    const got = await chunked(
      rows.map((r) => String(r['call_uid'])),
      IN_CHUNK,
      (c) => this.trx('tel_calls').whereIn('call_uid', c).select('id', 'call_uid'),
    );
    const ids = new Map(got.map((r: { id: number; call_uid: string }) => [String(r.call_uid), Number(r.id)]));
    return rows.map((r) => ids.get(String(r['call_uid']))!);
  }

  async insertParts(parts: readonly { callId: number; parts: readonly RatedPart[] }[]): Promise<void> {
    await this.insertRows('tel_call_parts', PART_COLUMNS, partRows(parts), PART_ROWS);
  }
}

class SqliteCallStore extends LinkReads implements CallStore {
  constructor(
    trx: Knex.Transaction,
    private readonly db: SqliteHandle,
  ) {
    super(trx);
  }

  async existingUids(uids: readonly string[]): Promise<Set<string>> {
    const st = this.db.prepare('select 1 as x from tel_calls where call_uid = ?');
    return new Set(uids.filter((u) => st.get(u) !== undefined));
  }

  async loadUsage(keys: Iterable<string>): Promise<Map<string, TelUsage>> {
    const st = this.db.prepare(
      'select used, prepaid_used from tel_usage where slink_id = ? and period_id = ? and tariff_class = ?',
    );
    const out = new Map<string, TelUsage>();
    for (const k of keys) {
      const r = st.get(...splitKey(k)) as { used: number; prepaid_used: number } | undefined;
      if (r) out.set(k, { used: Number(r.used), prepaidUsed: Number(r.prepaid_used) });
    }
    return out;
  }

  async saveUsage(usage: ReadonlyMap<string, TelUsage>): Promise<void> {
    const st = this.db.prepare(
      'insert into tel_usage (slink_id, period_id, tariff_class, used, prepaid_used) values (?, ?, ?, ?, ?) ' +
        'on conflict (slink_id, period_id, tariff_class) do update set used = excluded.used, ' +
        'prepaid_used = excluded.prepaid_used',
    );
    for (const [k, u] of usage) st.run(...splitKey(k), u.used, u.prepaidUsed);
  }

  async insertCalls(rows: readonly CallRow[]): Promise<number[]> {
    const st = this.db.prepare(insertSql('tel_calls', CALL_COLUMNS));
    // One connection, one writer: the id SQLite gives each insert is the call's.
    return rows.map((r) => Number(st.run(CALL_COLUMNS.map((c) => r[c])).lastInsertRowid));
  }

  async insertParts(parts: readonly { callId: number; parts: readonly RatedPart[] }[]): Promise<void> {
    const st = this.db.prepare(insertSql('tel_call_parts', PART_COLUMNS));
    for (const p of partRows(parts)) st.run(p);
  }
}
