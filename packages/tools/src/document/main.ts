import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SingleBar } from 'cli-progress';
import { Command, CommanderError } from 'commander';
import { EXIT, errorLine, exitAfterFlush, loadConfigFile, reportWarnings, versionLine } from '@utm5/common';
import { DOC_TYPES, LayoutErrorTag, LoginType, UrfaClientError, docType } from '@utm5/protocol';
import { UrfaApi, urfaclientConfig } from '@utm5/urfaclient';

const PROGRAM = 'utm5_document';

/**
 * Exit codes: 0 written; 1 refused by the core (no such invoice, no template, no PDF converter ...; `invoices`: any
 * one refused); 2 usage; 3 core unreachable; 4 login refused.
 */
export const DOCUMENT_EXIT = { ...EXIT, CONNECT: 3, REJECTED: 4 } as const;

class Usage extends Error {}

interface RenderOptions {
  template: string;
  invoice?: string;
  payment?: string;
  user?: string;
  format?: string;
  output?: string;
}

interface InvoicesOptions {
  from: string;
  to: string;
  account?: string;
  template: string;
  format: string;
  dir: string;
}

type Job = { kind: 'render'; o: RenderOptions } | { kind: 'invoices'; o: InvoicesOptions };

function fail(code: number, message: string): number {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  return code;
}

function whole(text: string | undefined, flag: string, min = 0): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min)
    throw new Usage(`${flag} ${text ?? ''}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}`);
  return Number(text);
}

const TEMPLATE_NAMES = DOC_TYPES.map((t) => t.name).join(', ');

function templateOf(name: string) {
  const t = docType(name);
  if (!t) throw new Usage(`--template ${name}: not one of ${TEMPLATE_NAMES}`);
  return t;
}

function formatOf(text: string): 'odt' | 'pdf' {
  const f = text.toLowerCase();
  if (f !== 'odt' && f !== 'pdf') throw new Usage(`--format ${text}: odt or pdf`);
  return f;
}

/** Renders one document in the core; the bytes, or the core's reason. */
async function fetchDocument(
  client: UrfaApi,
  docType: number,
  baseId: number,
  format: 'odt' | 'pdf',
): Promise<{ bytes: Buffer } | { error: string }> {
  const r = await client.call('utm5ts_render_document', {
    doc_type: docType,
    base_id: baseId,
    file_type: format === 'pdf' ? 1 : 0,
  });
  if (r.get('result') !== '0') return { error: r.get('error') || 'refused by the core' };
  return { bytes: Buffer.from(r.get('doc_data') ?? '', 'base64') };
}

