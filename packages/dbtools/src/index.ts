export { main as dbArchiverMain, ARCHIVER_EXIT } from './db-archiver/main';
export { parseArchiverArgs, ArchiverUsageError, type ArchiverArgs } from './db-archiver/archiver-args';
export { main as verifyMain } from './verify/main';
export { checkIntegrity, type Finding, type IntegrityOptions } from './verify/integrity-checks';
