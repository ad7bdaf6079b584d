#!/usr/bin/env node
'use strict';
// Runs every compiled test with node's built-in runner: unit tests beside the code (packages/*/dist/**/*.test.js)
// and end-to-end tests (tests/dist/**/*.test.js). Extra arguments are passed to `node --test`
// (e.g. --test-name-pattern). UTM5_TEST_FILTER=substring limits the files.
const { readdirSync, statSync, existsSync } = require('node:fs');
const { join, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(relative(root, p));
  }
  return out;
}
const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) walk(join(root, 'packages', pkg, 'dist'), files);
walk(join(root, 'tests', 'dist'), files);
const filter = process.env.UTM5_TEST_FILTER;
const chosen = filter ? files.filter((f) => f.includes(filter)) : files;
if (chosen.length === 0) {
  console.error('no test files found: run `npm install` (or `npx tsc -b`) first');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...process.argv.slice(2), ...chosen], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
