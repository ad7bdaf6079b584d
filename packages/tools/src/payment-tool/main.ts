import { existsSync, readFileSync } from 'node:fs';
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
import { paymentToolConfig, type PaymentToolConfig } from './config';

const PROGRAM = 'utm5_payment_tool';

/** Exit codes: 0 credited; 1 refused (unknown account, bad amount ...); 2 usage; 3 core unreachable; 4 login refused; 8 duplicate. */
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
  if (cfg.account_id === undefined)
    return fail(EXIT.USAGE, 'no account: give -a ACCOUNT_ID (or account_id in the config file)');
  const amount = cfg.payment.trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(amount) || Number(amount) === 0) {
    return fail(EXIT.FAILURE, `bad amount '${cfg.payment}' (-b): give a non-zero decimal number such as 100 or 99.50`);
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
    const v = await client.call('utm5ts_add_payment', {
      account_id: cfg.account_id,
      payment: amount,
      currency_id: cfg.currency_id,
      payment_method: cfg.payment_method === 0 ? 1 : cfg.payment_method,
      admin_comment: cfg.admin_comment,
      comment: cfg.user_comment,
      payment_ext_number: cfg.external_number,
      turn_on_inet: cfg.turn_on_internet ? 1 : 0,
    });
    const id = v.get('payment_transaction_id') ?? '0';
    if (v.get('duplicate') === '1') {
      process.stdout.write(`${id}\n`);
      return fail(
        PAYMENT_TOOL_EXIT.DUPLICATE,
        `duplicate external number '${cfg.external_number}': it was already credited as payment ${id}; nothing credited now`,
      );
    }
    process.stdout.write(`${id}\n`);
    return EXIT.OK;
  } catch (err) {
    if (err instanceof LayoutErrorTag) return fail(EXIT.FAILURE, err.message);
    if (err instanceof UrfaClientError) {
      const code =
        err.kind === 'connect'
          ? PAYMENT_TOOL_EXIT.CONNECT
          : err.kind === 'rejected'
            ? PAYMENT_TOOL_EXIT.REJECTED
            : err.kind === 'forbidden'
              ? PAYMENT_TOOL_EXIT.FORBIDDEN
              : PAYMENT_TOOL_EXIT.PROTOCOL;
      return fail(code, err.message);
    }
    return fail(EXIT.FAILURE, errorLine(err));
  } finally {
    await client?.close();
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
