#!/usr/bin/env node
'use strict';
// Bundles each CLI tool into one file beside its compiled entry (packages/<pkg>/dist/<tool>/main.bundle.js), from
// the TypeScript sources so that esbuild can leave out what the tool never reaches (winston, the DB layer, the rest
// of @utm5/common's barrel): the tools then start in about the time of `node -e 0`. Run by `npm install` (prepare)
// and `npm run build`, after tsc. <entry>.bundle.json lists the .tsbuildinfo of every package bundled, which the
// launcher (packages/common/src/cli/launch.ts) compares with the bundle's mtime to never run a stale bundle.
const { existsSync, writeFileSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');

let esbuild;
try {
  esbuild = require('esbuild');
} catch (err) {
  // No esbuild binary for this platform: the launchers run the compiled modules (slower to start, same behaviour).
  console.warn(`bundle: esbuild cannot be loaded (${err.message}); the CLI tools will start from their modules`);
  process.exit(0);
}

const root = join(__dirname, '..');
const packages = join(root, 'packages');

/** Tool entries: source, and the compiled entry (without .js) the bundle sits beside. */
const TOOLS = [
  ['urfaclient/src/main.ts', 'urfaclient/dist/main'],
  ['tools/src/payment-tool/main.ts', 'tools/dist/payment-tool/main'],
  ['tools/src/send-traffic/main.ts', 'tools/dist/send-traffic/main'],
  ['tools/src/send-cdr/main.ts', 'tools/dist/send-cdr/main'],
  ['tools/src/get-nf-direct/main.ts', 'tools/dist/get-nf-direct/main'],
  ['tools/src/flowgen/main.ts', 'tools/dist/flowgen/main'],
  ['tools/src/radgen/main.ts', 'tools/dist/radgen/main'],
  ['tools/src/document/main.ts', 'tools/dist/document/main'],
];

/** Never bundled: native code, and what a CLI tool must not reach anyway (a require of one stays a require). */
const EXTERNAL = ['better-sqlite3', 'knex', 'mysql', 'mysql2', 'winston', 'winston-transport'];

function sourceOf(pkg, sub) {
  const src = join(packages, pkg, 'src');
  if (!sub) return join(src, 'index.ts');
  return existsSync(join(src, `${sub}.ts`)) ? join(src, `${sub}.ts`) : join(src, sub, 'index.ts');
}

// Our packages' modules are declared free of side effects on import, so an unused export (and whatever only it
// imports) is left out; a module whose top level does something needed is reached through what it exports anyway.
const workspace = {
  name: 'utm5-workspace',
  setup(build) {
    build.onResolve({ filter: /^@utm5\// }, (a) => {
      const [, pkg, sub] = /^@utm5\/([^/]+)(?:\/(.+))?$/.exec(a.path);
      return { path: sourceOf(pkg, sub), sideEffects: false };
    });
    build.onResolve({ filter: /^\.\.?\// }, async (a) => {
      if (a.pluginData === 'inner') return undefined;
      const r = await build.resolve(a.path, { resolveDir: a.resolveDir, kind: a.kind, pluginData: 'inner' });
      return r.path.startsWith(packages) ? { ...r, sideEffects: false } : r;
    });
  },
};

// commander loads node:child_process for subcommands, which no tool has: loaded on first use instead of at start.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (a) =>
      /[\\/]commander[\\/]/.test(a.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, k) => require('node:child_process')[k] });",
      loader: 'js',
    }));
  },
};

async function bundleOne([src, entry]) {
  const out = join(packages, `${entry}.bundle.js`);
  const r = await esbuild.build({
    entryPoints: [join(packages, src)],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    keepNames: true,
    external: EXTERNAL,
    plugins: [workspace, lazyChildProcess],
    metafile: true,
    logLevel: 'warning',
  });
  const pkgs = new Set();
  for (const input of Object.keys(r.metafile.inputs)) {
    const m = /^packages\/([^/]+)\/src\//.exec(relative(root, join(root, input)));
    if (m) pkgs.add(m[1]);
  }
  const tsbuildinfo = [...pkgs].sort().map((p) => relative(dirname(out), join(packages, p, 'dist', '.tsbuildinfo')));
  writeFileSync(`${join(packages, entry)}.bundle.json`, `${JSON.stringify({ tsbuildinfo })}\n`);
  return out;
}

Promise.all(TOOLS.map(bundleOne)).catch((err) => {
  console.error(`bundle: ${err.message}`);
  process.exit(1);
});
