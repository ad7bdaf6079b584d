import {
  ArchiveRegistry,
  INDEXES,
  MIGRATIONS_TABLE,
  columnDifferences,
  dbSettings,
  describeColumn,
  describeColumns,
  describeIndexes,
  listTables,
  migrateTo,
  MIGRATIONS,
  openDatabase,
  type ColumnInfo,
  type Database,
  type IndexInfo,
} from '@utm5/db';

export interface TableStructure {
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly IndexInfo[];
}

const BOOKKEEPING = new Set([MIGRATIONS_TABLE, `${MIGRATIONS_TABLE}_lock`]);

async function describe(db: Database, tables: readonly string[]): Promise<Map<string, TableStructure>> {
  const out = new Map<string, TableStructure>();
  for (const t of tables) {
    out.set(t, {
      columns: await describeColumns(db.sys, db.type, t),
      indexes: await describeIndexes(db.sys, db.type, t),
    });
  }
  return out;
}

/**
 * The structure this version's core requires: every migration applied to an empty in-memory database, so the
 * reference is the schema itself rather than a second hand-kept description of it.
 */
export async function requiredStructure(): Promise<Map<string, TableStructure>> {
  const mem = await openDatabase(dbSettings({ database_type: 'sqlite', database: ':memory:' }));
  try {
    await migrateTo(mem, MIGRATIONS);
    const tables = (await listTables(mem.sys, mem.type)).filter((t) => !BOOKKEEPING.has(t));
    return await describe(mem, tables);
  } finally {
    await mem.close();
  }
}

/** db_archiver -v: the required structure, one line per table, column and index. */
export function describeStructure(s: ReadonlyMap<string, TableStructure>): string[] {
  const out: string[] = [];
  for (const [t, d] of s) {
    out.push(`table ${t}`);
    for (const c of d.columns) out.push(`  column ${c.name} ${describeColumn(c)}`);
    const declared = INDEXES.filter((i) => i.table === t);
    for (const i of declared) out.push(`  index ${i.name} (${i.columns.join(', ')})${i.unique ? ' UNIQUE' : ''}`);
  }
  return out;
}

/**
 * db_archiver -d: one line per difference between the live database and the required structure, and between every
 * registered archive and the table it archives. Column types and defaults are compared on SQLite only: the reference
 * is built on SQLite, and MySQL spells the same declaration differently (bigint(20), tinyint(1)).
 */
export async function structureDifferences(
  db: Database,
  required: ReadonlyMap<string, TableStructure>,
  opts: { ignorePkDefault: boolean },
): Promise<string[]> {
  const out: string[] = [];
  const live = new Set(await listTables(db.sys, db.type));
  const sameBackend = db.type === 'sqlite';
  for (const [t, want] of required) {
    if (!live.has(t)) {
      out.push(`table ${t} is missing (db_archiver -uf creates it)`);
      continue;
    }
    out.push(
      ...columnDifferences(t, want.columns, await describeColumns(db.sys, db.type, t), {
        ignorePkDefault: opts.ignorePkDefault,
        compareTypes: sameBackend,
        compareDefaults: sameBackend,
      }),
    );
    const have = new Set((await describeIndexes(db.sys, db.type, t)).map((i) => i.name));
    for (const i of INDEXES.filter((x) => x.table === t)) {
      if (!have.has(i.name)) out.push(`${t}: index ${i.name} (${i.columns.join(', ')}) is missing (db_archiver -ui)`);
    }
  }
  const archives = live.has('archives') ? await new ArchiveRegistry(db).list() : [];
  for (const a of archives) {
    if (!live.has(a.archiveTable)) {
      out.push(`archive ${a.archiveTable} of ${a.sourceTable} is registered but missing`);
      continue;
    }
    const diff = columnDifferences(
      a.archiveTable,
      await describeColumns(db.sys, db.type, a.sourceTable),
      await describeColumns(db.sys, db.type, a.archiveTable),
      { ignorePkDefault: opts.ignorePkDefault },
    );
    out.push(...diff.map((d) => `${d} (db_archiver -ug)`));
  }
  const known = new Set([...required.keys(), ...archives.map((a) => a.archiveTable), ...BOOKKEEPING]);
  for (const t of live) if (!known.has(t)) out.push(`table ${t} is not part of the UTM5-TS structure (left in place)`);
  return out;
}
