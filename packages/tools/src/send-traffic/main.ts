import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { EXIT, errorLine, exitAfterFlush } from '@utm5/common';
import type { UrfaApi } from '@utm5/urfaclient';
import { CORE_TOOL_EXIT, exitForCoreError, openCoreApi } from '../cli/core-connection';
import { startImportTool } from '../cli/import-tool';
import { sendTrafficConfig, type SendTrafficConfig } from './config';
import { parseTrafficLine, type TrafficEntry } from './traffic-line';

const PROGRAM = 'utm5_send_traffic';

/** The exit codes of the tools that feed the core (the same for utm5_send_cdr). */
export const SEND_TRAFFIC_EXIT = CORE_TOOL_EXIT;

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
  const start = startImportTool(argv, {
    program: PROGRAM,
    description:
      'Sends IP traffic given per login (lines "LOGIN BYTES TCLASS IP") to the UTM5 core, which charges it (URFA 0x5511).',
    schema: sendTrafficConfig,
    what: 'traffic',
  });
  if ('exit' in start) return start.exit;
  return send(start.loaded.values, start.source, start.input);
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
