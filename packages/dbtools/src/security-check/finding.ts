/** One thing utm5_security_check found: which check, where (a file, a parameter, a user), what is wrong, the fix. */
export interface SecurityFinding {
  readonly check: SecurityCheckName;
  readonly where: string;
  readonly problem: string;
  readonly fix: string;
}

/** Every check, in the order they run and print; `--skip` takes these names. */
export const SECURITY_CHECKS = [
  'default-password',
  'plain-urfa',
  'plain-stream',
  'file-permissions',
  'database-password',
  'wildcard-listener',
  'test-clock',
  'time-sync',
] as const;

export type SecurityCheckName = (typeof SECURITY_CHECKS)[number];

export function findingLine(f: SecurityFinding): string {
  return `${f.check}: ${f.where}: ${f.problem}; fix: ${f.fix}`;
}
