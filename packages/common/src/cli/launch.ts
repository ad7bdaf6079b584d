import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What bin/ launchers call. A tool's one-file bundle (scripts/bundle.js, made by `npm install` and `npm run build`)
 * starts in a fraction of the time its compiled modules take; it is used only while no package it was made from has
 * been rebuilt since (their .tsbuildinfo, listed in <entry>.bundle.json, is older than the bundle), so a `tsc -b`
 * after an edit never runs old code: the compiled modules are run instead until the bundle is made again.
 *
 * This module must stay free of imports beyond node's own: it runs before the bundle, on every start.
 */
export function launch(entry: string): void {
  const mod = freshBundle(entry) ?? `${entry}.js`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- which module runs is decided at run time
  (require(mod) as { run(): void }).run();
}

/** The bundle of `entry` when it exists and is newer than every package it was made from. */
export function freshBundle(entry: string): string | undefined {
  const bundle = `${entry}.bundle.js`;
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(`${entry}.bundle.json`, 'utf8')) as { tsbuildinfo: string[] };
    const base = dirname(bundle);
    for (const f of inputs.tsbuildinfo) if (statSync(join(base, f)).mtimeMs > built) return undefined;
    return bundle;
  } catch {
    return undefined;
  }
}
