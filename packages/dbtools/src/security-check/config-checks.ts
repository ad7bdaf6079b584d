import { existsSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { isLoopback, type Cidr, type ConfigSchema, type LoadedConfig, type ParamSpec } from '@utm5/common';
import type { SecurityFinding } from './finding';

/** A program's configuration as the program itself would load it (defaults applied), with the schema it was read by. */
export interface ProgramConfig {
  readonly schema: ConfigSchema;
  readonly loaded: LoadedConfig<ParamSpec>;
}

export type StatFn = (path: string) => Stats | undefined;

export const statOrUndefined: StatFn = (path) => (existsSync(path) ? statSync(path) : undefined);

const WILDCARDS = new Set(['0.0.0.0', '::']);

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}

function valuesOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/**
 * Config files readable or writable beyond their owner and group, and the key and state files they name (keys:
 * owner only; state: not others). Relative paths are taken from the working directory, as the programs take them.
 */
export function checkFilePermissions(
  configs: readonly ProgramConfig[],
  otherFiles: readonly string[],
  stat: StatFn = statOrUndefined,
): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  const seen = new Set<string>();
  const configFile = (file: string, secrets: readonly string[]) => {
    const st = stat(file);
    if (!st || seen.has(file)) return;
    seen.add(file);
    const holds = secrets.length > 0 ? ` and holds ${secrets.join(', ')}` : '';
    if ((st.mode & 0o007) !== 0)
      out.push({
        check: 'file-permissions',
        where: file,
        problem: `configuration file mode ${octal(st.mode)} lets every local user read it${holds}`,
        fix: `chmod 640 ${file} (owner root or utm5, group utm5)`,
      });
    else if ((st.mode & 0o020) !== 0)
      out.push({
        check: 'file-permissions',
        where: file,
        problem: `configuration file mode ${octal(st.mode)} lets its group change it`,
        fix: `chmod 640 ${file}`,
      });
  };
  for (const c of configs) {
    const setSecrets = Object.entries(c.schema.params)
      .filter(([name, p]) => p.secret && typeof c.loaded.sources[name] === 'object' && c.loaded.values[name] !== '')
      .map(([name]) => name);
    configFile(c.loaded.file, setSecrets);
    for (const [name, p] of Object.entries(c.schema.params)) {
      if (!p.file) continue;
      // `database` is a file only for the embedded database; for MySQL it is a name.
      if (name === 'database' && c.loaded.values['database_type'] !== 'sqlite') continue;
      for (const v of valuesOf(c.loaded.values[name])) {
        if (typeof v !== 'string' || v === '') continue;
        const path = resolve(v);
        const paths = name === 'database' ? [path, `${path}-wal`] : [path];
        for (const f of paths) {
          const st = stat(f);
          if (!st || seen.has(f)) continue;
          seen.add(f);
          const bad = p.file === 'key' ? 0o077 : 0o007;
          if ((st.mode & bad) === 0) continue;
          const what = p.file === 'key' ? 'secret key material' : st.isDirectory() ? 'billing state' : 'billing data';
          out.push({
            check: 'file-permissions',
            where: `${f} (${name} in ${c.loaded.file})`,
            problem: `mode ${octal(st.mode)} lets ${p.file === 'key' ? 'others than its owner' : 'every local user'} read ${what}`,
            fix: `chmod ${st.isDirectory() ? (p.file === 'key' ? '700' : '750') : p.file === 'key' ? '600' : '640'} ${f}`,
          });
        }
      }
    }
  }
  for (const f of otherFiles) configFile(f, []);
  return out;
}

/** Listeners on every address (0.0.0.0, ::): each should name the one address its clients reach it on. */
export function checkWildcardListeners(configs: readonly ProgramConfig[]): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (const l of listeners(configs)) {
    if (!WILDCARDS.has(l.address)) continue;
    out.push({
      check: 'wildcard-listener',
      where: `${l.param} in ${l.file}`,
      problem: `${l.program} listens on ${l.address} port ${l.port}, every interface of the host${l.defaulted ? ' (the default: the parameter is not set)' : ''}`,
      fix: `set ${l.param} to the one address its clients use (127.0.0.1 when they run on this host), and firewall the port`,
    });
  }
  return out;
}

