#!/usr/bin/env node
'use strict';
// `npm start`: the main job on this machine. Runs utm5_core (and, as they exist, its daemons) on loopback with the
// sample configs from config/ and the embedded SQLite database under ./var. Ctrl-C (SIGINT) or SIGTERM stops every
// process it started, daemons first, the core last, and exits 0 when all stopped cleanly.
const { spawn } = require('node:child_process');
const { mkdirSync, existsSync, symlinkSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
// Relative paths in the sample configs (var/...) resolve against this directory.
const cwd = process.env.UTM5_START_CWD || root;
mkdirSync(join(cwd, 'var', 'log'), { recursive: true });
// rfw5.cfg's firewall_path (config/rfw/log-command.js) is relative too: elsewhere than the repository it is a link.
if (!existsSync(join(cwd, 'config', 'rfw', 'log-command.js'))) {
  mkdirSync(join(cwd, 'config', 'rfw'), { recursive: true });
  symlinkSync(join(root, 'config', 'rfw', 'log-command.js'), join(cwd, 'config', 'rfw', 'log-command.js'));
}

if (!existsSync(join(root, 'packages', 'core', 'dist', 'main.js'))) {
  console.error('npm start: the build is missing; run `npm install` first');
  process.exit(1);
}

// Started in order; each daemon waits for the one before to be up. Stopped in reverse.
const programs = [
  { name: 'utm5_core', args: ['-c', join(root, 'config', 'utm5.cfg')] },
  { name: 'utm5_traffic_collector', args: ['-c', join(root, 'config', 'utm5_traffic_collector.cfg')] },
  { name: 'utm5_radius', args: ['-c', join(root, 'config', 'radius5.cfg')] },
  // The sample's firewall_path only appends each command to var/log/rfw-commands.log; sync_flags-free, so it runs
  // what the core queues for the firewall 'rfw-sample' (registered below).
  { name: 'utm5_rfw', args: ['-c', join(root, 'config', 'rfw5.cfg')] },
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

/**
 * The core sends firewall commands only to a registered firewall: register the sample's rfw_name once, through the
 * core's URFA as a sysadmin would (utm5_urfaclient -a put_router), retrying while the core is still starting.
 */
const RFW_NAME = 'rfw-sample';
function urfa(args) {
  return new Promise((resolve) => {
    const c = spawn(
      process.execPath,
      [join(root, 'bin', 'utm5_urfaclient'), '-c', join(root, 'config', 'utm5_urfaclient.cfg'), ...args],
      // From the repository: utm5_urfaclient.cfg names the action scripts' directory relative to it.
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('exit', (code) => resolve({ code, out }));
    c.on('error', (err) => resolve({ code: -1, out: err.message }));
  });
}
async function registerSampleFirewall() {
  for (let i = 0; i < 60 && !stopping; i++) {
    const list = await urfa(['-a', 'get_routers_list']);
    if (list.code === 0) {
      if (list.out.includes(RFW_NAME)) return;
      const put = await urfa([
        '-a',
        'put_router',
        '-router_id',
        '0',
        '-router_type',
        '0',
        '-router_ip',
        RFW_NAME,
        '-login',
        '',
        '-password',
        '',
        '-router_comments',
        'npm start sample: commands go to var/log/rfw-commands.log',
        '-router_bin_ip',
        '0.0.0.0',
      ]);
      if (put.code === 0) console.error(`npm start: firewall '${RFW_NAME}' registered in the core (put_router)`);
      else console.error(`npm start: cannot register the firewall '${RFW_NAME}': ${put.out.trim()}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
void registerSampleFirewall();
