import type { Knex } from 'knex';
import type { Database, DbType } from '../connection';

/** One column as the database reports it, in table order. */
export interface ColumnInfo {
  readonly name: string;
  /** The declared type, lower case (`bigint`, `varchar(64)`, `integer`). */
  readonly type: string;
  readonly notNull: boolean;
  /** The default as the database prints it; null when there is none. */
  readonly default: string | null;
  readonly pk: boolean;
}

export interface IndexInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

type Row = Record<string, unknown>;

async function rows(k: Knex, type: DbType, sql: string, bindings: readonly unknown[] = []): Promise<Row[]> {
  const r = await k.raw(sql, bindings as Knex.RawBinding[]);
  return (type === 'sqlite' ? r : r[0]) as Row[];
}

export async function listTables(k: Knex, type: DbType): Promise<string[]> {
  const r =
    type === 'sqlite'
      ? await rows(k, type, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      : await rows(k, type, 'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
  return r.map((x) => String(x['name'])).sort();
}

export async function describeColumns(k: Knex, type: DbType, table: string): Promise<ColumnInfo[]> {
  if (type === 'sqlite') {
    const r = await rows(k, type, `PRAGMA table_info(${quoteSqlite(table)})`);
    return r.map((c) => ({
      name: String(c['name']),
      type: String(c['type']).toLowerCase(),
      // SQLite lets a non-integer primary key hold NULL unless declared NOT NULL; no UTM5-TS key ever does, and
      // MySQL makes every key column NOT NULL, so both backends describe keys alike.
      notNull: Number(c['notnull']) === 1 || Number(c['pk']) > 0,
      default: c['dflt_value'] === null || c['dflt_value'] === undefined ? null : String(c['dflt_value']),
      pk: Number(c['pk']) > 0,
    }));
  }
  const r = await rows(
    k,
    type,
    'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, ' +
      'COLUMN_KEY AS ckey FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ' +
      'ORDER BY ORDINAL_POSITION',
    [table],
  );
  return r.map((c) => ({
    name: String(c['name']),
    type: String(c['type']).toLowerCase(),
    notNull: c['nullable'] === 'NO',
    default: c['dflt'] === null || c['dflt'] === undefined || c['dflt'] === 'NULL' ? null : String(c['dflt']),
    pk: c['ckey'] === 'PRI',
  }));
}

export async function describeIndexes(k: Knex, type: DbType, table: string): Promise<IndexInfo[]> {
  if (type === 'sqlite') {
    const list = await rows(k, type, `PRAGMA index_list(${quoteSqlite(table)})`);
    const out: IndexInfo[] = [];
    for (const i of list) {
      if (String(i['origin']) === 'pk') continue;
      const cols = await rows(k, type, `PRAGMA index_info(${quoteSqlite(String(i['name']))})`);
      out.push({
        name: String(i['name']),
        columns: cols.map((c) => String(c['name'])),
        unique: Number(i['unique']) === 1,
      });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }
  const r = await rows(
    k,
    type,
    'SELECT INDEX_NAME AS name, COLUMN_NAME AS col, NON_UNIQUE AS nu FROM information_schema.STATISTICS ' +
      "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX",
    [table],
  );
  const by = new Map<string, { columns: string[]; unique: boolean }>();
  for (const x of r) {
    const name = String(x['name']);
    const e = by.get(name) ?? { columns: [], unique: Number(x['nu']) === 0 };
    e.columns.push(String(x['col']));
    by.set(name, e);
  }
  return [...by].map(([name, e]) => ({ name, ...e }));
}

function quoteSqlite(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Creates `target` with the structure of `source` (columns, keys and indexes) unless it exists. MySQL copies with
 * CREATE TABLE ... LIKE; SQLite replays the source's own CREATE statements, renaming the indexes (their names are
 * global there).
 */
export async function copyTableStructure(db: Database, source: string, target: string): Promise<void> {
  const k = db.sys;
  if (db.type === 'mysql') {
    await k.raw('CREATE TABLE IF NOT EXISTS ?? LIKE ??', [target, source]);
    return;
  }
  const master = await rows(
    k,
    'sqlite',
    'SELECT type, name, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL',
    [source],
  );
  const table = master.find((m) => m['type'] === 'table');
  if (!table) throw new Error(`table ${source} does not exist`);
  const name = new RegExp(`^CREATE TABLE\\s+([\`"']?)${escapeRe(source)}\\1`, 'i');
  await k.raw(String(table['sql']).replace(name, `CREATE TABLE IF NOT EXISTS ${quoteSqlite(target)}`));
  for (const idx of master.filter((m) => m['type'] === 'index')) {
    const re = new RegExp(
      `^CREATE (UNIQUE )?INDEX\\s+([\`"']?)${escapeRe(String(idx['name']))}\\2\\s+on\\s+([\`"']?)${escapeRe(source)}\\3`,
      'i',
    );
    const sql = String(idx['sql']).replace(
      re,
      (_m, u: string | undefined) =>
        `CREATE ${u ?? ''}INDEX IF NOT EXISTS ${quoteSqlite(`${target}__${String(idx['name'])}`)} ON ${quoteSqlite(target)}`,
    );
    await k.raw(sql);
  }
}

/** One line per difference between the columns a table must have and those it has. */
export function columnDifferences(
  table: string,
  want: readonly ColumnInfo[],
  have: readonly ColumnInfo[],
  opts: { ignorePkDefault?: boolean; compareTypes?: boolean; compareDefaults?: boolean } = {},
): string[] {
  const out: string[] = [];
  const had = new Map(have.map((c) => [c.name, c]));
  want.forEach((w, i) => {
    const h = had.get(w.name);
    if (!h) {
      out.push(`${table}: column ${w.name} is missing (${describeColumn(w)})`);
      return;
    }
    if (have.indexOf(h) !== i)
      out.push(`${table}: column ${w.name} is at position ${have.indexOf(h) + 1}, not ${i + 1}`);
    if (opts.compareTypes !== false && h.type !== w.type)
      out.push(`${table}: column ${w.name} is ${h.type}, not ${w.type}`);
    if (h.notNull !== w.notNull)
      out.push(
        `${table}: column ${w.name} is ${h.notNull ? 'NOT NULL' : 'nullable'}, not ${w.notNull ? 'NOT NULL' : 'nullable'}`,
      );
    const pkDefault = opts.ignorePkDefault && (w.pk || h.pk) && (w.default === null || h.default === null);
    if (opts.compareDefaults !== false && !pkDefault && normDefault(h.default) !== normDefault(w.default))
      out.push(`${table}: column ${w.name} defaults to ${h.default ?? 'nothing'}, not ${w.default ?? 'nothing'}`);
  });
  const wanted = new Set(want.map((c) => c.name));
  for (const h of have) if (!wanted.has(h.name)) out.push(`${table}: column ${h.name} is not part of the structure`);
  return out;
}

/** Defaults print differently per backend ('0' and 0, 'x' and x). */
function normDefault(d: string | null): string | null {
  return d === null ? null : d.replace(/^'(.*)'$/, '$1');
}

export function describeColumn(c: ColumnInfo): string {
  return `${c.type}${c.notNull ? ' NOT NULL' : ''}${c.default !== null ? ` DEFAULT ${c.default}` : ''}${c.pk ? ' PRIMARY KEY' : ''}`;
}

/** Adds to `target` the columns of `source` it lacks (at the end, as the source's migrations added them). */
export async function addMissingColumns(db: Database, source: string, target: string): Promise<string[]> {
  const want = await describeColumns(db.sys, db.type, source);
  const have = new Set((await describeColumns(db.sys, db.type, target)).map((c) => c.name));
  const added: string[] = [];
  for (const c of want) {
    if (have.has(c.name)) continue;
    const q = db.type === 'sqlite' ? quoteSqlite : (n: string) => `\`${n.replace(/`/g, '``')}\``;
    const dflt = c.default !== null ? ` DEFAULT ${c.default}` : '';
    await db.sys.raw(
      `ALTER TABLE ${q(target)} ADD COLUMN ${q(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}${dflt}`,
    );
    added.push(c.name);
  }
  return added;
}
