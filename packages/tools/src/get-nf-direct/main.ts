import { stat } from 'node:fs/promises';
import { Command } from 'commander';
import { EXIT, errorLine, exitAfterFlush, versionLine } from '@utm5/common';
import { parseCommand } from '../cli/command';
import { readRawDir, readRawFlows, type RawFileSummary } from '@utm5/netflow';
import { UsageError } from '../cli/args';
import { columnsFor } from './columns';
import { flowFilter } from './filter';
import { parseOptions, type RawSource } from './options';
import { csvReport, plainReport, type Write } from './report';

const PROGRAM = 'utm5_get_nf_direct';

/** The reader of the report went away (`| head`): not an error, the report just ends. */
class OutputClosed extends Error {}

/** The manual's get_nf_direct: a detailed traffic report from the raw (.utm) files the collector writes. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description("Detailed traffic report from raw traffic files (.utm), as the UTM5 manual's get_nf_direct makes.")
    .helpOption('-h, --help', 'show the version and this help')
    .option('-v, --version', 'print the version')
    .option('-D <dir>', 'directory of raw traffic files (every .utm file in it, in name order)')
    .option('-b <file>', 'one raw traffic file (inside -D when both are given)')
    .option('-a <account>', 'account id')
    .option('-s <ip>', 'source address, or a network such as 10.0.0.0/24')
    .option('-d <ip>', 'destination address or network')
    .option('-p <port>', 'source port')
    .option('-P <port>', 'destination port')
    .option('-c <class>', 'traffic class id')
    .option('-f <time>', 'from this time (unix seconds; flows are timed by their end)')
    .option('-t <time>', 'till this time, exclusive (unix seconds; default: now)')
    .option('-l <lines>', 'at most this many lines (default: unlimited)')
    .option('-e', 'extended statistics: slink, provider, interfaces, TOS, TCP flags, AS, next hop')
    .option('-C', 'CSV output (times as unix seconds)')
    .addHelpText('beforeAll', `${versionLine(PROGRAM)}\n`);
  const o = parseCommand(cmd, argv);
  if (typeof o === 'number') return o;
  try {
    const opts = parseOptions(o, Math.floor(Date.now() / 1000));
    await checkSource(opts.source);
    const columns = columnsFor(opts.extended);
    const write = stdoutWrite();
    const report = opts.csv ? csvReport(columns, write) : plainReport(columns, write);
    const match = flowFilter(opts.query);
    let damaged = false;
    const onEnd = (s: RawFileSummary) => {
      if (!s.problem) return;
      // A partial last record is how a file being written looks: said, but the report is whole.
      const warning = s.problem.reason === 'truncated';
      damaged ||= !warning;
      process.stderr.write(`${PROGRAM}: ${warning ? 'warning: ' : ''}${s.path}: ${s.problem.message}\n`);
    };
    const flows = 'file' in opts.source ? readRawFlows(opts.source.file, onEnd) : readRawDir(opts.source.dir, onEnd);
    try {
      let rows = 0;
      for await (const f of flows) {
        if (!match(f)) continue;
        await report.add(f);
        if (++rows >= opts.limit) break;
      }
      await report.end();
    } catch (err) {
      if (err instanceof OutputClosed) return EXIT.OK;
      throw err;
    }
    return damaged ? EXIT.FAILURE : EXIT.OK;
  } catch (err) {
    process.stderr.write(`${PROGRAM}: ${err instanceof UsageError ? err.message : errorLine(err)}\n`);
    return err instanceof UsageError ? EXIT.USAGE : EXIT.FAILURE;
  }
}

/** A missing or wrong kind of -D/-b path is a usage error naming the option, found before any output. */
async function checkSource(src: RawSource): Promise<void> {
  const [flag, path, dir] = 'file' in src ? ['-b', src.file, false] : ['-D', src.dir, true];
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(
      `${flag} ${path}: ${e.code === 'ENOENT' ? `no such ${dir ? 'directory' : 'file'}` : e.message}`,
    );
  }
  if (isDir !== dir)
    throw new UsageError(`${flag} ${path}: ${dir ? 'not a directory' : 'is a directory (give it with -D)'}`);
}

function stdoutWrite(): Write {
  let closed = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
  });
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(new OutputClosed());
      process.stdout.write(text, (err) => {
        if (!err) resolve();
        else reject((err as NodeJS.ErrnoException).code === 'EPIPE' ? new OutputClosed() : err);
      });
    });
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
