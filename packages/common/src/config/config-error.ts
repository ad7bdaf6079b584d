import { UtmError } from '../errors/utm-error';

export interface ConfigProblem {
  readonly file: string;
  /** 0 when the problem is not tied to a line (a mandatory parameter that is missing). */
  readonly line: number;
  readonly param: string | undefined;
  readonly message: string;
}

export function problemLine(p: ConfigProblem): string {
  return p.line > 0 ? `${p.file}:${p.line}: ${p.message}` : `${p.file}: ${p.message}`;
}

/** Raised when a configuration cannot be used; `problems` holds every error found, each one line. */
export class ConfigError extends UtmError {
  readonly problems: readonly ConfigProblem[];
  /** Warnings found along the way (an unknown parameter is often the cause of a "missing" error). */
  readonly warnings: readonly ConfigProblem[];

  constructor(code: 'UTM_CFG_UNREADABLE' | 'UTM_CFG_SYNTAX' | 'UTM_CFG_BAD_VALUE' | 'UTM_CFG_MISSING',
    problems: readonly ConfigProblem[], options?: { cause?: unknown; warnings?: readonly ConfigProblem[] }) {
    super(code, problems.map(problemLine).join('\n'), options);
    this.problems = problems;
    this.warnings = options?.warnings ?? [];
  }
}
