#!/usr/bin/env node
'use strict';
// NetFlow ingest on loopback: the highest rate (records/s) each collector takes with zero loss, for NetFlow v5 and
// v9, ours (utm5_core + utm5_traffic_collector, counting records classified and aggregated) and nfcapd from
// Debian's nfdump (counting records stored), side by side in the same run, as ../shared/BENCH.md asks.
//
// A generator in a child process (bench/lib/netflow-sender.js, our encoder, 30 records a packet, the v9 template
// every 20 packets, paced by the clock) sends each step: `step-secs` worth of records at the rate (bounded), then
// the bench waits for the socket queue to drain and counts what the collector kept. Loss = sent - counted (kernel
// drops on the socket are shown beside it). A step with loss is tried once more; the rate passes if the retry is
// clean and sent about as fast as the lossy try. The rate starts at 50k records/s and grows 1.5x until a step
// loses records (or the generator cannot go faster, or --max-rate), then bisects between the last clean and the
// first lossy rate. The figure is the send rate of the fastest clean step; beside it, the fastest clean step whose
// socket queue stayed under 10% of its capacity (kept up without leaning on the buffer).
// Both collectors get the same UDP receive buffer (default 64 MiB); net.core.rmem_max is raised for the run and put
// back at the end (also on error and Ctrl-C). The last line is ratio=R: ours / nfcapd, the worse of the v5 and v9
// ratios (the geometric mean is printed beside it). The whole run takes 5-8 minutes (--quick: 1-2).
//
//   node bench/netflow-ingest.js [--quick] [--max-rate N] [--bufsize BYTES] [--step-secs S] [--versions 5,9]
//   npm run bench:netflow
// Needs root for sysctl and for installing nfdump when nfcapd is missing.
const { execFileSync, fork } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { cpus, totalmem } = require('node:os');
const { join } = require('node:path');
const { cliOptions, killAllSync, freeUdpPort, udpPortState, waitUdpDrained, sleep, aptEnsure } = require('./lib/procs');
const { startNfcapd, nfcapdVersion } = require('./lib/nfcapd-collector');
const { startOurs } = require('./lib/ours-collector');

// ---- options
const { opt, flag } = cliOptions();
const quick = flag('--quick');
const sizeArg = (s) => {
  const m = String(s).match(/^(\d+)([KMG]?)$/i);
  if (!m) throw new Error(`bad size ${s}`);
  return Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase()];
};
const BUFSIZE = sizeArg(opt('--bufsize', '64M'));
const MAX_RATE = Number(opt('--max-rate', quick ? 5_000_000 : 20_000_000));
const STEP_SECS = Number(opt('--step-secs', quick ? 1 : 3));
const VERSIONS = opt('--versions', '5,9').split(',').map(Number);
const START_RATE = quick ? 100_000 : 50_000;
const GROW = quick ? 2 : 1.5;
const BISECT_STEPS = quick ? 2 : 4;
const MIN_RECORDS = 30_000;
const MAX_RECORDS = 12_000_000; // a step's records whatever the rate (about 4 s at 3M records/s)
const BUDGET_MS = (quick ? 150 : 570) * 1000; // the whole run; a search out of its share stops bisecting
const GEN_SHORT = 0.93;
const QUEUE_CALM = 0.1; // a clean step whose queue peaked under this share of its capacity kept up without the buffer // a step whose achieved rate falls below this share of the rate asked is generator-limited
const T_START = Date.now();

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mib = (b) => `${(b / 1024 ** 2).toFixed(b % 1024 ** 2 ? 1 : 0)} MiB`;

