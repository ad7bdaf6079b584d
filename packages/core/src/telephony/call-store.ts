import type { Knex } from '@utm5/db';
import { toSLink, type SLink } from '../tariffication/model';
import type { RatedPart, TelUsage } from './model';

/**
 * The call pipeline's reads and writes, each one query per chunk of a batch whatever its size: IN lists and
 * multi-row inserts are cut to stay within SQLite's and MariaDB's statement limits.
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

/** The call uids of these that tel_calls holds already. */
export async function existingUids(trx: Knex.Transaction, uids: readonly string[]): Promise<Set<string>> {
  const rows = await chunked(uids, IN_CHUNK, (c) => trx('tel_calls').whereIn('call_uid', c).select('call_uid'));
  return new Set(rows.map((r: { call_uid: string }) => String(r.call_uid)));
}

/**
 * The links, locked: a period close on another connection (MariaDB) cannot move them to the next period while
 * their calls are charged to this one.
 */
export async function lockedLinks(trx: Knex.Transaction, ids: readonly number[]): Promise<Map<number, SLink>> {
  const sorted = [...ids].sort((a, b) => a - b);
  const rows: Row[] = await chunked(sorted, IN_CHUNK, (c) => trx('service_links').whereIn('id', c).forUpdate());
  return new Map(rows.map((r) => [Number(r['id']), toSLink(r)]));
}

/** Accounts under a block (any type) among these. */
export async function blockedAccounts(trx: Knex.Transaction, ids: readonly number[]): Promise<Set<number>> {
  const rows: Row[] = await chunked(ids, IN_CHUNK, (c) =>
    trx('accounts').whereIn('id', c).andWhere('block_type', '<>', 0).select('id'),
  );
  return new Set(rows.map((r) => Number(r['id'])));
}

export const usageKey = (slinkId: number, periodId: number, tariffClass: number) =>
  `${slinkId}:${periodId}:${tariffClass}`;

/** tel_usage of the links in their periods, by usageKey. */
export async function loadUsage(
  trx: Knex.Transaction,
  links: readonly { slinkId: number; periodId: number }[],
): Promise<Map<string, TelUsage>> {
  const want = new Set(links.map((l) => `${l.slinkId}:${l.periodId}`));
  const rows: Row[] = await chunked([...new Set(links.map((l) => l.slinkId))], IN_CHUNK, (c) =>
    trx('tel_usage').whereIn('slink_id', c),
  );
  const out = new Map<string, TelUsage>();
  for (const r of rows) {
    const s = Number(r['slink_id']);
    const p = Number(r['period_id']);
    if (!want.has(`${s}:${p}`)) continue;
    out.set(usageKey(s, p, Number(r['tariff_class'])), {
      used: Number(r['used']),
      prepaidUsed: Number(r['prepaid_used']),
    });
  }
  return out;
}

/** Writes the usage counters as they stand after the batch (absolute values: the links are locked). */
export async function saveUsage(trx: Knex.Transaction, usage: ReadonlyMap<string, TelUsage>): Promise<void> {
  const rows = [...usage].map(([k, u]) => {
    const [slink_id, period_id, tariff_class] = k.split(':').map(Number);
    return { slink_id, period_id, tariff_class, used: u.used, prepaid_used: u.prepaidUsed };
  });
  // knex writes a multi-row insert on SQLite as a compound SELECT, which SQLite caps at 500 terms.
  await chunked(rows, USAGE_ROWS, async (c) => {
    await trx('tel_usage')
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
async function insertRows(
  trx: Knex.Transaction,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  size: number,
): Promise<void> {
  const one = `(${columns.map(() => '?').join(',')})`;
  await chunked(rows, size, async (c) => {
    await trx.raw(`insert into ${table} (${columns.join(',')}) values ${c.map(() => one).join(',')}`, c.flat());
    return [];
  });
}

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

/** Inserts the calls and returns their ids by call uid. */
export async function insertCalls(trx: Knex.Transaction, rows: readonly CallRow[]): Promise<Map<string, number>> {
  await insertRows(
    trx,
    'tel_calls',
    CALL_COLUMNS,
    rows.map((r) => CALL_COLUMNS.map((c) => r[c])),
    CALL_ROWS,
  );
  // Read back by uid: neither backend promises consecutive ids for a multi-row insert under concurrent writers.
  const ids = await chunked(
    rows.map((r) => String(r['call_uid'])),
    IN_CHUNK,
    (c) => trx('tel_calls').whereIn('call_uid', c).select('id', 'call_uid'),
  );
  return new Map(ids.map((r: { id: number; call_uid: string }) => [String(r.call_uid), Number(r.id)]));
}

export async function insertParts(
  trx: Knex.Transaction,
  parts: readonly { callId: number; parts: readonly RatedPart[] }[],
): Promise<void> {
  const rows = parts.flatMap(({ callId, parts: ps }) =>
    ps.map((p, n) => [callId, n, p.start, p.duration, Math.round(p.basePrice), p.mult, p.cost, p.prepaid ? 1 : 0]),
  );
  await insertRows(
    trx,
    'tel_call_parts',
    ['call_id', 'n', 'start_time', 'duration', 'base_cost', 'cost_mult', 'cost', 'prepaid'],
    rows,
    PART_ROWS,
  );
}
