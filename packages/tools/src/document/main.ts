import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT, errorLine, exitAfterFlush, loadConfigFile, reportWarnings, versionLine } from '@utm5/common';
import { LayoutErrorTag, LoginType, UrfaClientError } from '@utm5/protocol';
import { UrfaApi, urfaclientConfig } from '@utm5/urfaclient';

const PROGRAM = 'utm5_document';

/** Document types as the core numbers them (doc_type of rpcf_get_document) and what each is of. */
const TEMPLATES: Record<string, { id: number; base: 'invoice' | 'payment' | 'user' }> = {
  invoice: { id: 1, base: 'invoice' },
  vat_invoice: { id: 2, base: 'invoice' },
  acceptance_report: { id: 3, base: 'invoice' },
  receipt: { id: 4, base: 'payment' },
  user_memo: { id: 5, base: 'user' },
  contract: { id: 6, base: 'user' },
  call_details: { id: 7, base: 'invoice' },
};

/** Exit codes: 0 written; 1 refused by the core (no such invoice, no template, no PDF converter ...); 2 usage; 3 core unreachable; 4 login refused. */
export const DOCUMENT_EXIT = { ...EXIT, CONNECT: 3, REJECTED: 4 } as const;

interface RenderOptions {
  template: string;
  invoice?: string;
  payment?: string;
  user?: string;
  format?: string;
  output?: string;
}

function fail(code: number, message: string): number {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  return code;
}

/**
 * `utm5_document render --template invoice --invoice N -o out.pdf`: the core renders the document (or returns the
 * copy it kept when it was first issued) and this writes it, printing the path.
 */
export async function main(argv: readonly string[]): Promise<number> {
  let action: RenderOptions | undefined;
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
    .requiredOption('--template <type>', `document type: ${Object.keys(TEMPLATES).join(', ')}`)
    .option('--invoice <id>', 'the invoice (invoice, vat_invoice, acceptance_report, call_details)')
    .option('--payment <id>', 'the payment (receipt)')
    .option('--user <id>', 'the user (user_memo, contract)')
    .option('--format <odt|pdf>', 'file format (default: from the -o extension, else pdf)')
    .option('-o, --output <file>', 'where to write it (default: <template>-<id>.<format> here)')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .action((o: RenderOptions) => {
      action = o;
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
  if (!action) return fail(EXIT.USAGE, "no command: give 'render' (see --help)");
  const o = action;
  const type = TEMPLATES[o.template];
  if (!type) return fail(EXIT.USAGE, `--template ${o.template}: not one of ${Object.keys(TEMPLATES).join(', ')}`);
  const idText = o[type.base];
  if (idText === undefined) return fail(EXIT.USAGE, `--template ${o.template} needs --${type.base} ID`);
  if (!/^\d+$/.test(idText) || Number(idText) === 0)
    return fail(EXIT.USAGE, `--${type.base} ${idText}: expected a positive id`);
  const fromExt = o.output?.match(/\.(odt|pdf)$/i)?.[1]?.toLowerCase();
  const format = (o.format ?? fromExt ?? 'pdf').toLowerCase();
  if (format !== 'odt' && format !== 'pdf') return fail(EXIT.USAGE, `--format ${o.format}: odt or pdf`);
  const output = resolve(o.output ?? `${o.template}-${idText}.${format}`);

  let cfg;
  try {
    // The file is optional, as for utm5_urfaclient: without it the defaults reach a core on this host as init.
    const loaded = existsSync(top.config) ? loadConfigFile(urfaclientConfig, top.config) : undefined;
    if (loaded) reportWarnings(PROGRAM, loaded.warnings);
    cfg = loaded?.values;
  } catch (err) {
    return fail(EXIT.USAGE, errorLine(err));
  }
  const api = cfg?.api ?? join(cfg?.xml_path ?? join(__dirname, '..', '..', '..', '..', 'xml'), 'api.xml');
  let client: UrfaApi | undefined;
  try {
    client = await UrfaApi.open(api, {
      host: cfg?.core_host ?? '127.0.0.1',
      port: cfg?.core_port ?? 11758,
      login: cfg?.core_login ?? 'init',
      password: cfg?.core_password ?? 'init',
      loginType: LoginType.SYSTEM,
      sslMode: Number(cfg?.ssl_mode ?? 6),
      timeoutMs: (cfg?.timeout ?? 60) * 1000,
    });
    const r = await client.call('utm5ts_render_document', {
      doc_type: type.id,
      base_id: Number(idText),
      file_type: format === 'pdf' ? 1 : 0,
    });
    if (r.get('result') !== '0')
      return fail(EXIT.FAILURE, `${o.template} of ${type.base} ${idText}: ${r.get('error') || 'refused by the core'}`);
    const bytes = Buffer.from(r.get('doc_data') ?? '', 'base64');
    writeFileSync(output, bytes);
    process.stdout.write(`${output}\n`);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof LayoutErrorTag)
      return fail(EXIT.FAILURE, `${o.template} of ${type.base} ${idText}: ${err.message}`);
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

export function run(): void {
  void main(process.argv.slice(2)).then(exitAfterFlush);
}
