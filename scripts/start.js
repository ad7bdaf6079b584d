#!/usr/bin/env node
'use strict';
// `npm start`: the main job on this machine. Runs utm5_core (and, as they exist, its daemons) on loopback with the
// sample configs from config/ and the embedded SQLite database under ./var. Ctrl-C (SIGINT) or SIGTERM stops every
// process it started, daemons first, the core last, and exits 0 when all stopped cleanly.
const { spawn } = require('node:child_process');
const { mkdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
// Relative paths in the sample configs (var/...) resolve against this directory.
const cwd = process.env.UTM5_START_CWD || root;
mkdirSync(join(cwd, 'var', 'log'), { recursive: true });

if (!existsSync(join(root, 'packages', 'core', 'dist', 'main.js'))) {
  console.error('npm start: the build is missing; run `npm install` first');
  process.exit(1);
}

// Started in order; each daemon waits for the one before to be up. Stopped in reverse.
const programs = [
  { name: 'utm5_core', args: ['-c', join(root, 'config', 'utm5.cfg')] },
  { name: 'utm5_traffic_collector', args: ['-c', join(root, 'config', 'utm5_traffic_collector.cfg')] },
  { name: 'utm5_radius', args: ['-c', join(root, 'config', 'radius5.cfg')] },
];

const children = [];
let stopping = false;
let failed = false;

function startProgram(p) {
  // Own process group: a terminal's Ctrl-C reaches only this script, which then stops the programs in order.
  const child = spawn(process.execPath, [join(root, 'bin', p.name), ...p.args], {
    cwd,
    stdio: 'inherit',
    detached: true,
  });
  children.push({ name: p.name, child });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`npm start: ${p.name} exited (${signal ?? `code ${code}`}); stopping the rest`);
      failed = true;
      stopAll();
    } else if (code !== 0) {
      failed = true;
    }
    if (children.every((c) => c.child.exitCode !== null || c.child.signalCode !== null)) process.exit(failed ? 1 : 0);
  });
}

function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const c of [...children].reverse()) if (c.child.exitCode === null) c.child.kill('SIGTERM');
}

process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
process.on('SIGHUP', () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGHUP');
});
process.on('exit', () => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
});
for (const p of programs) startProgram(p);
