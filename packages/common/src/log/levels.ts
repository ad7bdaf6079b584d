/** UTM5's event levels, 0 EMERG .. 9 Stats, with the manual's spelling of each name. */
export const LOG_LEVELS = {
  emerg: 0,
  alert: 1,
  crit: 2,
  error: 3,
  warn: 4,
  notice: 5,
  info: 6,
  debug: 7,
  trace: 8,
  stats: 9,
} as const;

export type LogLevelName = keyof typeof LOG_LEVELS;

export const LEVEL_LABELS: Record<LogLevelName, string> = {
  emerg: 'EMERG',
  alert: 'ALERT',
  crit: 'CRIT',
  error: 'ERROR',
  warn: 'Warn',
  notice: 'Notice',
  info: 'Info',
  debug: 'Debug',
  trace: 'Trace',
  stats: 'Stats',
};

export const LEVEL_BY_NUMBER: readonly LogLevelName[] = Object.keys(LOG_LEVELS) as LogLevelName[];

/** The three streams of the manual and the highest level each one takes. */
export function streamThresholds(logLevel: number): { critical: number; main: number; debug: number } {
  return { critical: 2, main: 3 + logLevel, debug: 9 };
}
