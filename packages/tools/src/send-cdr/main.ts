import { fstatSync, type ReadStream } from 'node:fs';
import { devNull } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { EXIT, createLogger, nullLogger, errorLine, exitAfterFlush, type Logger } from '@utm5/common';
import type { UrfaApi } from '@utm5/urfaclient';
import { startImportTool } from '../cli/import-tool';
import { CORE_TOOL_EXIT, exitForCoreError, openCoreApi } from '../cli/core-connection';
import { FormatError } from './cdr-format';
import { CdrLineParser, type CdrCall } from './cdr-line';
import { sendCdrConfig, type SendCdrConfig } from './config';
import { putTelCalls } from './put-tel-calls';

const PROGRAM = 'utm5_send_cdr';
/** Files smaller than this finish before a progress bar would tell anything. */
const PROGRESS_MIN_BYTES = 1 << 20;

/** The same codes as utm5_send_traffic: 6 some lines bad or refused by the core, 2 configuration, 3 unreachable... */
export const SEND_CDR_EXIT = CORE_TOOL_EXIT;

/** Writes a problem line, clearing a progress bar's line first so the two do not mix. */
type Report = (msg: string) => void;

/**
 * Batches of calls, sent over two URFA sessions in turn: a session answers one call at a time, so while the core
 * rates one batch the next is already encoded, sent and decoded on the other session (the core still commits them in
 * order: the second waits for the first's accounts). At most one batch per session in flight and one filling.
 * Remembers each batch's file lines to name the calls the core refuses.
 */
class Sender {
  imported = 0;
  duplicates = 0;
  refused = 0;
  sent = 0;
  private batch: CdrCall[] = [];
  private lines: number[] = [];
  private readonly apis: (UrfaApi | Promise<UrfaApi>)[];
  private readonly inFlight: (Promise<void> | undefined)[];
  private turn = 0;

  constructor(
    private readonly first: UrfaApi,
    private readonly size: number,
    private readonly where: (line: number) => string,
    private readonly report: Report,
  ) {
    this.apis = [first];
    this.inFlight = [undefined, undefined];
  }

  async add(c: CdrCall, line: number): Promise<void> {
    this.batch.push(c);
    this.lines.push(line);
    if (this.batch.length >= this.size) await this.dispatch();
  }

  async flush(): Promise<void> {
    await this.dispatch();
    for (const p of this.inFlight) await p;
  }

  /** Closes every session opened (a failed second login included). */
  async close(): Promise<void> {
    for (const a of this.apis)
      await Promise.resolve(a).then(
        (api) => api.close(),
        () => undefined,
      );
  }

  private async dispatch(): Promise<void> {
    const calls = this.batch;
    const lines = this.lines;
    if (calls.length === 0) return;
    const slot = this.turn;
    this.turn = (this.turn + 1) % this.inFlight.length;
    await this.inFlight[slot];
    this.batch = [];
    this.lines = [];
    // The second session opens with the second batch: a file of one batch needs only the first.
    if (this.apis[slot] === undefined) this.apis[slot] = this.first.another();
    const p = Promise.resolve(this.apis[slot]!).then((api) => this.send(api, calls, lines));
    this.inFlight[slot] = p;
    // The rejection is awaited by the slot's next dispatch or by flush; this keeps it from being "unhandled" meanwhile.
    p.catch(() => undefined);
  }

  private async send(api: UrfaApi, calls: CdrCall[], lines: number[]): Promise<void> {
    const r = await putTelCalls(api, calls);
    this.imported += r.imported;
    this.duplicates += r.duplicates;
    this.refused += r.refused.length;
    this.sent += calls.length;
    for (const x of r.refused) {
      const line = lines[x.index];
      this.report(
        `${line === undefined ? `batch index ${x.index}` : this.where(line)}: refused by the core: ${x.reason}`,
      );
    }
  }
}