/** Stream links in clear on a non-loopback address: daemons' passwords and billing events readable on the wire. */
export function checkPlainStream(configs: readonly ProgramConfig[]): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  for (const l of listeners(configs)) {
    if (!l.tlsBy || l.tls || isLoopback(l.address)) continue;
    out.push({
      check: 'plain-stream',
      where: `${l.param} in ${l.file}`,
      problem: `${l.program} serves Stream without TLS on ${l.address} port ${l.port}: the daemons' logins and every billing event cross the network in clear`,
      fix: `set ${l.tlsBy}=enable (and core_tls=enable in each daemon's config), or ${l.param}=127.0.0.1 when the daemons run on this host`,
    });
  }
  return out;
}

/**
 * URFA without TLS from beyond loopback: SSL modes 0-4 are served plain, so a network in urfa_plain_allowed that
 * reaches a non-loopback listener sees logins (CHAP, but replayable by a listener) and every call in clear.
 */
export function checkPlainUrfa(core: ProgramConfig): SecurityFinding[] {
  const v = core.loaded.values;
  const binds = valuesOf(v['urfa_bind_host']).filter((a): a is string => typeof a === 'string');
  const exposed = binds.filter((a) => !isLoopback(a));
  if (exposed.length === 0) return [];
  const plain = valuesOf(v['urfa_plain_allowed']) as Cidr[];
  return plain
    .filter((n) => !(isLoopback(n.network) && n.bits >= (n.network.includes(':') ? 128 : 8)))
    .map((n) => ({
      check: 'plain-urfa' as const,
      where: `urfa_plain_allowed in ${core.loaded.file}`,
      problem: `URFA without TLS (SSL modes 0-4) is accepted from ${n.network}/${n.bits} on ${exposed.join(', ')} port ${String(v['urfa_bind_port'])}: logins and calls cross the network in clear`,
      fix: `remove ${n.network}/${n.bits} from urfa_plain_allowed; clients there connect with SSL mode 5 or 6 (TLS)`,
    }));
}

/** The test clock moves billing time by hand: a production core must follow the wall clock. */
export function checkTestClock(core: ProgramConfig): SecurityFinding[] {
  if (core.loaded.values['test_clock'] !== true) return [];
  return [
    {
      check: 'test-clock',
      where: `test_clock in ${core.loaded.file}`,
      problem: 'the test clock is on: billing time moves only when an administrator sets it over URFA',
      fix: 'set test_clock=disable on a production core',
    },
  ];
}

/** MySQL without a password in the configuration (the server probe for a passwordless login is in database-checks). */
export function checkDatabasePasswordSet(core: ProgramConfig): SecurityFinding[] {
  const v = core.loaded.values;
  if (v['database_type'] !== 'mysql' || v['database_password'] !== '') return [];
  return [
    {
      check: 'database-password',
      where: `database_password in ${core.loaded.file}`,
      problem: `the core logs in to MySQL as '${String(v['database_login'] ?? 'the current user')}' without a password`,
      fix: "ALTER USER ... IDENTIFIED BY '...' on the server, then set database_password (the file mode 0640)",
    },
  ];
}

interface Listener {
  readonly program: string;
  readonly file: string;
  readonly param: string;
  readonly address: string;
  readonly port: number;
  readonly defaulted: boolean;
  readonly tlsBy: string | undefined;
  readonly tls: boolean;
}

function listeners(configs: readonly ProgramConfig[]): Listener[] {
  const out: Listener[] = [];
  for (const c of configs) {
    const v = c.loaded.values;
    for (const [name, p] of Object.entries(c.schema.params)) {
      if (!p.listen) continue;
      if (p.listen.enabledBy && v[p.listen.enabledBy] !== true) continue;
      const port = v[p.listen.port];
      if (typeof port !== 'number' || port === 0) continue;
      for (const address of valuesOf(v[name])) {
        if (typeof address !== 'string') continue;
        out.push({
          program: c.schema.program,
          file: c.loaded.file,
          param: name,
          address,
          port,
          defaulted: c.loaded.sources[name] === 'default',
          tlsBy: p.listen.tlsBy,
          tls: p.listen.tlsBy !== undefined && v[p.listen.tlsBy] === true,
        });
      }
    }
  }
  return out;
}
