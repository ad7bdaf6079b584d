import type { Knex } from '@utm5/db';
import { BillingError, badInput as bad } from '../billing/billing-error';
import { compileDirectionPattern } from './directions';
import type { TelDirection } from './model';
import { servicesPricing, zoneRepo } from './zone-repo';

type K = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/** A direction as rpcf_add_tel_direction carries it; dirType is kept only in no zone (in one, it is the zone's type). */
export type TelDirectionDef = Omit<TelDirection, 'id'> & { readonly dirType: number };

export interface TelDirectionRow extends TelDirection {
  readonly supplierId: number;
  readonly dirType: number;
  readonly createDate: number;
  readonly updateDate: number;
}

function toDirection(r: Row): TelDirectionRow {
  return {
    id: Number(r['id']),
    zoneId: Number(r['zone_id']),
    supplierId: Number(r['supplier_id']),
    name: String(r['name']),
    calledPrefix: String(r['called_prefix']),
    callingPrefix: String(r['calling_prefix']),
    calledRegexp: Boolean(r['called_regexp']),
    callingRegexp: Boolean(r['calling_regexp']),
    incomingTrunk: String(r['incoming_trunk']),
    outgoingTrunk: String(r['outgoing_trunk']),
    pbxId: String(r['pbx_id']),
    skip: Boolean(r['skip']),
    dirType: Number(r['dir_type']),
    createDate: Number(r['create_date']),
    updateDate: Number(r['update_date']),
  };
}

/** Search fields of rpcf_search_tel_dirs (its `field`), and the column each reads. */
export const DIR_FIELD: Readonly<Record<number, { column: string; numeric: boolean }>> = {
  1: { column: 'id', numeric: true },
  2: { column: 'name', numeric: false },
  3: { column: 'zone_id', numeric: true },
  4: { column: 'calling_prefix', numeric: false },
  5: { column: 'called_prefix', numeric: false },
  6: { column: 'incoming_trunk', numeric: false },
  7: { column: 'outgoing_trunk', numeric: false },
  8: { column: 'pbx_id', numeric: false },
  9: { column: 'skip', numeric: true },
  10: { column: 'create_date', numeric: true },
  11: { column: 'update_date', numeric: true },
};

/** Criteria of the search functions (rpcf_search_cards' numbering): the SQL operator of each. */
export const CRITERIA: Readonly<Record<number, string>> = {
  1: 'like',
  3: '=',
  4: '<>',
  7: '>',
  8: '<',
  9: '>=',
  10: '<=',
  11: 'not like',
};

export interface DirSearch {
  /** 0: every condition must hold; 1: any one. */
  readonly any: boolean;
  readonly params: readonly { field: number; criteria: number; value: string }[];
  readonly skipIds: readonly number[];
}

const MAX_PATTERN = 255;

function checkPattern(where: string, field: string, p: string, regexp: boolean): void {
  if (p.length > MAX_PATTERN) throw bad(`${where}: ${field} is longer than ${MAX_PATTERN} characters`);
  if (!regexp || p === '') {
    if (/\s/.test(p)) throw bad(`${where}: ${field} '${p}' must not contain spaces`);
    return;
  }
  const re = compileDirectionPattern(p);
  if (typeof re === 'string') throw bad(`${where}: ${field} '${p}' is not a usable regular expression: ${re}`);
}

