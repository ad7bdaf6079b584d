#!/usr/bin/env node
'use strict';
const { writeFileSync, mkdirSync, readFileSync, existsSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { generatedFiles } = require('./generated-files');

const root = join(__dirname, '..');
for (const f of generatedFiles()) {
  const p = join(root, f.path);
  const old = existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  if (old === f.content) continue;
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, f.content);
  console.log(`wrote ${f.path}`);
}
