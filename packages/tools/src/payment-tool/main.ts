import { existsSync, readFileSync } from 'node:fs';
import type { MultiBar } from 'cli-progress';
import { join } from 'node:path';
import { Command } from 'commander';
import {
  ConfigError,
  EXIT,
  errorLine,
  loadConfigText,
  problemLine,
  reportWarnings,
  validateEntries,
  versionLine,
  type LoadedConfig,
  exitAfterFlush,
} from '@utm5/common';
import { LayoutErrorTag, LoginType, UrfaClientError } from '@utm5/protocol';
import { UrfaApi } from '@utm5/urfaclient';
import { BatchFileError, parseBatch, type BatchRecord } from './batch-file';
import { BatchInterrupted, answerLine, runBatch, type BatchAnswer } from './batch';
import { paymentToolConfig, type PaymentToolConfig } from './config';
import { badAmount, credit, orderOf } from './payment';

const PROGRAM = 'utm5_payment_tool';

/**
 * Exit codes: 0 credited; 1 refused (unknown account, bad amount ...; with --batch: some line refused); 2 usage;
 * 3 core unreachable; 4 login refused; 8 duplicate (single payments only: a batch answers duplicates and goes on).
 */
export const PAYMENT_TOOL_EXIT = { ...EXIT, CONNECT: 3, REJECTED: 4, FORBIDDEN: 5, PROTOCOL: 7, DUPLICATE: 8 } as const;

const KEYS: [string, string][] = [
  ['h', 'core_host'],
  ['P', 'core_port'],
  ['l', 'core_user'],
  ['p', 'core_password'],
  ['k', 'user_comment'],
  ['L', 'admin_comment'],
  ['c', 'currency_id'],
  ['m', 'payment_method'],
  ['i', 'turn_on_internet'],
  ['a', 'account_id'],
  ['e', 'external_number'],
  ['b', 'payment'],
];

type Loaded = LoadedConfig<typeof paymentToolConfig.params>;