/** tel_directions: soft-deleted (is_deleted), as calls and reports keep their ids. */
export const directionRepo = {
  async get(k: K, id: number): Promise<TelDirectionRow | undefined> {
    const r = await k('tel_directions').where({ id, is_deleted: false }).first();
    return r ? toDirection(r) : undefined;
  },

  async require(k: K, id: number, where: string): Promise<TelDirectionRow> {
    const d = await this.get(k, id);
    if (!d) throw bad(`${where}: no telephone direction ${id}`);
    return d;
  },

  async ofZone(k: K, zoneId: number): Promise<TelDirectionRow[]> {
    return ((await k('tel_directions').where({ zone_id: zoneId, is_deleted: false }).orderBy('id')) as Row[]).map(
      toDirection,
    );
  },

  /** Live directions by id, without the skipped ids, from `start`, at most `count` (count <= 0: all). */
  async list(k: K, skipIds: readonly number[], start = 0, count = 0): Promise<TelDirectionRow[]> {
    const q = k('tel_directions').where({ is_deleted: false }).orderBy('id');
    if (skipIds.length > 0) q.whereNotIn('id', [...skipIds]);
    if (start > 0) q.offset(start);
    if (count > 0) q.limit(count);
    else if (start > 0) q.limit(Number.MAX_SAFE_INTEGER);
    return ((await q) as Row[]).map(toDirection);
  },

  async count(k: K, skipIds: readonly number[]): Promise<number> {
    const q = k('tel_directions').where({ is_deleted: false });
    if (skipIds.length > 0) q.whereNotIn('id', [...skipIds]);
    const r = await q.count({ n: '*' }).first();
    return Number(r?.n ?? 0);
  },

  async search(k: K, s: DirSearch, offset = 0, count = 0): Promise<TelDirectionRow[]> {
    const conds = s.params.map((p, i) => {
      const f = DIR_FIELD[p.field];
      if (!f)
        throw bad(`search directions: condition ${i}: field ${p.field} is not 1..11 (see the function's comment)`);
      const op = CRITERIA[p.criteria];
      if (!op) throw bad(`search directions: condition ${i}: criteria ${p.criteria} is not 1, 3, 4, 7, 8, 9, 10 or 11`);
      if (op.includes('like')) return { column: f.column, op, value: p.value as string | number };
      if (!f.numeric) return { column: f.column, op, value: p.value as string | number };
      const v = Number(p.value);
      if (p.value.trim() === '' || !Number.isFinite(v))
        throw bad(`search directions: condition ${i}: '${p.value}' is not a number (field ${p.field})`);
      return { column: f.column, op, value: v as string | number };
    });
    const q = k('tel_directions').where({ is_deleted: false }).orderBy('id');
    if (s.skipIds.length > 0) q.whereNotIn('id', [...s.skipIds]);
    if (conds.length > 0)
      q.where((w) => {
        for (const c of conds) {
          if (s.any) w.orWhere(c.column, c.op, c.value);
          else w.andWhere(c.column, c.op, c.value);
        }
      });
    if (offset > 0) q.offset(offset);
    if (count > 0) q.limit(count);
    else if (offset > 0) q.limit(Number.MAX_SAFE_INTEGER);
    return ((await q) as Row[]).map(toDirection);
  },

  async add(trx: Knex.Transaction, d: TelDirectionDef, now: number): Promise<number> {
    const type = await check(trx, d, 0);
    const [id] = await trx('tel_directions').insert({
      ...columns(d),
      dir_type: type,
      create_date: now,
      update_date: now,
    });
    return Number(id);
  },

  async edit(trx: Knex.Transaction, id: number, d: TelDirectionDef, now: number): Promise<void> {
    await this.require(trx, id, `edit direction '${d.name}'`);
    const type = await check(trx, d, id);
    await trx('tel_directions')
      .where({ id })
      .update({ ...columns(d), dir_type: type, update_date: now });
  },

  /** A direction a service prices on its own cannot go: its calls would fall to the zone's price unnoticed. */
  async remove(trx: Knex.Transaction, id: number, now: number): Promise<void> {
    await this.require(trx, id, 'remove direction');
    const priced = await servicesPricing(trx, -id);
    if (priced.length > 0)
      throw new BillingError(
        'UTM_IN_USE',
        `direction ${id} is priced by telephony service(s) ${priced.join(', ')}: remove it from them first`,
      );
    await trx('tel_directions').where({ id }).update({ is_deleted: true, update_date: now });
  },
};

function columns(d: TelDirectionDef): Row {
  return {
    zone_id: d.zoneId,
    name: d.name,
    called_prefix: d.calledPrefix,
    calling_prefix: d.callingPrefix,
    called_regexp: d.calledRegexp,
    calling_regexp: d.callingRegexp,
    incoming_trunk: d.incomingTrunk,
    outgoing_trunk: d.outgoingTrunk,
    pbx_id: d.pbxId,
    skip: d.skip,
  };
}

/** Checks a direction; returns its type (its zone's; 0 in no zone). */
async function check(trx: Knex.Transaction, d: TelDirectionDef, id: number): Promise<number> {
  const where = `direction '${d.name}'`;
  if (!d.name.trim()) throw bad('a telephone direction needs a name');
  if (d.zoneId < 0) throw bad(`${where}: zone_id ${d.zoneId} must be a zone id or 0 (in no zone)`);
  const zone = d.zoneId > 0 ? await zoneRepo.require(trx, d.zoneId, where) : undefined;
  if (!zone && !(d.dirType >= 0 && d.dirType <= 3))
    throw bad(`${where}: dir_type ${d.dirType} must be 0 local, 1 innerzone, 2 intercity or 3 international`);
  checkPattern(where, 'called_prefix', d.calledPrefix, d.calledRegexp);
  checkPattern(where, 'calling_prefix', d.callingPrefix, d.callingRegexp);
  for (const [field, v] of [
    ['incoming_trunk', d.incomingTrunk],
    ['outgoing_trunk', d.outgoingTrunk],
    ['pbx_id', d.pbxId],
  ] as const)
    if (v.length > 128) throw bad(`${where}: ${field} is longer than 128 characters`);
  // A second direction with the same keys could never be the first match: it is a mistake, not a choice.
  const same = await trx('tel_directions')
    .where({
      is_deleted: false,
      called_prefix: d.calledPrefix,
      calling_prefix: d.callingPrefix,
      called_regexp: d.calledRegexp,
      calling_regexp: d.callingRegexp,
      incoming_trunk: d.incomingTrunk,
      outgoing_trunk: d.outgoingTrunk,
      pbx_id: d.pbxId,
    })
    .whereNot('id', id)
    .first('id');
  if (same)
    throw bad(`${where}: direction ${same.id} has the same prefixes, trunks and PBX id (it would always match first)`);
  return zone?.type ?? d.dirType;
}
