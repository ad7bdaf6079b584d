import { UtmError } from '@utm5/common';

/** The catalogue of @utm5/db error codes. */
export const DbErrorCodes = {
  UTM_DB_CONNECT: 'the database server cannot be reached or refused the login',
  UTM_DB_CREATE: 'the database (MySQL database or SQLite file) cannot be created',
  UTM_DB_SCHEMA_OLD: 'the schema is older than this program and verify_database is disabled',
  UTM_DB_SCHEMA_NEWER: 'the schema was written by a newer UTM5-TS',
  UTM_DB_MIGRATION: 'a schema migration failed',
  UTM_DB_NOT_FOUND: 'a row the caller named does not exist',
  UTM_DB_CONFLICT: 'a row with the same unique key exists',
  UTM_DB_ARCHIVE_STRUCTURE: 'an archive table differs from the table it archives (db_archiver -ug updates it)',
  UTM_DB_ARCHIVE_MISMATCH: 'an archive move copied and deleted different row counts (rolled back)',
} as const;

export type DbErrorCode = keyof typeof DbErrorCodes;

export class DbError extends UtmError {
  constructor(code: DbErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
