import winston from 'winston';
import TransportStream from 'winston-transport';
import { LEVEL_LABELS, LOG_LEVELS, LEVEL_BY_NUMBER, streamThresholds, type LogLevelName } from './levels';
import { RotatingFile } from './rotating-file';
import { Redactor } from './redact';
import type { LogParamValues } from './log-params';

const MESSAGE = Symbol.for('message');
const LEVEL = Symbol.for('level');

export type LogMeta = Record<string, unknown>;

export interface Logger {
  emerg(msg: string, meta?: LogMeta): void;
  alert(msg: string, meta?: LogMeta): void;
  crit(msg: string, meta?: LogMeta): void;
  error(msg: string, meta?: LogMeta): void;
  warn(msg: string, meta?: LogMeta): void;
  notice(msg: string, meta?: LogMeta): void;
  info(msg: string, meta?: LogMeta): void;
  debug(msg: string, meta?: LogMeta): void;
  trace(msg: string, meta?: LogMeta): void;
  stats(msg: string, meta?: LogMeta): void;
  log(level: LogLevelName, msg: string, meta?: LogMeta): void;
  /** A logger that tags every line with a component and/or peer. */
  child(tags: { component?: string; peer?: string }): Logger;
  /** True when some stream takes this level; lets hot paths skip building a debug line. */
  enabled(level: LogLevelName): boolean;
}

export interface RootLogger extends Logger {
  /** Masks this value wherever it would appear in a line (passwords, shared secrets). */
  addSecret(secret: string | undefined): void;
  /** Reopens log files (SIGHUP). */
  reopen(): void;
  close(): void;
}

/** Where one destination writes; stderr when no file is named. */
interface Sink {
  /** `urgent`: EMERG..CRIT, written before anything else happens. */
  write(line: string, urgent: boolean): void;
  reopen(): void;
  close(): void;
}

class StderrSink implements Sink {
  write(line: string): void {
    process.stderr.write(`${line}\n`);
  }
  reopen(): void {}
  close(): void {}
}

/** Levels 0..2 (EMERG, ALERT, CRIT): the manual's critical stream, never held in a buffer. */
const URGENT = 2;

class SinkTransport extends TransportStream {
  constructor(
    private readonly sink: Sink,
    level: LogLevelName,
  ) {
    super({ level });
  }
  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.sink.write(String(info[MESSAGE]), LOG_LEVELS[info[LEVEL] as LogLevelName] <= URGENT);
    next();
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function timestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:` +
    `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

function formatMetaValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v) ?? String(v);
}

export interface LoggerOptions {
  /** Program name, shown in each line when syslog_name is not set. */
  readonly program: string;
  readonly params: LogParamValues;
  /** Wall-clock milliseconds for timestamps and rotation suffixes (injectable for tests). */
  readonly nowMs?: () => number;
}

class WinstonLogger implements Logger {
  constructor(
    protected readonly w: winston.Logger,
    private readonly tags: { component?: string; peer?: string },
    private readonly maxLevel: number,
  ) {}

  log(level: LogLevelName, msg: string, meta?: LogMeta): void {
    if (LOG_LEVELS[level] > this.maxLevel) return;
    this.w.log({ level, message: msg, component: this.tags.component, peer: this.tags.peer, meta });
  }
  emerg(m: string, x?: LogMeta) {
    this.log('emerg', m, x);
  }
  alert(m: string, x?: LogMeta) {
    this.log('alert', m, x);
  }
  crit(m: string, x?: LogMeta) {
    this.log('crit', m, x);
  }
  error(m: string, x?: LogMeta) {
    this.log('error', m, x);
  }
  warn(m: string, x?: LogMeta) {
    this.log('warn', m, x);
  }
  notice(m: string, x?: LogMeta) {
    this.log('notice', m, x);
  }
  info(m: string, x?: LogMeta) {
    this.log('info', m, x);
  }
  debug(m: string, x?: LogMeta) {
    this.log('debug', m, x);
  }
  trace(m: string, x?: LogMeta) {
    this.log('trace', m, x);
  }
  stats(m: string, x?: LogMeta) {
    this.log('stats', m, x);
  }

  child(tags: { component?: string; peer?: string }): Logger {
    return new WinstonLogger(this.w, { ...this.tags, ...tags }, this.maxLevel);
  }
  enabled(level: LogLevelName): boolean {
    return LOG_LEVELS[level] <= this.maxLevel;
  }
}

class Root extends WinstonLogger implements RootLogger {
  constructor(
    w: winston.Logger,
    maxLevel: number,
    private readonly sinks: Sink[],
    private readonly redactor: Redactor,
  ) {
    super(w, {}, maxLevel);
  }
  addSecret(secret: string | undefined): void {
    this.redactor.add(secret);
  }
  reopen(): void {
    for (const s of this.sinks) s.reopen();
  }
  close(): void {
    for (const s of this.sinks) s.close();
    this.w.close();
  }
}

/**
 * The one logger factory of every UTM5-TS program. The manual's three streams (critical 0-2, main 0..3+log_level,
 * debug all) each go to their file or stderr; streams that share a destination share one sink, so a line is never
 * written twice to the same place.
 */
export function createLogger(opts: LoggerOptions): RootLogger {
  const p = opts.params;
  const th = streamThresholds(p.log_level);
  const streams: { dest: string | undefined; threshold: number }[] = [
    { dest: p.log_file_critical, threshold: th.critical },
    { dest: p.log_file_main, threshold: th.main },
    { dest: p.log_file_debug, threshold: th.debug },
  ];
  const byDest = new Map<string, number>();
  for (const s of streams) {
    const key = s.dest ?? '';
    byDest.set(key, Math.max(byDest.get(key) ?? -1, s.threshold));
  }
  const redactor = new Redactor();
  const sinks: Sink[] = [];
  const transports: TransportStream[] = [];
  let maxLevel = 0;
  for (const [dest, threshold] of byDest) {
    const sink: Sink =
      dest === ''
        ? new StderrSink()
        : new RotatingFile(dest, {
            rotate: p.rotate_logs,
            maxSize: p.max_logfile_size,
            maxCount: p.max_logfile_count,
            ...(opts.nowMs ? { nowMs: opts.nowMs } : {}),
          });
    sinks.push(sink);
    transports.push(new SinkTransport(sink, LEVEL_BY_NUMBER[threshold]!));
    maxLevel = Math.max(maxLevel, threshold);
  }
  const prefix = p.syslog_name ? `${p.syslog_name}: ` : '';
  const nowMs = opts.nowMs ?? Date.now;
  const line = winston.format((info) => {
    const level = info[LEVEL] as LogLevelName;
    const tags = [info['component'], info['peer']].filter(Boolean).join(' ');
    const meta = info['meta'] as LogMeta | undefined;
    let text = redactor.redact(String(info.message));
    if (meta) {
      const safe = redactor.redactMeta(meta);
      const kv = Object.entries(safe)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${formatMetaValue(v)}`);
      if (kv.length) text += ` ${redactor.redact(kv.join(' '))}`;
    }
    info[MESSAGE] =
      `${prefix}${timestamp(nowMs())} [${LEVEL_LABELS[level]}] ${opts.program}${tags ? ` ${tags}` : ''}: ${text}`;
    return info;
  });
  const w = winston.createLogger({
    levels: LOG_LEVELS,
    level: 'stats',
    format: line(),
    transports,
    exitOnError: false,
  });
  return new Root(w, maxLevel, sinks, redactor);
}
