import type { Socket } from 'node:net';
import { inAnyCidr, normalizeIp } from '@utm5/common';
import { UrfaServerConnection, type UrfaServerOptions } from '@utm5/protocol';
import type { SecureContext } from 'node:tls';
import { urfaLogin, type LoginResolvers } from '../login/login-lookup';
import type { ConnectionHandle } from '../net/tcp-listener';
import type { Principal } from '../system-users/principal';
import type { CoreMetrics } from '../metrics/core-metrics';
import type { HandlerContext } from './core-function';
import type { FunctionRegistry } from './registry';

/**
 * Session restore by SID is a right, like a function: system users whose groups grant this id may do it (Wheel
 * does). It lies in the UTM5-TS extension range and is not callable.
 */
export const SESSION_RESTORE_RIGHT = 0x60000100;

/** What the URFA server needs beyond what its handlers get. */
export type UrfaProtocolDeps = HandlerContext & {
  readonly tls: SecureContext;
  readonly loginResolvers: LoginResolvers;
  readonly functions: FunctionRegistry;
  readonly counters: { readonly urfa: { malformed: number; loginsRefused: number } };
  readonly metrics?: Pick<CoreMetrics, 'timeCall'>;
};

/** The URFA protocol bound to the core: logins, TLS, permissions, the function registry and the journal. */
export function urfaProtocol(core: UrfaProtocolDeps): (socket: Socket, peer: string) => ConnectionHandle {
  const cfg = core.config;
  const log = core.log.child({ component: 'urfa' });
  const sessions = core.urfaSessions;
  const options: UrfaServerOptions<Principal> = {
    lookupLogin: (login, type, ip) => urfaLogin(core.systemUsers, core.loginResolvers, login, type, ip),
    mayRestore: (p) => p.kind === 'system' && core.systemUsers.permitted(p, SESSION_RESTORE_RIGHT),
    sessions,
    plainAllowed: (ip) => inAnyCidr(ip, cfg.urfa_plain_allowed),
    secureContext: () => core.tls,
    lookupFunction: (fid) => {
      const f = core.functions.get(fid);
      if (!f) return undefined;
      const m = core.metrics;
      return {
        schema: f.schema,
        handler: m ? (call) => m.timeCall(f.schema.name, () => f.handler(call, core)) : (call) => f.handler(call, core),
      };
    },
    permitted: (p, fid) => core.systemUsers.permitted(p, fid),
    onRefused: (p, fid, peer, why) =>
      core.journal(p, peer, 'urfa_refused', `${why} function ${fid < 0 ? '-' : ''}0x${Math.abs(fid).toString(16)}`),
    log,
    now: () => core.clock.now(),
    loginTimeoutMs: cfg.urfa_login_timeout * 1000,
    idleTimeoutMs: cfg.urfa_idle_timeout * 1000,
    maxCallValues: 1_000_000,
    counters: core.counters.urfa,
  };
  return (socket, peer) => {
    const conn = new UrfaServerConnection(socket, peer, normalizeIp(socket.remoteAddress ?? '0.0.0.0'), options);
    return { close: () => conn.shutdown() };
  };
}
