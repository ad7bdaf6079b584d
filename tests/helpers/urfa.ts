import type { CoreInstance } from './core-instance';
import { ROOT } from './paths';
import { runProgram } from './process';

/** Runs bin/utm5_urfaclient against a test core (as init unless told otherwise), from the repository root. */
export function urfaclient(core: CoreInstance, args: string[], opts: { login?: string; password?: string } = {}) {
  return runProgram('utm5_urfaclient', [
    '-h', '127.0.0.1', '-p', String(core.urfaPort), '-l', opts.login ?? 'init', '-P', opts.password ?? 'init', ...args,
  ], { cwd: ROOT });
}
