import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProgram, type Running } from './process';

/** A real daemon process for one test: its config file, start/restart, and its counters file read on demand. */
export interface DaemonInstance<S> {
  readonly dir: string;
  proc: Running;
  start(): Promise<Running>;
  stats(): S | undefined;
  /** Polls the counters until `pred` holds; fails early when the daemon exits. */
  until(what: string, pred: (s: S) => boolean, ms?: number): Promise<S>;
  cleanup(): Promise<void>;
}

export async function startDaemon<S>(
  program: string,
  dir: string,
  configName: string,
  config: Record<string, string>,
  statsFile: string,
): Promise<DaemonInstance<S>> {
  const file = join(dir, configName);
  writeFileSync(
    file,
    Object.entries(config)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
  const inst: DaemonInstance<S> = {
    dir,
    proc: undefined as unknown as Running,
    async start() {
      rmSync(statsFile, { force: true });
      inst.proc = startProgram(program, ['-c', file]);
      await inst.proc.waitForOutput(/\bstarted, pid \d+/);
      return inst.proc;
    },
    stats() {
      try {
        return JSON.parse(readFileSync(statsFile, 'utf8')) as S;
      } catch {
        return undefined;
      }
    },
    async until(what, pred, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const s = inst.stats();
        if (s && pred(s)) return s;
        if (inst.proc.child.exitCode !== null)
          throw new Error(`${program} exited while waiting for ${what}: ${inst.proc.output()}`);
        if (Date.now() > end)
          throw new Error(
            `timed out waiting for ${what}; ${program} counters ${JSON.stringify(s)}\n${inst.proc.output()}`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async cleanup() {
      await inst.proc?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await inst.start();
  return inst;
}
