import { Command } from 'commander';
import { UtmError, versionLine } from '@utm5/common';
import { PARAM_FLAG, type ActionCall } from './call-list';

export class UsageError extends UtmError {}

/** The manual's keys; the multi-letter single-dash ones are turned into long options for commander. */
const MULTI: Record<string, string> = {
  '-api': '--api',
  '-dealer': '--dealer',
  '-help': '--script-help',
  '-debug': '--debug',
  '-datafile': '--datafile',
};
const SINGLE = new Set(['-h', '-p', '-l', '-P', '-x', '-s', '-i', '-a', '-c', '-u', '-v']);

export interface UrfaclientArgs {
  readonly config: string | undefined;
  readonly overrides: Record<string, string>;
  readonly action: string | undefined;
  readonly scriptHelp: boolean;
  readonly debug: boolean;
  readonly datafile: string | undefined;
  readonly version: boolean;
  /** -<name> value pairs for the script (a repeated name gives several values): every one on the command line. */
  readonly params: Map<string, string[]>;
  /** Each -a in order, with the -<name> values given before the first -a and those after it up to the next -a. */
  readonly calls: readonly ActionCall[];
  /** --calls FILE: a file of calls (see call-list.ts), run after the -a ones. */
  readonly callsFile: string | undefined;
}

/**
 * Parses utm5_urfaclient's command line as the manual has it: "-key value" pairs in any order, -help, -debug, -u
 * and -dealer without a value, and any other -<name> value as a script parameter.
 */
export function parseArgs(argv: readonly string[]): UrfaclientArgs {
  const params = new Map<string, string[]>();
  const common = new Map<string, string[]>();
  const own: { action: string; params: Map<string, string[]> }[] = [];
  const forCommander: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!;
    if (t === '--help' || t === '--version') {
      forCommander.push(t);
    } else if (t === '--calls') {
      if (i + 1 >= argv.length) throw new UsageError('UTM_USAGE', `${t} needs a value`);
      forCommander.push(t, argv[++i]!);
    } else if (MULTI[t]) {
      forCommander.push(MULTI[t]!);
      if (t === '-api' || t === '-datafile') {
        if (i + 1 >= argv.length) throw new UsageError('UTM_USAGE', `${t} needs a value`);
        forCommander.push(argv[++i]!);
      }
    } else if (SINGLE.has(t)) {
      forCommander.push(t);
      if (t !== '-u' && t !== '-v') {
        if (i + 1 >= argv.length) throw new UsageError('UTM_USAGE', `${t} needs a value`);
        forCommander.push(argv[++i]!);
        if (t === '-a') own.push({ action: argv[i]!, params: new Map() });
      }
    } else if (PARAM_FLAG.test(t)) {
      if (i + 1 >= argv.length) throw new UsageError('UTM_USAGE', `script parameter ${t} needs a value`);
      const name = t.slice(1);
      const value = argv[++i]!;
      params.set(name, [...(params.get(name) ?? []), value]);
      const into = own.length > 0 ? own[own.length - 1]!.params : common;
      into.set(name, [...(into.get(name) ?? []), value]);
    } else {
      throw new UsageError('UTM_USAGE', `unexpected '${t}': parameters are given as -name value`);
    }
  }
  const cmd = new Command('utm5_urfaclient')
    .description(
      'Runs a URFA action script (<xml_path>/<action>.xml) against utm5_core, printing call outputs as XML.\n' +
        'Any other -<name> value is a parameter of the script.',
    )
    .helpOption('--help', 'show this help')
    .option('-h <host>', 'core host (core_host)')
    .option('-p <port>', 'core URFA port (core_port)')
    .option('-l <login>', 'login (core_login)')
    .option('-P <password>', 'password (core_password)')
    .option('-x <dir>', 'directory of api.xml and the scripts (xml_path)')
    .option('--api <file>', 'scheme file, as -api (api)')
    .option('-u', 'log in as a customer (plain_user)')
    .option('--dealer', 'log in as a dealer, as -dealer (dealer)')
    .option('-s <key>', 'customer session key to restore (session_key)')
    .option('-i <ip>', 'IP the restored session was opened from (user_ip)')
    .option(
      '-a <action>',
      'action name: runs <xml_path>/<action>.xml; several -a run in order on one login, each with the ' +
        'parameters given before the first -a and those after it',
    )
    .option(
      '--calls <file>',
      'a file of calls (- for standard input), run in order on one login: one action a line with its ' +
        'parameters, as `get_userinfo -user_id 7`; # starts a comment',
    )
    .option('-c <file>', 'configuration file (default /netup/utm5/utm5_urfaclient.cfg, when it exists)')
    .option('--script-help', "with -a, print the script's parameters, as -help")
    .option('--debug', 'print every call and the variables to stderr, as -debug')
    .option('--datafile <file>', 'data file with input arrays, as -datafile')
    .option('-v, --version', 'print the version')
    .exitOverride()
    .allowExcessArguments(false);
  cmd.parse(forCommander, { from: 'user' });
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  const overrides: Record<string, string> = {};
  const map: [string, string][] = [
    ['h', 'core_host'],
    ['p', 'core_port'],
    ['l', 'core_login'],
    ['P', 'core_password'],
    ['x', 'xml_path'],
    ['api', 'api'],
    ['s', 'session_key'],
    ['i', 'user_ip'],
  ];
  for (const [k, p] of map) if (typeof o[k] === 'string') overrides[p] = o[k] as string;
  if (o['u']) overrides['plain_user'] = 'yes';
  if (o['dealer']) overrides['dealer'] = 'yes';
  return {
    config: typeof o['c'] === 'string' ? o['c'] : undefined,
    overrides,
    action: typeof o['a'] === 'string' ? o['a'] : undefined,
    scriptHelp: o['scriptHelp'] === true,
    debug: o['debug'] === true,
    datafile: typeof o['datafile'] === 'string' ? o['datafile'] : undefined,
    version: o['version'] === true,
    params,
    calls: own.map((c) => {
      const merged = new Map(common);
      for (const [k, v] of c.params) merged.set(k, v);
      return { action: c.action, params: merged };
    }),
    callsFile: typeof o['calls'] === 'string' ? o['calls'] : undefined,
  };
}

export function versionText(): string {
  return versionLine('utm5_urfaclient');
}
