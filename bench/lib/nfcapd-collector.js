'use strict';
// The peer for bench/netflow-ingest.js: nfcapd from Debian's nfdump package, as ../../shared/BENCH.md sets it up
// (`nfcapd -b 127.0.0.1 -p PORT -w DIR -t 3600 -B <bufsize>`).
// Same shape as ours-collector.js: startNfcapd(port, bufsize) -> { name, count(), stop(), info }.
// count() is the number of records nfcapd stored since it was started: it stops the running nfcapd by its pid
// (SIGTERM makes it flush and close its file), reads the file's statistics with `nfdump -R DIR -I` ("Flows: N"),
// checks them against the "Flows: N" nfcapd prints when it ends, then starts a new nfcapd on the same port in a
// fresh directory and returns the running total. The caller waits for the socket's queue to drain first.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, mkdirSync, rmSync, readdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { startProc, waitUdpBound } = require('./procs');

function nfcapdVersion() {
  try {
    const out = execFileSync('nfcapd', ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return (out.match(/Version:\s*(\S+)/) || [])[1] ?? out.trim();
  } catch {
    return undefined;
  }
}

/** Flows in every nfdump file of a directory, from the files' own statistics records. */
function storedFlows(dir) {
  const files = readdirSync(dir).filter((f) => f.startsWith('nfcapd.'));
  if (files.length === 0) return { flows: 0, files };
  const out = execFileSync('nfdump', ['-R', dir, '-I'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 20,
  });
  const m = out.match(/^Flows:\s*(\d+)/m);
  if (!m) throw new Error(`nfdump -R ${dir} -I printed no "Flows:" line: ${out.trim().slice(0, 300)}`);
  return { flows: Number(m[1]), files };
}

async function startNfcapd(port, bufsize) {
  const root = mkdtempSync(join(tmpdir(), 'utm5-bench-nfcapd-'));
  let segment = 0;
  let total = 0;
  let proc;
  let dir;
  const info = { version: nfcapdVersion(), rcvbuf: undefined, mismatches: 0 };

  async function launch() {
    dir = join(root, `run${++segment}`);
    mkdirSync(dir);
    proc = startProc('nfcapd', 'nfcapd', [
      '-b',
      '127.0.0.1',
      '-p',
      String(port),
      '-w',
      dir,
      '-t',
      '3600',
      '-B',
      String(bufsize),
    ]);
    await waitUdpBound(port, proc);
    await proc.waitForOutput(/Startup nfcapd/, 10_000);
    // "Standard setsockopt, SO_RCVBUF is N ..." or, when capped, "System set setsockopt, SO_RCVBUF to N bytes"
    const m = proc.output().match(/SO_RCVBUF to (\d+)/) || proc.output().match(/SO_RCVBUF is (\d+)/);
    if (m) info.rcvbuf = Number(m[1]);
  }

  async function halt() {
    if (!proc) return 0;
    const code = await proc.stop(30_000);
    const said = proc.output().match(/Flows:\s*(\d+)/);
    const { flows } = storedFlows(dir);
    if (said && Number(said[1]) !== flows) info.mismatches++;
    if (code !== 0) throw new Error(`nfcapd (pid ${proc.pid}) ended with ${code}: ${proc.output().trim().slice(-300)}`);
    rmSync(dir, { recursive: true, force: true });
    proc = undefined;
    return flows;
  }

  await launch();
  return {
    name: 'nfcapd',
    info,
    get pid() {
      return proc?.pid;
    },
    async count() {
      total += await halt();
      await launch();
      return total;
    },
    async stop() {
      try {
        if (proc) await proc.stop(10_000);
      } finally {
        proc = undefined;
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

module.exports = { startNfcapd, nfcapdVersion };
