export { main as dbArchiverMain, ARCHIVER_EXIT } from './db-archiver/main';
export { parseArchiverArgs, ArchiverUsageError, type ArchiverArgs } from './db-archiver/archiver-args';
export { main as verifyMain } from './verify/main';
export { checkIntegrity, type Finding, type IntegrityOptions } from './verify/integrity-checks';
export { main as securityCheckMain } from './security-check/main';
export { SECURITY_CHECKS, findingLine, type SecurityFinding, type SecurityCheckName } from './security-check/finding';
