import { join } from 'node:path';
import { TestClock, loadConfigText, nullLogger, type RootLogger } from '@utm5/common';
import { tempDir } from '@utm5/common/testing';
import { WHEEL_GROUP_ID } from '@utm5/db';
import { coreConfig } from '../config/core-config';
import { Core } from '../core';
import type { Principal } from '../system-users/principal';
import { urfaInjector, type Inject } from '../urfa/inject';
import { T0 } from './billing-fixture';

const quiet: RootLogger = { ...nullLogger, addSecret() {}, reopen() {}, close() {}, child: () => nullLogger };

/** The built-in administrator (Wheel), as URFA handler tests call as. */
export const INIT: Principal = { kind: 'system', id: -1, login: 'init', groups: [WHEEL_GROUP_ID] };

export interface TestCore {
  readonly core: Core;
  readonly clock: TestClock;
  /** Calls a URFA function in process, through its layouts (see urfa/inject.ts). */
  readonly inject: Inject;
  done(): Promise<void>;
}

/**
 * The whole core on a fresh SQLite database, the test clock at 2003-04-01 UTC, no URFA listener and Stream on an
 * ephemeral loopback port: for URFA handler tests through `inject`, without sockets.
 */
export async function testCore(extra: Record<string, string> = {}): Promise<TestCore> {
  const t = tempDir('utm5-core-test-');
  const lines = {
    database_type: 'sqlite',
    database: join(t.dir, 'utm5.db'),
    stream_bind_host: '127.0.0.1',
    secret_key_file: join(t.dir, 'utm5.key'),
    ssl_cert_file: join(t.dir, 'cert.crt'),
    ssl_privkey_file: join(t.dir, 'key.pem'),
    core_pid_file: join(t.dir, 'core.pid'),
    test_clock: 'enable',
    timezone: 'UTC',
    ...extra,
  };
  const text = Object.entries(lines)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const config = {
    ...loadConfigText(coreConfig, join(t.dir, 'utm5.cfg'), text).values,
    urfa_bind_host: [],
    stream_bind_port: 0,
  };
  const clock = new TestClock(T0);
  const core = await Core.open({ config, log: quiet, clock });
  try {
    await core.start();
  } catch (err) {
    t.cleanup();
    throw err;
  }
  return {
    core,
    clock,
    inject: urfaInjector(core),
    async done() {
      await core.stop();
      t.cleanup();
    },
  };
}
