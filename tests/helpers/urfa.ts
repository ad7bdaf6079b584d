import { join } from 'node:path';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './core-instance';
import { ROOT } from './paths';
import { runProgram } from './process';

/** Runs bin/utm5_urfaclient against a test core (as init unless told otherwise), from the repository root. */
export function urfaclient(core: CoreInstance, args: string[], opts: { login?: string; password?: string } = {}) {
  return runProgram(
    'utm5_urfaclient',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(core.urfaPort),
      '-l',
      opts.login ?? 'init',
      '-P',
      opts.password ?? 'init',
      ...args,
    ],
    { cwd: ROOT },
  );
}

/** The value of a parameter in urfaclient's XML output (the first one, or the one at an index). */
export function value(xml: string, name: string): string {
  const m = new RegExp(`name="${name}"(?: index="[^"]*")? value="([^"]*)"`).exec(xml);
  if (!m) throw new Error(`no ${name} in ${xml}`);
  return m[1]!;
}

/** A test core on the test clock (UTC) set to `time`, with a URFA API session as init over the generated api.xml. */
export interface UrfaSession {
  readonly core: CoreInstance;
  readonly api: UrfaApi;
  call(name: string, inputs?: Parameters<UrfaApi['call']>[1]): ReturnType<UrfaApi['call']>;
  close(): Promise<void>;
}

export async function urfaSession(time: number): Promise<UrfaSession> {
  const core = await createCore({ config: { test_clock: 'enable', timezone: 'UTC' } });
  const api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
    host: '127.0.0.1',
    port: core.urfaPort,
    login: 'init',
    password: 'init',
  });
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => api.call(name, inputs);
  await call('utm5ts_set_time', { time });
  return {
    core,
    api,
    call,
    async close() {
      await api.close();
      await core.cleanup();
    },
  };
}

/** A time range entry (UTC) from `from` to `to` seconds around `t`, as rpcf_add_time_range takes it. */
export function rangeAround(t: number, from: number, to: number) {
  const part = (s: number) => {
    const d = new Date(s * 1000);
    return { wday: d.getUTCDay(), hour: d.getUTCHours(), min: d.getUTCMinutes(), sec: d.getUTCSeconds() };
  };
  const a = part(t + from);
  const b = part(t + to);
  return {
    sec_start: [a.sec],
    min_start: [a.min],
    hour_start: [a.hour],
    wday_start: [a.wday],
    sec_stop: [b.sec],
    min_stop: [b.min],
    hour_stop: [b.hour],
    wday_stop: [b.wday],
    internal_id: [],
    mday: [],
    month: [],
  };
}