function progressBar(input: Readable, source: string): { bar: SingleBar; total: number } | undefined {
  if (!process.stderr.isTTY || source === '-') return undefined;
  const fd = (input as ReadStream & { fd?: number }).fd;
  const total = typeof fd === 'number' ? fstatSync(fd).size : 0;
  if (total < PROGRESS_MIN_BYTES) return undefined;
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${PROGRAM} {bar} {percentage}% | {value}/{total} bytes | {lines} lines`,
    hideCursor: true,
  });
  bar.start(total, 0, { lines: 0 });
  return { bar, total };
}

/**
 * The log keys' logger, only when a log file is named: every message goes to stderr anyway, and the logger's
 * default destination (stderr) would print each one twice.
 */
function fileLogger(cfg: SendCdrConfig): Logger & { close(): void } {
  if (cfg.log_file_main === undefined && cfg.log_file_debug === undefined && cfg.log_file_critical === undefined)
    return { ...nullLogger, close() {} };
  // The streams without a file are silenced for the same reason.
  const log = createLogger({
    program: PROGRAM,
    params: {
      ...cfg,
      log_file_main: cfg.log_file_main ?? devNull,
      log_file_debug: cfg.log_file_debug ?? devNull,
      log_file_critical: cfg.log_file_critical ?? devNull,
    },
  });
  log.addSecret(cfg.core_password);
  return log;
}

async function send(cfg: SendCdrConfig, parser: CdrLineParser, source: string, input: Readable): Promise<number> {
  const log = fileLogger(cfg);
  try {
    return await sendWith(cfg, parser, source, input, log);
  } finally {
    log.close();
  }
}

async function sendWith(
  cfg: SendCdrConfig,
  parser: CdrLineParser,
  source: string,
  input: Readable,
  log: Logger,
): Promise<number> {
  const name = source === '-' ? '<stdin>' : source;
  const where = (line: number) => `${name}:${line}`;
  const progress = progressBar(input, source);
  const report: Report = (msg) => {
    log.warn(msg);
    process.stderr.write(`${progress ? '\r\x1b[K' : ''}${PROGRAM}: ${msg}\n`);
  };
  const fail = (code: number, msg: string) => {
    progress?.bar.stop();
    report(msg);
    return code;
  };
  let api: UrfaApi;
  try {
    api = await openCoreApi(cfg);
  } catch (err) {
    input.destroy();
    return fail(exitForCoreError(err), `${errorLine(err)}; nothing sent`);
  }
  const sender = new Sender(api, cfg.batch_size, where, report);
  let bad = 0;
  let n = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      n++;
      const r = parser.parse(text);
      if (r.kind === 'bad') {
        bad++;
        report(`${where(n)}: ${r.reason}; line not sent`);
      } else if (r.kind === 'call') await sender.add(r.call, n);
      if (progress && (n & 4095) === 0) progress.bar.update((input as ReadStream).bytesRead, { lines: n });
    }
    await sender.flush();
  } catch (err) {
    return fail(exitForCoreError(err), `${errorLine(err)}; stopped at ${where(n)}; ${sender.sent} call(s) sent before`);
  } finally {
    input.destroy();
    await sender.close();
  }
  if (progress) {
    progress.bar.update(progress.total, { lines: n });
    progress.bar.stop();
  }
  const refused = sender.refused > 0 ? ` (${sender.refused} refused by the core)` : '';
  const summary = `${sender.imported} imported, ${sender.duplicates} duplicates, ${bad + sender.refused} bad${refused}`;
  log.notice(`${name}: ${summary}`);
  process.stdout.write(`${summary}\n`);
  return bad + sender.refused > 0 ? SEND_CDR_EXIT.BAD_LINES : EXIT.OK;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const start = startImportTool(
    argv,
    {
      program: PROGRAM,
      description: 'Sends phone call records (CDR) of a PBX to the UTM5 core, which charges each call once.',
      schema: sendCdrConfig,
      what: 'call records',
    },
    1 << 16,
  );
  if ('exit' in start) return start.exit;
  let parser: CdrLineParser;
  try {
    parser = new CdrLineParser(start.loaded.values);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    process.stderr.write(`${PROGRAM}: ${start.loaded.file}: ${err.message}\n`);
    return EXIT.USAGE;
  }
  return send(start.loaded.values, parser, start.source, start.input);
}

export function run(): void {
  main().then(
    (code) => exitAfterFlush(code),
    (err) => {
      process.stderr.write(`${PROGRAM}: ${errorLine(err)}\n`);
      exitAfterFlush(EXIT.FAILURE);
    },
  );
}
