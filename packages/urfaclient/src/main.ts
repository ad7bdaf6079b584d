import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  EXIT,
  closestName,
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
import { ScriptExit, loadScript, runScript, scriptParameters, type Script } from './script';
import { CallListError, readCallList, withCommon, type ActionCall } from './call-list';

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
  let calls: ActionCall[];
  try {
    // One -a keeps the manual's rule: every -<name> on the line is its parameter, wherever it stands.
    calls = args.calls.length === 1 ? [{ action: args.calls[0]!.action, params: args.params }] : [...args.calls];
    if (args.callsFile !== undefined)
      calls.push(...readCallList(args.callsFile).map((c) => withCommon(c, args.params)));
  } catch (err) {
    if (!(err instanceof CallListError)) throw err;
    stderr(`${PROGRAM}: ${err.message}\n`);
    return EXIT.USAGE;
  }
  if (calls.length === 0) {
    stderr(`${PROGRAM}: no action: give -a NAME to run <xml_path>/NAME.xml (see --help)\n`);
    return EXIT.USAGE;
  }
  const several = calls.length > 1;
  const xmlPath = cfg.xml_path ?? INSTALLED_XML;
  const apiFile = cfg.api ?? join(xmlPath, 'api.xml');
  const out = new OutputWriter((s) => process.stdout.write(s));
  let client: UrfaClient | undefined;
  // With several calls a message says which one it is about; one call's messages are as they always were.
  const which = (i: number) => (several ? `call ${i + 1} (${calls[i]!.action}): ` : '');
  let current = 0;
  let firstFailure: number = EXIT.OK;
  try {
    const scripts = calls.map((c, i) => {
      current = i;
      return loadScript(join(xmlPath, `${c.action}.xml`));
    });
    if (args.scriptHelp) {
      for (const [i, script] of scripts.entries()) printScriptHelp(calls[i]!.action, script);
      return EXIT.OK;
    }
    // A -name no script of this run takes would be dropped without a word (a typo sends the call without it).
    const known = [...new Set(scripts.flatMap((sc) => scriptParameters(sc).map((p) => p.name)))];
    for (const [i, c] of calls.entries()) {
      for (const name of c.params.keys()) {
        if (known.includes(name)) continue;
        const near = closestName(name, known);
        stderr(
          `${PROGRAM}: ${which(i)}-${name} is not a parameter of ${c.action}` +
            `${near ? `; did you mean -${near}?` : ''} (-a ${c.action} -help lists them)\n`,
        );
        return EXIT.USAGE;
      }
    }
    current = 0;
    const api = loadApiXml(apiFile);
    // A bad data file is a mistake to report before logging in (it is read again for each call's own variables).
    if (args.datafile) loadDataFile(args.datafile, new VarStore(), (name) => calls[0]!.params.has(name));
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
    for (const [i, script] of scripts.entries()) {
      current = i;
      const vars = new VarStore();
      try {
        if (args.datafile) loadDataFile(args.datafile, vars, (name) => calls[i]!.params.has(name));
        await runScript(script, {
          api,
          vars,
          commandLine: calls[i]!.params,
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
      } catch (err) {
        // A refused call leaves the session usable: the next calls still run; a lost session ends the run.
        if (!several || !callOnlyFailure(err)) throw err;
        const code = failureExit(err, which(i));
        if (firstFailure === EXIT.OK) firstFailure = code;
      } finally {
        if (args.debug) for (const l of vars.dump()) stderr(`debug: ${l}\n`);
      }
    }
    return firstFailure;
  } catch (err) {
    const code = failureExit(err, which(current));
    return firstFailure === EXIT.OK ? code : firstFailure;
  } finally {
    out.end();
    await client?.close();
  }
}

/** True for a failure of one call that leaves the session as it was (a script error, a refused function). */
function callOnlyFailure(err: unknown): boolean {
  if (err instanceof UrfaClientError) return err.kind === 'forbidden' || err.kind === 'unknown_function';
  return err instanceof UtmError;
}

/** Prints why a call failed (prefixed with which call it was, when there are several); returns its exit code. */
function failureExit(err: unknown, prefix: string): number {
  const say = (msg: string) => process.stderr.write(`${PROGRAM}: ${prefix}${msg}\n`);
  if (err instanceof ScriptExit) {
    say(err.message);
    return err.exitCode;
  }
  if (err instanceof UrfaClientError) {
    say(err.message);
    return clientExit(err);
  }
  say(err instanceof UtmError ? err.message : errorLine(err));
  return EXIT.FAILURE;
}

function printScriptHelp(action: string, script: Script): void {
  const params = scriptParameters(script);
  process.stdout.write(`Parameters of action ${action} (${script.file}):\n`);
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
