#!/usr/bin/env node
'use strict';
// CLI start time and batch payments against a real bin/utm5_core on SQLite (TLS, as the tools connect by default).
// Timed as wall clock from spawn to exit, interleaved round by round so that the machine's drift hits every
// command alike: `node -e 0`, one `utm5_urfaclient -a core_version`, one `utm5_payment_tool -a ACC -b 1` (median of
// RUNS each); then PAYMENTS lines through `utm5_payment_tool --batch` over one session.
// ratio = one urfaclient call / `node -e 0` (goal <= 1.5); batch_per_s = batch lines / the batch's wall seconds.
//   node bench/cli.js [runs=15] [payments=10000]
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startProc, writeCoreConfig, killAllSync } = require('./lib/procs');

const ROOT = join(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 15);
const PAYMENTS = Number(process.argv[3] ?? 10_000);

function timed(args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function bundleState() {
  const { freshBundle } = require('../packages/common/dist/cli/launch.js');
  const entries = ['urfaclient/dist/main', 'tools/dist/payment-tool/main'];
  return entries.every((e) => freshBundle(join(ROOT, 'packages', e)))
    ? 'fresh'
    : 'stale or missing (run `npm run build`): measuring the compiled modules';
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
  const { coreCfg, urfaPort } = await writeCoreConfig(dir);
  const core = startProc('utm5_core', process.execPath, [join(ROOT, 'bin', 'utm5_core'), '-c', coreCfg]);
  try {
    await core.waitForOutput(/\bstarted, pid \d+/, 60_000);
    const conn = ['-h', '127.0.0.1', '-p', String(urfaPort), '-l', 'init', '-P', 'init'];
    const add = timed(['bin/utm5_urfaclient', ...conn, '-a', 'add_user_new', '-login', 'bench', '-password', 'b']);
    const acc = /name="basic_account" value="(\d+)"/.exec(add.stdout)?.[1];
    if (add.code !== 0 || !acc) throw new Error(`add_user_new failed: ${add.stderr}`);
    const commands = {
      node_e0: ['-e', '0'],
      urfaclient: ['bin/utm5_urfaclient', ...conn, '-a', 'core_version'],
      payment_tool: ['bin/utm5_payment_tool', '-h', '127.0.0.1', '-P', String(urfaPort), '-a', acc, '-b', '1'],
    };
    const ms = { node_e0: [], urfaclient: [], payment_tool: [] };
    for (let i = 0; i < RUNS + 2; i++) {
      for (const [name, args] of Object.entries(commands)) {
        const r = timed(args);
        if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.stderr}`);
        if (i >= 2) ms[name].push(r.ms); // two warm-up rounds: the page cache, the core's first logins
      }
    }
    const med = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)]));
    console.log(`bundles: ${bundleState()}`);
    console.log(`runs=${RUNS} (median wall ms, interleaved)`);
    for (const [k, v] of Object.entries(med)) console.log(`${k}_ms=${v.toFixed(1)}`);

    let csv = 'account,amount,external_number,comment\n';
    for (let i = 1; i <= PAYMENTS; i++) csv += `${acc},1.25,BENCH-${i},bench line ${i}\n`;
    const file = join(dir, 'batch.csv');
    writeFileSync(file, csv);
    const b = timed(['bin/utm5_payment_tool', '-h', '127.0.0.1', '-P', String(urfaPort), '--batch', file]);
    const credited = (b.stdout.match(/\tcredited\t/g) ?? []).length;
    if (b.code !== 0 || credited !== PAYMENTS)
      throw new Error(`batch: exit ${b.code}, ${credited} of ${PAYMENTS} credited: ${b.stderr.slice(-500)}`);
    console.log(`batch_lines=${PAYMENTS} batch_s=${(b.ms / 1000).toFixed(2)}`);
    console.log(`ratio=${(med.urfaclient / med.node_e0).toFixed(2)}`);
    console.log(`payment_ratio=${(med.payment_tool / med.node_e0).toFixed(2)}`);
    console.log(`batch_per_s=${Math.round(PAYMENTS / (b.ms / 1000))}`);
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:cli: ${err.message}`);
  killAllSync();
  process.exit(1);
});
