import { isIP } from 'node:net';
import { ALL_FUNCTIONS } from '@utm5/core';
import { LoginType, UrfaClient, VarStore, type FunctionSchema } from '@utm5/protocol';
import type { Utm5Config } from '../utm5-database';

function schema(name: string): FunctionSchema {
  const f = ALL_FUNCTIONS.find((x) => x.schema.name === name);
  if (!f) throw new Error(`the core has no function ${name}`);
  return f.schema;
}

/** Where db_archiver finds the core's URFA server: its first urfa_bind_host (a wildcard means this host). */
export function coreAddress(config: Utm5Config): { host: string; port: number } {
  const bound = config.urfa_bind_host[0] ?? '127.0.0.1';
  const host = bound === '0.0.0.0' ? '127.0.0.1' : bound === '::' ? '::1' : bound;
  return { host: isIP(host) ? host : '127.0.0.1', port: config.urfa_bind_port };
}

/**
 * db_archiver -l: the core holds its database writes back while db_archiver moves rows (rpcf_archive_lock, renewed
 * before every step, so a killed db_archiver leaves the core paused for at most `seconds`).
 */
export class CoreLock {
  private constructor(
    private readonly client: UrfaClient,
    private readonly seconds: number,
  ) {}

  static async open(config: Utm5Config, login: string, password: string, seconds: number): Promise<CoreLock> {
    const { host, port } = coreAddress(config);
    const client = await UrfaClient.connect({
      host,
      port,
      login,
      password,
      loginType: LoginType.SYSTEM,
      sslMode: 6,
      timeoutMs: 30_000,
    });
    const lock = new CoreLock(client, seconds);
    try {
      await lock.hold();
    } catch (err) {
      await client.close();
      throw err;
    }
    return lock;
  }

  private async call(name: string, inputs: Record<string, string> = {}): Promise<void> {
    const vars = new VarStore();
    for (const [k, v] of Object.entries(inputs)) vars.set(k, [0], v);
    await this.client.call(schema(name), { vars, now: () => Math.floor(Date.now() / 1000) });
  }

  async hold(): Promise<void> {
    await this.call('rpcf_archive_lock', { timeout: String(this.seconds) });
  }

  async release(): Promise<void> {
    try {
      await this.call('rpcf_archive_unlock');
    } finally {
      await this.client.close();
    }
  }
}
