#!/usr/bin/env node
'use strict';
// `npm run lint`: ESLint and `prettier --check` over the repository, side by side (each is single-threaded, and on
// a 2-core machine the pair takes half as long), both with their caches in node_modules/.cache so that a second
// run reads only the files that changed. Each tool's output is printed whole once it ends; the exit code is
// non-zero when either found a problem.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bin = (pkg, file) => join(root, 'node_modules', pkg, 'bin', file);
const tools = [
  ['eslint', [bin('eslint', 'eslint.js'), '--cache', '--cache-location', 'node_modules/.cache/eslint/', '.']],
  ['prettier', [bin('prettier', 'prettier.cjs'), '--check', '--cache', '.']],
];

function run([name, args]) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    child.on('error', (err) => resolve({ name, code: 1, text: `${err.message}\n` }));
    child.on('close', (code) => resolve({ name, code: code ?? 1, text: Buffer.concat(out).toString() }));
  });
}

Promise.all(tools.map(run)).then((results) => {
  for (const r of results) {
    process.stdout.write(`> ${r.name}: ${r.code === 0 ? 'ok' : 'problems found'}\n${r.text}`);
  }
  process.exit(results.every((r) => r.code === 0) ? 0 : 1);
});
