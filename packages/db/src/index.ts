export { dbParams, dbSettings, type DbSettings } from './db-params';
export { DbError, DbErrorCodes, type DbErrorCode } from './db-error';
export {
  openDatabase,
  mysqlAcceptsNoPassword,
  withRetry,
  isTransientDbError,
  type Database,
  type DbType,
} from './connection';
export { sqliteHandle, type SqliteHandle, type SqliteStatement } from './sqlite-handle';
export {
  verifyDatabase,
  schemaStatus,
  migrateTo,
  MIGRATIONS_TABLE,
  type VerifyOptions,
  type VerifyReport,
  type SchemaStatus,
} from './verify';
export { MIGRATIONS, WHEEL_GROUP_ID, DEALERS_GROUP_ID, RATE_SCALE, type Migration } from './migrations/index';
export { INDEXES, type IndexSpec } from './schema/indexes';
export { SYSTEM_PARAMETERS, type SystemParameterSpec } from './schema/system-parameters';
export { PREDEFINED_PAYMENT_METHODS, PAYMENT_METHOD, FIRST_USER_PAYMENT_METHOD_ID } from './schema/payment-methods';
export { SystemUserRepo, isUniqueViolation, type SystemUserRecord, type NewSystemUser } from './repos/system-user-repo';
export { SystemGroupRepo, type SystemGroupRecord, type FunctionRight } from './repos/system-group-repo';
export { SystemParameterRepo } from './repos/system-parameter-repo';
export { UserLogRepo, type UserLogEntry } from './repos/user-log-repo';
export { SystemServiceRepo, type SystemServiceRow } from './repos/system-service-repo';
export { StreamSenderRepo } from './repos/stream-sender-repo';
export type { Knex } from 'knex';
export * from './archive/index';
