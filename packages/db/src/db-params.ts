import {
  boolType,
  defineConfig,
  enumType,
  hostType,
  intType,
  param,
  pathType,
  portType,
  section,
  stringType,
  validateEntries,
} from '@utm5/common';

/**
 * The manual's database parameters ("Database related parameters"), declared once; utm5_core and utm5_dhcp spread
 * them into their schemas.
 */
export const dbParams = section('Database', {
  database_type: param(enumType(['mysql', 'sqlite']), {
    doc:
      'Database type: mysql (MySQL or MariaDB, for production) or sqlite (embedded, a single file; ' +
      'for small sites and trials).',
    mandatory: true,
    sample: 'sqlite',
  }),
  database: param(stringType({ nonEmpty: true }), {
    file: 'state',
    doc:
      'Database name. For sqlite, the path of the database file (relative paths are relative to the working ' +
      'directory). Created on first start when missing.',
    mandatory: true,
    sample: 'var/utm5.db',
  }),
  database_host: param(hostType, {
    doc: 'Database host address (mysql).',
    default: 'localhost',
  }),
  database_login: param(stringType({ nonEmpty: true }), {
    doc: 'Database access login (mysql).',
    defaultText: "current user's login",
  }),
  database_password: param(stringType(), {
    doc: 'Database access password (mysql).',
    default: '',
    secret: true,
  }),
  database_sock_path: param(pathType, {
    doc:
      'Path to the MySQL unix socket, used when database_host is localhost. When not set, /tmp/mysql.sock is used, ' +
      "or Debian's /run/mysqld/mysqld.sock when only that one exists.",
    defaultText: '/tmp/mysql.sock',
  }),
  database_port: param(portType, {
    doc: 'Port number for database access (mysql, when database_host is not localhost).',
    default: 3306,
  }),
  dbcount: param(intType({ min: 2, max: 64 }), {
    doc: 'Number of database connections the core opens for user operations (mysql; sqlite uses one).',
    default: 6,
  }),
  dbcount_sys: param(intType({ min: 2, max: 64 }), {
    doc: 'Number of database connections the core opens for system operations such as period closing (mysql).',
    default: 4,
  }),
  database_reconnect_count: param(intType({ min: 0, max: 10000 }), {
    doc:
      'Number of database connection attempts on failure; also how often a failed statement is retried ' +
      'after a lost connection.',
    default: 5,
  }),
  database_reconnect_sleep: param(intType({ min: 0, max: 3600 }), {
    doc: 'Delay in seconds before a repeated connection attempt or statement.',
    default: 2,
  }),
  database_charset: param(stringType({ nonEmpty: true }), {
    doc: "Database connection encoding (mysql). UTM5's utf8 is accepted; utf8mb4 stores every Unicode character.",
    default: 'utf8mb4',
  }),
  verify_database: param(boolType, {
    doc:
      'Verify the database at start: create missing tables and bring an older schema up to date. When disabled, ' +
      'a schema older than this program is refused.',
    default: true,
  }),
  verify_archive_tables: param(boolType, {
    doc: 'When verifying the database, also verify archived tables.',
    default: false,
  }),
  verify_database_index: param(boolType, {
    doc: 'Verify indexes at start: create the missing ones and report unknown ones.',
    default: false,
  }),
  log_file_verificator: param(pathType, {
    doc: 'Database verifier log: every schema statement applied at start is appended here.',
    defaultText: 'not written',
  }),
});

/** The values the database layer needs, whatever program loaded them. */
export interface DbSettings {
  database_type: 'mysql' | 'sqlite';
  database: string;
  database_host: string;
  database_login: string | undefined;
  database_password: string;
  database_sock_path: string | undefined;
  database_port: number;
  dbcount: number;
  dbcount_sys: number;
  database_reconnect_count: number;
  database_reconnect_sleep: number;
  database_charset: string;
  verify_database: boolean;
  verify_archive_tables: boolean;
  verify_database_index: boolean;
  log_file_verificator: string | undefined;
}

/** Settings with every parameter at its declared default, for tools and tests that name only a few. */
export function dbSettings(over: Partial<DbSettings> & Pick<DbSettings, 'database_type' | 'database'>): DbSettings {
  const schema = defineConfig({ program: 'db', defaultFile: '', intro: '', params: dbParams });
  const defaults = validateEntries(schema, '(defaults)', [
    { name: 'database_type', value: over.database_type, line: 1 },
    { name: 'database', value: over.database, line: 2 },
  ]).values;
  return { ...defaults, ...over };
}