// ---- system settings and cleanup
let rmemOld;
const RMEM = '/proc/sys/net/core/rmem_max';
function raiseRmem() {
  rmemOld = Number(readFileSync(RMEM, 'utf8').trim());
  if (rmemOld >= BUFSIZE) return `net.core.rmem_max is ${rmemOld} already`;
  try {
    execFileSync('sysctl', ['-q', '-w', `net.core.rmem_max=${BUFSIZE}`], { stdio: 'ignore' });
  } catch {
    try {
      require('node:fs').writeFileSync(RMEM, String(BUFSIZE));
    } catch (e) {
      const was = rmemOld;
      rmemOld = undefined;
      return `could not raise net.core.rmem_max (${e.message}): socket buffers are capped at ${mib(was)} (x2 by the kernel)`;
    }
  }
  return `net.core.rmem_max ${rmemOld} -> ${BUFSIZE} for the run`;
}
function restoreRmem() {
  if (rmemOld === undefined) return;
  const v = rmemOld;
  rmemOld = undefined;
  try {
    execFileSync('sysctl', ['-q', '-w', `net.core.rmem_max=${v}`], { stdio: 'ignore' });
  } catch {
    try {
      require('node:fs').writeFileSync(RMEM, String(v));
    } catch {
      /* reported below */
    }
  }
  if (Number(readFileSync(RMEM, 'utf8').trim()) !== v)
    console.error(`warning: could not restore net.core.rmem_max to ${v}`);
}

const collectors = [];
let sender;
let cleaning;
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    for (const c of collectors) {
      try {
        await c.stop();
      } catch (e) {
        console.error(`stopping ${c.name}: ${e.message}`);
      }
    }
    if (sender && sender.exitCode === null && sender.signalCode === null) {
      const gone = new Promise((r) => sender.once('exit', r));
      try {
        process.kill(sender.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      await Promise.race([gone, sleep(3000)]);
    }
    killAllSync();
    restoreRmem();
  })();
  return cleaning;
}
process.on('exit', () => {
  killAllSync();
  if (sender?.pid)
    try {
      process.kill(sender.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  restoreRmem();
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping what the bench started`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---- nfcapd
function ensureNfcapd() {
  return aptEnsure('nfdump', nfcapdVersion, 'nfcapd');
}

// ---- the generator
function startSender() {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'lib', 'netflow-sender.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the generator exited (${code}) before it was ready`)));
    child.once('message', (m) =>
      m && m.type === 'ready' ? resolve(child) : reject(new Error('unexpected message from the generator')),
    );
  });
}
function send(version, port, rate, records) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`the generator exited (${code})`));
    sender.once('exit', onExit);
    sender.once('message', (m) => {
      sender.off('exit', onExit);
      resolve(m);
    });
    sender.send({ type: 'run', version, host: '127.0.0.1', port, rate, records });
  });
}

// ---- one step and the search
async function step(c, version, rate) {
  const records = Math.min(MAX_RECORDS, Math.max(MIN_RECORDS, Math.ceil((rate * STEP_SECS) / 30) * 30));
  const before = c.last;
  const drops0 = udpPortState(c.port).drops;
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, udpPortState(c.port).rxQueue);
  }, 100);
  let r;
  try {
    r = await send(version, c.port, rate, records);
  } finally {
    clearInterval(poll);
  }
  const drainMs = await waitUdpDrained(c.port, { quietMs: 300, timeoutMs: 60_000 });
  const drops = udpPortState(c.port).drops - drops0;
  c.last = await c.count();
  const counted = c.last - before;
  const lost = r.sentRecords - counted;
  const genLimited = r.achievedRate < rate * GEN_SHORT;
  return {
    rate,
    sent: r.sentRecords,
    achieved: r.achievedRate,
    counted,
    lost,
    drops,
    peak,
    drainMs,
    genLimited,
    sendErrors: r.errors,
    lastError: r.lastError,
  };
}

function line(c, version, s, note = '') {
  const loss =
    s.lost === 0
      ? 'clean'
      : s.lost > 0
        ? `LOST ${fmt(s.lost)} (${((100 * s.lost) / s.sent).toFixed(2)}%)`
        : `EXTRA ${fmt(-s.lost)}`;
  console.log(
    `  ${c.name.padEnd(6)} v${version} ${fmt(s.rate).padStart(10)} asked ${fmt(s.achieved).padStart(10)} sent/s ` +
      `${fmt(s.sent).padStart(11)} sent ${fmt(s.counted).padStart(11)} counted  ${loss.padEnd(22)}` +
      ` kernel drops ${fmt(s.drops)} pkts, peak queue ${mib(s.peak)}${s.drainMs < 0 ? ', queue never drained' : ''}` +
      `${s.genLimited ? ', generator-limited' : ''}${s.sendErrors ? `, ${s.sendErrors} send errors (${s.lastError})` : ''}${note}`,
  );
}

