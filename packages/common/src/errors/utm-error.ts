/**
 * Base of every error UTM5-TS raises on purpose. `code` is stable (scripts and tests match on it); the message says
 * what happened, where, and what to do, in one line a sysadmin can act on.
 */
export class UtmError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One line for stderr or a log: the message alone, never a stack, and never more than one line. */
export function errorLine(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, '; ');
  return String(err).replace(/\s*\n\s*/g, '; ');
}
