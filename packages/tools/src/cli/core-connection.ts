import { join } from 'node:path';
import { EXIT, enumType, hostType, intType, param, pathType, stringType } from '@utm5/common';
import { LoginType, UrfaClientError } from '@utm5/protocol';
import { UrfaApi } from '@utm5/urfaclient';

/**
 * Exit codes of the tools that feed the core over URFA (utm5_send_traffic, utm5_send_cdr): 0 every line sent;
 * 6 some lines were bad or refused (each reported, the good ones sent); 2 usage or configuration; 3 core
 * unreachable; 4 login refused; 5 the login may not call the function; 7 protocol; 1 other.
 */
export const CORE_TOOL_EXIT = { ...EXIT, CONNECT: 3, REJECTED: 4, FORBIDDEN: 5, BAD_LINES: 6, PROTOCOL: 7 } as const;

/** The manual's connection keys (both tools' files), plus UTM5-TS's TLS, timeout and api.xml settings. */
export const coreConnectionParams = {
  core_host: param(hostType, { doc: 'IP address of the host the UTM5 core runs on.', default: '127.0.0.1' }),
  core_port: param(intType({ min: 1, max: 65534 }), {
    doc: "The port the core listens to URFA on (urfa_bind_port in the core's configuration file).",
    default: 11758,
  }),
  core_login: param(stringType({ nonEmpty: true }), { doc: 'Login to access the core.', default: 'init' }),
  core_password: param(stringType(), { doc: 'Password to access the core.', default: 'init', secret: true }),
  ssl_mode: param(enumType(['0', '5', '6']), {
    doc: 'UTM5-TS: URFA SSL mode: 6 TLS (default), 0 plain (loopback).',
    default: '6',
  }),
  timeout: param(intType({ min: 1, max: 3600 }), { doc: 'UTM5-TS: seconds to wait for the core.', default: 30 }),
  api: param(pathType, {
    doc: 'UTM5-TS: the api.xml scheme to call the core by.',
    defaultText: 'xml/api.xml of this installation',
  }),
};

export interface CoreConnectionValues {
  readonly core_host: string;
  readonly core_port: number;
  readonly core_login: string;
  readonly core_password: string;
  readonly ssl_mode: string;
  readonly timeout: number;
  readonly api?: string | undefined;
}

/** Logs in to the core as a system user with the connection keys. */
export function openCoreApi(cfg: CoreConnectionValues): Promise<UrfaApi> {
  return UrfaApi.open(cfg.api ?? join(__dirname, '..', '..', '..', '..', 'xml', 'api.xml'), {
    host: cfg.core_host,
    port: cfg.core_port,
    login: cfg.core_login,
    password: cfg.core_password,
    loginType: LoginType.SYSTEM,
    sslMode: Number(cfg.ssl_mode),
    timeoutMs: cfg.timeout * 1000,
  });
}

/** The exit code for a failure talking to the core. */
export function exitForCoreError(err: unknown): number {
  if (!(err instanceof UrfaClientError)) return EXIT.FAILURE;
  return err.kind === 'connect'
    ? CORE_TOOL_EXIT.CONNECT
    : err.kind === 'rejected'
      ? CORE_TOOL_EXIT.REJECTED
      : err.kind === 'forbidden'
        ? CORE_TOOL_EXIT.FORBIDDEN
        : CORE_TOOL_EXIT.PROTOCOL;
}
