import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import {
  RFW_METHOD,
  StreamServerConnection,
  type RfwCommandWire,
  type RfwExecResult,
  type StreamServerOptions,
  type UrfaIdentity,
} from '@utm5/protocol';
import type { Logger, LogLevelName } from '@utm5/common';

/** A logger that keeps its lines ("level: message") for tests to look at. */
export function memoryLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: LogLevelName) => (m: string) => lines.push(`${level}: ${m}`);
  const l = {
    lines,
    emerg: at('emerg'),
    alert: at('alert'),
    crit: at('crit'),
    error: at('error'),
    warn: at('warn'),
    notice: at('notice'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    stats: at('stats'),
    log: (level: LogLevelName, m: string) => at(level)(m),
    child: () => l,
    enabled: () => true,
  };
  return l;
}

/** The sample's logging firewall_path (config/rfw/log-command.js): appends its argv as one JSON line. */
export const SAMPLE_RECORDER = join(__dirname, '..', '..', '..', 'config', 'rfw', 'log-command.js');

const quiet = { debug() {}, info() {}, notice() {}, warn() {}, error() {} };

/**
 * A stand-in core for utm5_rfw's tests: a StreamServerConnection from @utm5/protocol that lets rfw/secret-pw in,
 * answers RFW_METHOD.SYNC with `syncAnswer` and calls RFW_METHOD.EXEC on the newest link.
 */
export async function fakeRfwCore(syncAnswer: (flags: unknown) => unknown, host = '127.0.0.1') {
  const links: StreamServerConnection<UrfaIdentity>[] = [];
  const syncs: unknown[] = [];
  const o: StreamServerOptions<UrfaIdentity> = {
    serverName: 'test-core',
    lookupLogin: (login) =>
      login === 'rfw'
        ? { ok: true, candidates: [{ principal: { kind: 'system', id: -4, login: 'rfw' }, password: 'secret-pw' }] }
        : { ok: false, reason: 'unknown' },
    snapshot: () => undefined,
    lastSeq: async () => 0,
    applyRecords: async () => ({ applied: true }),
    callHandler: (_p, method) =>
      method === RFW_METHOD.SYNC
        ? async (args: unknown) => {
            syncs.push(args);
            return syncAnswer(args);
          }
        : undefined,
    now: () => 0,
    testClock: false,
    log: quiet,
    loginTimeoutMs: 5000,
    silenceTimeoutMs: 60_000,
  };
  const server: Server = createServer((s) => links.push(new StreamServerConnection(s, 'peer', '127.0.0.1', o)));
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  const port = (server.address() as { port: number }).port;
  const live = () => links.filter((l) => l.answers(RFW_METHOD.EXEC));
  return {
    port,
    links,
    syncs,
    live,
    exec: async (commands: RfwCommandWire[]) =>
      (await live().at(-1)!.call(RFW_METHOD.EXEC, { commands }, 10_000)) as RfwExecResult,
    async close() {
      for (const l of links) await l.shutdown();
      await new Promise((r) => server.close(r));
    },
  };
}