async function tryRate(c, version, rate) {
  let s = await step(c, version, rate);
  line(c, version, s);
  if (s.lost !== 0) {
    const again = await step(c, version, rate);
    // A clean retry that sent clearly slower than the lossy try did not test the same load: it does not count.
    const slower = again.lost === 0 && again.achieved < s.achieved * 0.97;
    line(c, version, again, slower ? ' (retry, sent slower: not counted)' : ' (retry)');
    if (again.lost === 0 && !slower) s = again;
  }
  return s;
}

async function search(c, version, budgetMs) {
  const t0 = Date.now();
  let good; // the last clean step (bisection bounds are in rates asked)
  let best; // the clean step that sent fastest
  let bad; // the lowest lossy rate asked
  let calm; // the clean step that sent fastest while the socket queue stayed under QUEUE_CALM of its capacity
  let why = 'loss';
  let rate = START_RATE;
  const clean = (s) => {
    good = s;
    if (!best || s.achieved > best.achieved) best = s;
    if (s.peak < QUEUE_CALM * 2 * BUFSIZE && (!calm || s.achieved > calm.achieved)) calm = s;
  };
  c.last = await c.count();
  for (;;) {
    if (cleaning) throw new Error('interrupted');
    const s = await tryRate(c, version, rate);
    if (s.lost === 0) {
      clean(s);
      if (s.genLimited) {
        why = 'generator';
        break;
      }
      if (rate >= MAX_RATE) {
        why = 'max-rate';
        break;
      }
      rate = Math.min(MAX_RATE, rate * GROW);
    } else {
      bad = rate;
      if (good) break;
      if (rate < 5000) break;
      rate /= 2;
      bad = undefined;
    }
    if (Date.now() - t0 > budgetMs) {
      why = 'time';
      break;
    }
  }
  if (good && bad) {
    for (let i = 0; i < BISECT_STEPS && bad / good.rate > 1.05 && Date.now() - t0 < budgetMs; i++) {
      const mid = Math.sqrt(good.rate * bad);
      const s = await tryRate(c, version, mid);
      if (s.lost === 0) clean(s);
      else bad = mid;
    }
  }
  return {
    best: best ? best.achieved : 0,
    calm: calm ? calm.achieved : 0,
    asked: best?.rate,
    bad,
    why,
    secs: (Date.now() - t0) / 1000,
  };
}

