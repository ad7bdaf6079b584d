import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The installation's bin/ directory (this package runs from packages/testcase/dist). */
export const BIN = join(__dirname, '..', '..', '..', 'bin');

/** A program of the installation run as the sysadmin would run it; its output is kept for the error report. */
export interface Child {
  readonly proc: ChildProcess;
  output(): string;
  readonly exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

/** The programs started and not yet exited, for killChildren. */
const live = new Set<ChildProcess>();

/** Sends SIGTERM to every program still running (the case was interrupted: nothing else will stop them). */
export function killChildren(): void {
  for (const p of live) p.kill('SIGTERM');
}

export function startBin(program: string, args: readonly string[]): Child {
  const proc = spawn(process.execPath, [join(BIN, program), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | string>((r) => proc.once('exit', (code, sig) => r(code ?? sig ?? -1)));
  return {
    proc,
    exited,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      return exited;
    },
  };
}

/** Runs a program to its end; rejects with its output when it fails. */
export async function runBin(program: string, args: readonly string[]): Promise<void> {
  const c = startBin(program, args);
  const code = await c.exited;
  if (code !== 0) throw new Error(`${program} ${args.join(' ')} failed (${code}): ${c.output().trim()}`);
}

export async function waitUntil<T>(
  what: string,
  ms: number,
  check: () => T | undefined | false | Promise<T | undefined | false>,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