/**
 * `utm5_document render --template invoice --invoice N -o out.pdf`: the core renders the document (or returns the
 * copy it kept when it was first issued) and this writes it, printing the path. `utm5_document invoices --from T
 * --to T -d DIR` does so for every invoice dated in the window, with a progress bar on a terminal.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let job: Job | undefined;
  const program = new Command(PROGRAM)
    .description('Gets documents (invoices, receipts, contracts ...) rendered by utm5_core from its ODT templates.')
    .option(
      '-c, --config <path>',
      'utm5_urfaclient.cfg: where the core is and the login',
      '/netup/utm5/utm5_urfaclient.cfg',
    )
    .option('--version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  program
    .command('render')
    .description('render one document and write it to a file')
    .requiredOption('--template <type>', `document type: ${TEMPLATE_NAMES}`)
    .option('--invoice <id>', 'the invoice (invoice, vat_invoice, acceptance_report, call_details)')
    .option('--payment <id>', 'the payment (receipt)')
    .option('--user <id>', 'the user (user_memo, contract)')
    .option('--format <odt|pdf>', 'file format (default: from the -o extension, else pdf)')
    .option('-o, --output <file>', 'where to write it (default: <template>-<id>.<format> here)')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .action((o: RenderOptions) => {
      job = { kind: 'render', o };
    });
  program
    .command('invoices')
    .description('render every invoice dated in [--from, --to) into a directory, one path a line')
    .requiredOption('--from <unix>', 'first invoice date (unix time)')
    .requiredOption('--to <unix>', 'end of the window (unix time, not included)')
    .option('--account <id>', 'of this account only')
    .option('--template <type>', 'invoice, vat_invoice, acceptance_report or call_details', 'invoice')
    .option('--format <odt|pdf>', 'file format', 'pdf')
    .option('-d, --dir <dir>', 'directory to write <template>-<invoice>.<format> into', '.')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .action((o: InvoicesOptions) => {
      job = { kind: 'invoices', o };
    });
  try {
    program.parse(argv as string[], { from: 'user' });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version')
      return EXIT.OK;
    return fail(EXIT.USAGE, err.message.replace(/^error: /, '').split('\n')[0]!);
  }
  const top = program.opts<{ config: string; version?: boolean }>();
  if (top.version) {
    process.stdout.write(`${versionLine(PROGRAM)}\n`);
    return EXIT.OK;
  }
  if (!job) return fail(EXIT.USAGE, "no command: give 'render' or 'invoices' (see --help)");
  const j: Job = job;

  let cfg;
  try {
    // The file is optional, as for utm5_urfaclient: without it the defaults reach a core on this host as init.
    const loaded = existsSync(top.config) ? loadConfigFile(urfaclientConfig, top.config) : undefined;
    if (loaded) reportWarnings(PROGRAM, loaded.warnings);
    cfg = loaded?.values;
  } catch (err) {
    return fail(EXIT.USAGE, errorLine(err));
  }
  let client: UrfaApi | undefined;
  try {
    // Usage is checked before connecting: a typo costs no login.
    const run = j.kind === 'render' ? prepareRender(j.o) : prepareInvoices(j.o);
    const api = cfg?.api ?? join(cfg?.xml_path ?? join(__dirname, '..', '..', '..', '..', 'xml'), 'api.xml');
    client = await UrfaApi.open(api, {
      host: cfg?.core_host ?? '127.0.0.1',
      port: cfg?.core_port ?? 11758,
      login: cfg?.core_login ?? 'init',
      password: cfg?.core_password ?? 'init',
      loginType: LoginType.SYSTEM,
      sslMode: Number(cfg?.ssl_mode ?? 6),
      timeoutMs: (cfg?.timeout ?? 60) * 1000,
    });
    return await run(client);
  } catch (err) {
    if (err instanceof Usage) return fail(EXIT.USAGE, err.message);
    if (err instanceof LayoutErrorTag) return fail(EXIT.FAILURE, err.message);
    if (err instanceof UrfaClientError)
      return fail(
        err.kind === 'connect'
          ? DOCUMENT_EXIT.CONNECT
          : err.kind === 'rejected'
            ? DOCUMENT_EXIT.REJECTED
            : EXIT.FAILURE,
        err.message,
      );
    return fail(EXIT.FAILURE, errorLine(err));
  } finally {
    await client?.close();
  }
}

function prepareRender(o: RenderOptions): (c: UrfaApi) => Promise<number> {
  const type = templateOf(o.template);
  const idText = o[type.base];
  if (idText === undefined) throw new Usage(`--template ${o.template} needs --${type.base} ID`);
  const id = whole(idText, `--${type.base}`, 1);
  const fromExt = o.output?.match(/\.(odt|pdf)$/i)?.[1];
  const format = formatOf(o.format ?? fromExt ?? 'pdf');
  const output = resolve(o.output ?? `${o.template}-${id}.${format}`);
  return async (client) => {
    const doc = await fetchDocument(client, type.id, id, format);
    if ('error' in doc) return fail(EXIT.FAILURE, `${o.template} of ${type.base} ${id}: ${doc.error}`);
    writeFileSync(output, doc.bytes);
    process.stdout.write(`${output}\n`);
    return EXIT.OK;
  };
}

function prepareInvoices(o: InvoicesOptions): (c: UrfaApi) => Promise<number> {
  const type = templateOf(o.template);
  if (type.base !== 'invoice') throw new Usage(`--template ${o.template} is not a document of an invoice`);
  const from = whole(o.from, '--from');
  const to = whole(o.to, '--to');
  if (to <= from) throw new Usage(`--to ${to} is not after --from ${from}`);
  const account = o.account === undefined ? 0 : whole(o.account, '--account', 1);
  const format = formatOf(o.format);
  const dir = resolve(o.dir);
  return async (client) => {
    const list = await client.call('rpcf_get_invoices_list', { aid: account, time_start: from, time_end: to, gid: 0 });
    const ids: number[] = [];
    const accounts = Number(list.get('accts_size') ?? 0);
    for (let i = 0; i < accounts; i++)
      for (let k = 0; k < Number(list.get('count_of_invoice_array', [i]) ?? 0); k++)
        ids.push(Number(list.get('id', [i, k])));
    mkdirSync(dir, { recursive: true });
    let bar: SingleBar | undefined;
    if (process.stderr.isTTY && ids.length > 1) {
      const { SingleBar: Bar } = await import('cli-progress');
      bar = new Bar({ stream: process.stderr, format: `${PROGRAM} {bar} {value}/{total} invoices`, hideCursor: true });
      bar.start(ids.length, 0);
    }
    // Refusals are told after the bar (it would draw over them); without a terminal, they go at once.
    const refusals: string[] = [];
    let written = 0;
    for (const id of ids) {
      const doc = await fetchDocument(client, type.id, id, format);
      if ('error' in doc) {
        const line = `${PROGRAM}: ${o.template} of invoice ${id}: ${doc.error}\n`;
        if (bar) refusals.push(line);
        else process.stderr.write(line);
      } else {
        const path = join(dir, `${o.template}-${id}.${format}`);
        writeFileSync(path, doc.bytes);
        process.stdout.write(`${path}\n`);
        written++;
      }
      bar?.increment();
    }
    bar?.stop();
    for (const line of refusals) process.stderr.write(line);
    const failed = ids.length - written;
    process.stderr.write(`${PROGRAM}: ${ids.length - failed} of ${ids.length} invoices written to ${dir}\n`);
    return failed > 0 ? EXIT.FAILURE : EXIT.OK;
  };
}

export function run(): void {
  void main(process.argv.slice(2)).then(exitAfterFlush);
}
