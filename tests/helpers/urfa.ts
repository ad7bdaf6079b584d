import type { CoreInstance } from './core-instance';
import { ROOT } from './paths';
import { runProgram } from './process';

/** Runs bin/utm5_urfaclient against a test core (as init unless told otherwise), from the repository root. */
export function urfaclient(core: CoreInstance, args: string[], opts: { login?: string; password?: string } = {}) {
  return runProgram('utm5_urfaclient', [
    '-h', '127.0.0.1', '-p', String(core.urfaPort), '-l', opts.login ?? 'init', '-P', opts.password ?? 'init', ...args,
  ], { cwd: ROOT });
}

/** The value of a parameter in urfaclient's XML output (the first one, or the one at an index). */
export function value(xml: string, name: string): string {
  const m = new RegExp(`name="${name}"(?: index="[^"]*")? value="([^"]*)"`).exec(xml);
  if (!m) throw new Error(`no ${name} in ${xml}`);
  return m[1]!;
}
