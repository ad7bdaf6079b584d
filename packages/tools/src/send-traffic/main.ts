import { createReadStream, existsSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Command } from 'commander';
import {
  ConfigError,
  EXIT,
  describeConfig,
  errorLine,
  exitAfterFlush,
  loadConfigFile,
  problemLine,
  reportWarnings,
  validateEntries,
  versionLine,
  type LoadedConfig,
} from '@utm5/common';
import type { UrfaApi } from '@utm5/urfaclient';
import { CORE_TOOL_EXIT, exitForCoreError, openCoreApi } from '../cli/core-connection';
import { sendTrafficConfig, type SendTrafficConfig } from './config';
import { parseTrafficLine, type TrafficEntry } from './traffic-line';

const PROGRAM = 'utm5_send_traffic';
const DEFAULT_SOURCE = '/netup/utm5/source.dat';

/** The exit codes of the tools that feed the core (the same for utm5_send_cdr). */
export const SEND_TRAFFIC_EXIT = CORE_TOOL_EXIT;

type Loaded = LoadedConfig<typeof sendTrafficConfig.params>;

/** The file given with -c; without -c the default file when it exists, else the declared defaults. */
function settings(file: string | undefined): Loaded {
  if (file === undefined && !existsSync(sendTrafficConfig.defaultFile))
    return validateEntries(sendTrafficConfig, 'defaults', []);
  return loadConfigFile(sendTrafficConfig, file ?? sendTrafficConfig.defaultFile);
}

/** Batches of entries, each sent as one rpcf_put_unif_iptr call; remembers the first line of the unsent batch. */
class Sender {
  sent = 0;
  calls = 0;
  private batch: TrafficEntry[] = [];
  private firstLine = 0;

  constructor(
    private readonly api: UrfaApi,
    private readonly size: number,
  ) {}

  /** The line the unsent entries start at (for the failure message). */
  get pendingFrom(): number {
    return this.firstLine;
  }

  async add(e: TrafficEntry, line: number): Promise<void> {
    if (this.batch.length === 0) this.firstLine = line;
    this.batch.push(e);
    if (this.batch.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    const b = this.batch;
    if (b.length === 0) return;
    await this.api.call('rpcf_put_unif_iptr', {
      count: b.length,
      login: b.map((e) => e.login),
      ipid: b.map((e) => e.ipid),
      tclass: b.map((e) => e.tclass),
      d_oct: b.map((e) => e.bytes),
    });
    this.sent += b.length;
    this.calls++;
    this.batch = [];
  }
}

async function send(cfg: SendTrafficConfig, source: string, input: Readable): Promise<number> {
  const name = source === '-' ? '<stdin>' : source;
  const fail = (code: number, msg: string) => {
    process.stderr.write(`${PROGRAM}: ${msg}\n`);
    return code;
  };
  let api: UrfaApi;
  try {
    api = await openCoreApi(cfg);
  } catch (err) {
    input.destroy();
    return fail(exitForCoreError(err), `${errorLine(err)}; nothing sent`);
  }
  const sender = new Sender(api, cfg.batch_size);
  let bad = 0;
  let n = 0;
  try {
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      n++;
      const r = parseTrafficLine(text);
      if (r.kind === 'bad') {
        bad++;
        process.stderr.write(`${PROGRAM}: ${name}:${n}: ${r.reason}; line not sent\n`);
      } else if (r.kind === 'entry') await sender.add(r.entry, n);
    }
    await sender.flush();
  } catch (err) {
    const from = sender.pendingFrom > 0 ? `; the lines from ${name}:${sender.pendingFrom} on were not sent` : '';
    return fail(exitForCoreError(err), `${errorLine(err)}; ${sender.sent} line(s) sent${from}`);
  } finally {
    input.destroy();
    await api.close();
  }
  process.stdout.write(
    `${sender.sent} traffic line(s) sent in ${sender.calls} call(s)${bad > 0 ? `; ${bad} bad line(s) not sent` : ''}\n`,
  );
  return bad > 0 ? SEND_TRAFFIC_EXIT.BAD_LINES : EXIT.OK;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description(
      'Sends IP traffic given per login (lines "LOGIN BYTES TCLASS IP") to the UTM5 core, which charges it (URFA 0x5511).',
    )
    .helpOption('-h, --help', 'show this help')
    .option('-c <path>', `configuration file (default ${sendTrafficConfig.defaultFile}, when it exists)`)
    .option('-s <path>', 'traffic file to import; - for standard input', DEFAULT_SOURCE)
    .option('-v', 'print the version and the effective parameters')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (err) {
    return (err as { code?: string }).code === 'commander.helpDisplayed' ? EXIT.OK : EXIT.USAGE;
  }
  const o = cmd.opts<{ c?: string; s: string; v?: boolean }>();
  let loaded: Loaded;
  try {
    loaded = settings(o.c);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) process.stderr.write(`${PROGRAM}: ${problemLine(p)}\n`);
    return EXIT.USAGE;
  }
  reportWarnings(PROGRAM, loaded.warnings);
  if (o.v) {
    process.stdout.write(
      `${versionLine(PROGRAM)}\nconfiguration ${loaded.file}:\n${describeConfig(sendTrafficConfig, loaded)}\n`,
    );
    return EXIT.OK;
  }
  let input: Readable;
  if (o.s === '-') input = process.stdin;
  else {
    try {
      // Opened before connecting, so a wrong -s is a usage error that costs no login.
      const fd = openSync(o.s, 'r');
      input = createReadStream('', { fd, encoding: 'utf8' });
    } catch (err) {
      process.stderr.write(`${PROGRAM}: -s ${o.s}: cannot read the traffic file: ${(err as Error).message}\n`);
      return EXIT.USAGE;
    }
  }
  return send(loaded.values, o.s, input);
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
