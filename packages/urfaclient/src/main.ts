import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  EXIT,
  UtmError,
  errorLine,
  loadConfigText,
  reportWarnings,
  validateEntries,
  type LoadedConfig,
  exitAfterFlush,
} from '@utm5/common';
import { LoginType, UrfaClient, UrfaClientError, VarStore, type IndexPath } from '@utm5/protocol';
import { loadApiXml } from './api-schema';
import { parseArgs, versionText } from './args';
import { INSTALLED_XML, urfaclientConfig, type UrfaclientConfig } from './config';
import { loadDataFile } from './datafile';
import { OutputWriter } from './output';
import { ScriptExit, loadScript, runScript, scriptParameters } from './script';

const PROGRAM = 'utm5_urfaclient';

/** Exit codes: 0 success, 1 script or call failure, 2 usage or configuration, 3..7 connection outcomes, or an <error> code. */
export const URFACLIENT_EXIT = {
  ...EXIT,
  CONNECT: 3,
  REJECTED: 4,
  FORBIDDEN: 5,
  UNKNOWN_FUNCTION: 6,
  PROTOCOL: 7,
} as const;

function clientExit(err: UrfaClientError): number {
  switch (err.kind) {
    case 'connect':
      return URFACLIENT_EXIT.CONNECT;
    case 'rejected':
      return URFACLIENT_EXIT.REJECTED;
    case 'forbidden':
      return URFACLIENT_EXIT.FORBIDDEN;
    case 'unknown_function':
      return URFACLIENT_EXIT.UNKNOWN_FUNCTION;
    default:
      return URFACLIENT_EXIT.PROTOCOL;
  }
}

function loadSettings(
  file: string | undefined,
  overrides: Record<string, string>,
): LoadedConfig<typeof urfaclientConfig.params> {
  const path = file ?? urfaclientConfig.defaultFile;
  let base: LoadedConfig<typeof urfaclientConfig.params>;
  if (file !== undefined || existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError('UTM_CFG_UNREADABLE', [
        { file: path, line: 0, param: undefined, message: `cannot read configuration file: ${(err as Error).message}` },
      ]);
    }
    base = loadConfigText(urfaclientConfig, path, text);
  } else {
    base = validateEntries(urfaclientConfig, '(defaults)', []);
  }
  const keys = Object.keys(overrides);
  if (keys.length === 0) return base;
  const cli = validateEntries(
    urfaclientConfig,
    'command line',
    keys.map((k, i) => ({ name: k, value: overrides[k]!, line: i + 1 })),
  );
  const values = { ...base.values } as Record<string, unknown>;
  for (const k of keys) values[k] = (cli.values as Record<string, unknown>)[k];
  return { ...base, values: values as UrfaclientConfig, secrets: [...base.secrets, ...cli.secrets] };
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const stderr = (s: string) => process.stderr.write(s);
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message: string };
    if (e.code === 'commander.helpDisplayed') return EXIT.OK;
    if (e.code?.startsWith('commander.')) return EXIT.USAGE;
    stderr(`${PROGRAM}: ${e.message}\n`);
    return EXIT.USAGE;
  }
  if (args.version) {
    process.stdout.write(`${versionText()}\n`);
    return EXIT.OK;
  }

  let cfg: UrfaclientConfig;
  try {
    const loaded = loadSettings(args.config, args.overrides);
    reportWarnings(PROGRAM, loaded.warnings);
    cfg = loaded.values;
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems)
        stderr(`${PROGRAM}: ${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message}\n`);
      return EXIT.USAGE;
    }
    throw err;
  }
  if (!args.action) {
    stderr(`${PROGRAM}: no action: give -a NAME to run <xml_path>/NAME.xml (see --help)\n`);
    return EXIT.USAGE;
  }
  const xmlPath = cfg.xml_path ?? INSTALLED_XML;
  const apiFile = cfg.api ?? join(xmlPath, 'api.xml');
  const out = new OutputWriter((s) => process.stdout.write(s));
  let client: UrfaClient | undefined;
  const vars = new VarStore();
  try {
    const script = loadScript(join(xmlPath, `${args.action}.xml`));
    if (args.scriptHelp) {
      const params = scriptParameters(script);
      process.stdout.write(`Parameters of action ${args.action} (${script.file}):\n`);
      if (params.length === 0) process.stdout.write('  (none)\n');
      const width = Math.max(0, ...params.map((p) => p.name.length)) + 2;
      for (const p of params) {
        const how =
          p.value !== undefined
            ? `set by the script to '${p.value}'`
            : p.default !== undefined
              ? `default: ${p.default}`
              : 'required';
        process.stdout.write(`  -${p.name.padEnd(width)}${p.comment ? `${p.comment} ` : ''}(${how})\n`);
      }
      return EXIT.OK;
    }
    const api = loadApiXml(apiFile);
    if (args.datafile) loadDataFile(args.datafile, vars, (name) => args.params.has(name));
    const loginType = cfg.plain_user ? LoginType.CUSTOMER : cfg.dealer ? LoginType.ANY : LoginType.SYSTEM;
    const restore = cfg.session_key ? { sid: Buffer.from(cfg.session_key, 'hex'), ip: cfg.user_ip } : undefined;
    if (restore && (restore.sid.length !== 16 || !/^[0-9a-f]{32}$/i.test(cfg.session_key!))) {
      stderr(`${PROGRAM}: session_key must be 32 hex digits\n`);
      return EXIT.USAGE;
    }
    client = await UrfaClient.connect({
      host: cfg.core_host,
      port: cfg.core_port,
      login: cfg.core_login,
      password: cfg.core_password,
      loginType,
      sslMode: Number(cfg.ssl_mode),
      timeoutMs: cfg.timeout * 1000,
      ...(restore ? { restore } : {}),
      ...(cfg.ssl_client_cert
        ? {
            tls: {
              cert: readFileSync(cfg.ssl_client_cert),
              key: readFileSync(cfg.ssl_client_key ?? cfg.ssl_client_cert),
            },
          }
        : {}),
    });
    const c = client;
    out.begin();
    await runScript(script, {
      api,
      vars,
      commandLine: args.params,
      out,
      now: () => Math.floor(Date.now() / 1000),
      call: (schema, onValue) =>
        c.call(schema, {
          vars,
          now: () => Math.floor(Date.now() / 1000),
          onValue: (node, path: IndexPath, value) =>
            onValue(
              node.tag,
              node.name,
              (node as { arrayIndex?: string }).arrayIndex !== undefined ? path : undefined,
              value,
            ),
        }),
      ...(args.debug ? { debug: (l: string) => stderr(`debug: ${l}\n`) } : {}),
    });
    return EXIT.OK;
  } catch (err) {
    if (err instanceof ScriptExit) {
      stderr(`${PROGRAM}: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof UrfaClientError) {
      stderr(`${PROGRAM}: ${err.message}\n`);
      return clientExit(err);
    }
    if (err instanceof UtmError) {
      stderr(`${PROGRAM}: ${err.message}\n`);
      return EXIT.FAILURE;
    }
    stderr(`${PROGRAM}: ${errorLine(err)}\n`);
    return EXIT.FAILURE;
  } finally {
    out.end();
    if (args.debug) for (const l of vars.dump()) stderr(`debug: ${l}\n`);
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
