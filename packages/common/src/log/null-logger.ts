import type { Logger } from './logger';

// Apart from logger.ts, which loads winston: a tool can hold a logger that drops everything without loading it.
/** A logger that drops everything (unit tests, library defaults). */
export const nullLogger: Logger = {
  emerg() {},
  alert() {},
  crit() {},
  error() {},
  warn() {},
  notice() {},
  info() {},
  debug() {},
  trace() {},
  stats() {},
  log() {},
  child() {
    return nullLogger;
  },
  enabled() {
    return false;
  },
};