/** Command line first, then the config file over it (the manual's rule for this utility). */
function settings(file: string | undefined, cli: Record<string, string>): Loaded {
  const entries: { name: string; value: string; line: number }[] = Object.entries(cli).map(([name, value], i) => ({
    name,
    value,
    line: i + 1,
  }));
  const path = file ?? paymentToolConfig.defaultFile;
  const fromCli = validateEntries(paymentToolConfig, 'command line', entries);
  if (file === undefined && !existsSync(path)) return fromCli;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('UTM_CFG_UNREADABLE', [
      { file: path, line: 0, param: undefined, message: `cannot read configuration file: ${(err as Error).message}` },
    ]);
  }
  const fromFile = loadConfigText(paymentToolConfig, path, text);
  const values = { ...fromCli.values } as Record<string, unknown>;
  for (const [k, src] of Object.entries(fromFile.sources))
    if (src !== 'default' && src !== 'unset') values[k] = (fromFile.values as Record<string, unknown>)[k];
  return { ...fromFile, values: values as PaymentToolConfig, secrets: [...fromFile.secrets, ...fromCli.secrets] };
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const cmd = new Command(PROGRAM)
    .description(
      'Credits a payment to a customer account through the UTM5 core (URFA) and prints the payment transaction id.',
    )
    .helpOption('--help', 'show this help')
    .option(
      '--config <file>',
      `configuration file (default ${paymentToolConfig.defaultFile}, when it exists); it overrides the command line`,
    )
    .option('-v, --version', 'print the version')
    .option('--debit', 'let a negative -b take money from the account (without it a negative amount is refused)')
    .option(
      '--batch <file>',
      'credit every line of a CSV file (- for standard input) over one session: a header line names the columns ' +
        'account, amount, external_number (and optionally method, comment, admin_comment, currency); the other keys ' +
        'give what a column does not; prints `line<TAB>credited|duplicate|refused<TAB>transaction id or reason`',
    )
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const [k, p] of KEYS) cmd.option(`-${k} <value>`, `${p}`);
  try {
    cmd.parse(argv as string[], { from: 'user' });
  } catch (err) {
    const e = err as { code?: string };
    return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
  }
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  if (o['version']) {
    process.stdout.write(`${versionLine(PROGRAM)}\n`);
    return EXIT.OK;
  }
  const cli: Record<string, string> = {};
  for (const [k, p] of KEYS) if (typeof o[k] === 'string') cli[p] = o[k] as string;
  let cfg: PaymentToolConfig;
  try {
    const loaded = settings(typeof o['config'] === 'string' ? o['config'] : undefined, cli);
    reportWarnings(PROGRAM, loaded.warnings);
    cfg = loaded.values;
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`${PROGRAM}: ${problemLine(p)}\n`);
      return EXIT.USAGE;
    }
    throw err;
  }
  const fail = (code: number, msg: string) => {
    process.stderr.write(`${PROGRAM}: ${msg}\n`);
    return code;
  };
  const batchFile = typeof o['batch'] === 'string' ? o['batch'] : undefined;
  let batch: BatchRecord[] | undefined;
  if (batchFile !== undefined) {
    try {
      batch = parseBatch(readFileSync(batchFile === '-' ? 0 : batchFile, 'utf8'));
    } catch (err) {
      if (err instanceof BatchFileError) return fail(EXIT.USAGE, `--batch ${batchFile}: ${err.message}`);
      return fail(EXIT.USAGE, `--batch ${batchFile}: cannot read the batch file: ${(err as Error).message}`);
    }
  } else {
    if (cfg.account_id === undefined)
      return fail(EXIT.USAGE, 'no account: give -a ACCOUNT_ID (or account_id in the config file)');
    const bad = badAmount(cfg.payment, '-b');
    if (bad) return fail(EXIT.FAILURE, bad);
    // A minus typed by mistake would take money from a customer: a debit has to be meant.
    if (Number(cfg.payment) < 0 && !o['debit'])
      return fail(
        EXIT.USAGE,
        `-b ${cfg.payment.trim()} is negative: it would debit account ${cfg.account_id}; add --debit if that is meant`,
      );
  }
  const api = cfg.api ?? join(__dirname, '..', '..', '..', '..', 'xml', 'api.xml');
  let client: UrfaApi | undefined;
  try {
    client = await UrfaApi.open(api, {
      host: cfg.core_host,
      port: cfg.core_port,
      login: cfg.core_user,
      password: cfg.core_password,
      loginType: LoginType.SYSTEM,
      sslMode: Number(cfg.ssl_mode),
      timeoutMs: cfg.timeout * 1000,
    });
    if (batch) return await creditBatch(client, batch, cfg);
    const r = await credit(client, orderOf({ ...cfg, account_id: cfg.account_id! }));
    process.stdout.write(`${r.id}\n`);
    if (r.duplicate) {
      return fail(
        PAYMENT_TOOL_EXIT.DUPLICATE,
        `duplicate external number '${cfg.external_number}': it was already credited as payment ${r.id}; nothing credited now`,
      );
    }
    return EXIT.OK;
  } catch (err) {
    let cause = err;
    if (err instanceof BatchInterrupted) {
      process.stderr.write(
        `${PROGRAM}: batch stopped at line ${err.line}: that line and the ones after it may not be credited; ` +
          're-run the file (numbers already credited are not credited again)\n',
      );
      cause = err.cause;
    }
    if (cause instanceof LayoutErrorTag) return fail(EXIT.FAILURE, cause.message);
    if (cause instanceof UrfaClientError) {
      const code =
        cause.kind === 'connect'
          ? PAYMENT_TOOL_EXIT.CONNECT
          : cause.kind === 'rejected'
            ? PAYMENT_TOOL_EXIT.REJECTED
            : cause.kind === 'forbidden'
              ? PAYMENT_TOOL_EXIT.FORBIDDEN
              : PAYMENT_TOOL_EXIT.PROTOCOL;
      return fail(code, cause.message);
    }
    return fail(EXIT.FAILURE, errorLine(cause));
  } finally {
    await client?.close();
  }
}

/** --batch: every line answered on stdout, a progress bar on a terminal, a summary on stderr; 1 if any refused. */
async function creditBatch(client: UrfaApi, batch: readonly BatchRecord[], cfg: PaymentToolConfig): Promise<number> {
  let bars: MultiBar | undefined;
  let bar: ReturnType<MultiBar['create']> | undefined;
  if (process.stderr.isTTY && batch.length > 0) {
    const { MultiBar } = await import('cli-progress');
    bars = new MultiBar({
      stream: process.stderr,
      format: `${PROGRAM} {bar} {percentage}% | {value}/{total} lines`,
      hideCursor: true,
    });
    bar = bars.create(batch.length, 0);
  }
  // On one terminal the answers go above the bar (they would be drawn over otherwise).
  const print = (a: BatchAnswer) => {
    if (bars && process.stdout.isTTY) bars.log(answerLine(a));
    else process.stdout.write(answerLine(a));
    bar?.increment();
  };
  try {
    const t = await runBatch(client, batch, cfg, print);
    process.stderr.write(
      `${PROGRAM}: ${batch.length} lines: ${t.credited} credited, ${t.duplicate} already credited, ${t.refused} refused\n`,
    );
    return t.refused > 0 ? EXIT.FAILURE : EXIT.OK;
  } finally {
    bars?.stop();
  }
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