// ---- main
(async () => {
  const cpu = cpus();
  console.log(
    `NetFlow ingest, zero-loss rate on loopback: ${cpu.length} cores (${cpu[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  console.log(
    `socket buffer ${mib(BUFSIZE)} for both collectors (${raiseRmem()}); steps of ${STEP_SECS} s of records ` +
      `(${fmt(MIN_RECORDS)}..${fmt(MAX_RECORDS)}), 30 records/packet, v9 template every 20 packets; rates from ${fmt(START_RATE)} x${GROW}, ` +
      `up to ${fmt(MAX_RATE)}, then ${BISECT_STEPS} bisections${quick ? ' (--quick)' : ''}`,
  );
  console.log(
    `note: the kernel doubles SO_RCVBUF; ~${fmt(((2 * BUFSIZE) / 2304) * 30)} records fit in the queue, so a step of ${STEP_SECS} s ` +
      `can hide a shortfall of up to ~${fmt((((2 * BUFSIZE) / 2304) * 30) / STEP_SECS)} records/s (the same for both; see "peak queue")`,
  );

  const nf = ensureNfcapd();
  if (!nf.ok) console.log(`nfcapd: not available (${nf.why}); measuring ours only, ratio=n/a`);
  sender = await startSender();
  console.log(`generator: pid ${sender.pid}`);

  const ours = await (async () => {
    const port = await freeUdpPort();
    try {
      const c = await startOurs(port, BUFSIZE);
      c.port = port;
      collectors.push(c);
      console.log(
        `ours: utm5_core pid ${c.info.pids.core}, utm5_traffic_collector pid ${c.info.pids.collector}, udp 127.0.0.1:${port}` +
          `${c.info.notes.length ? ` (${c.info.notes.join('; ')})` : ''}`,
      );
      return c;
    } catch (e) {
      console.log(`ours: collector not available (${String(e.message).split('\n')[0]})`);
      return undefined;
    }
  })();
  const theirs = nf.ok
    ? await (async () => {
        const port = await freeUdpPort();
        const c = await startNfcapd(port, BUFSIZE);
        c.port = port;
        collectors.push(c);
        console.log(
          `nfcapd ${c.info.version}: pid ${c.pid}, udp 127.0.0.1:${port}, SO_RCVBUF ${c.info.rcvbuf ? mib(c.info.rcvbuf) : '?'}`,
        );
        return c;
      })()
    : undefined;

  const order = [theirs, ours].filter(Boolean);
  if (order.length === 0) {
    console.log('nothing to measure');
    console.log('ratio=n/a (neither collector available)');
    await cleanup();
    process.exit(1);
  }
  const results = {};
  let searchesLeft = order.length * VERSIONS.length;
  for (const version of VERSIONS) {
    for (const c of order) {
      if (cleaning) break; // interrupted: cleanup() is under way and ends the process
      const budget = Math.max(20_000, (BUDGET_MS - (Date.now() - T_START)) / searchesLeft--);
      console.log(`${c.name} v${version}:`);
      try {
        results[`${c.name}${version}`] = await search(c, version, budget);
      } catch (e) {
        console.log(`  ${c.name} v${version} failed: ${e.message}`);
        results[`${c.name}${version}`] = { best: 0, why: 'error', error: e.message };
      }
    }
  }
  if (ours?.info.last) console.log(`ours: last stats ${JSON.stringify(ours.info.last)}`);
  if (theirs?.info.mismatches)
    console.log(`nfcapd: ${theirs.info.mismatches} times its own exit line disagreed with nfdump -I`);
  await cleanup();

  console.log(
    `zero-loss rate, records/s (socket buffer ${mib(BUFSIZE)}, ${STEP_SECS} s steps, ${((Date.now() - T_START) / 1000).toFixed(0)} s in all):`,
  );
  const mark = (r) =>
    !r
      ? 'n/a'
      : r.why === 'error'
        ? 'error'
        : `${r.why === 'generator' || r.why === 'max-rate' ? '>=' : ''}${fmt(r.best)}`;
  for (const version of VERSIONS) {
    const o = results[`ours${version}`];
    const t = results[`nfcapd${version}`];
    const why = (r) =>
      r && r.why !== 'loss'
        ? ` (${r.why === 'generator' ? "the generator's limit" : r.why === 'max-rate' ? '--max-rate' : r.why})`
        : '';
    const calm = (r) => (r?.best ? ` [queue under ${QUEUE_CALM * 100}% up to ${fmt(r.calm)}]` : '');
    console.log(
      `  v${version}: ours ${mark(o)}${why(o)}${calm(o)}   nfcapd ${mark(t)}${why(t)}${calm(t)}` +
        `${o?.best && t?.best ? `   ratio ${(o.best / t.best).toFixed(2)}` : ''}`,
    );
  }
  const ratios = VERSIONS.map((v) => {
    const o = results[`ours${v}`];
    const t = results[`nfcapd${v}`];
    return o?.best && t?.best
      ? { v, r: o.best / t.best, bound: o.why === 'generator' || t.why === 'generator' }
      : undefined;
  });
  if (!ours || !theirs || ratios.some((x) => !x)) {
    console.log(
      `ratio=n/a (${!ours ? 'our collector not available' : !theirs ? 'nfcapd not available' : 'a search failed'})`,
    );
  } else {
    const worst = ratios.reduce((a, b) => (b.r < a.r ? b : a));
    const geo = Math.exp(ratios.reduce((s, x) => s + Math.log(x.r), 0) / ratios.length);
    const bound = ratios.some((x) => x.bound)
      ? "; a side at the generator's limit makes that ratio a bound, not a measure"
      : '';
    console.log(
      `ratio=${worst.r.toFixed(2)} (ours / nfcapd, the worse of ${ratios.map((x) => `v${x.v} ${x.r.toFixed(2)}`).join(', ')}; ` +
        `geometric mean ${geo.toFixed(2)}${bound})`,
    );
  }
  process.exit(0);
})().catch(async (e) => {
  console.error(`netflow-ingest: ${e.stack || e.message}`);
  await cleanup();
  process.exit(1);
});
