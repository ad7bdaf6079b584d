#!/usr/bin/env node
'use strict';
// RADIUS on loopback: the highest rate of PAP Access-Requests each server answers with no timeouts, ours
// (bin/utm5_radius linked to bin/utm5_core) and FreeRADIUS from Debian (`files` + `pap`, thread pool 2/2, auth log
// off), side by side in the same run, as ../shared/BENCH.md asks; then ours again with priced dial-up accounts;
// then Accounting Start/Stop for ours with the sessions committed by the core (and, for reference, FreeRADIUS
// writing a `detail` file).
//
// Users: 1,000 (--users) logins benchNNNN with a password each, on both servers: ours as dial-up links of
// `unlimited` accounts (Session-Timeout is the fixed 86400, as FreeRADIUS's users file replies; see
// bench/lib/radius-ours.js), FreeRADIUS with Cleartext-Password in its `files` module (bench/lib/radius-freeradius.js);
// the same client 127.0.0.1 with the same secret. Ours also holds 1,000 paidNNNN logins on ordinary accounts, whose
// Access-Accept computes the session time the balance pays for (--no-priced skips that search).
// A generator in a child process (bench/lib/radius-loadgen.js) sends each step: `step-secs` worth of requests at the
// rate (at least 2,000 or 3 s worth), paced by the clock, on one socket with at most 128 in flight, every request
// unique, each reply's authenticator checked. A step passes when nothing timed out (1 s), every reply verified and
// was an Access-Accept (Accounting-Response), and the generator kept the pace (sent at >= 95% of the rate asked: a
// server that cannot keep up fills the window and the pace falls behind). Accounting steps of ours also need the
// core to have committed every event (stats `eventsAcked` caught up, `unacknowledged` 0) at >= 90% of the pace (the
// stats file is rewritten every 200 ms, which bounds the precision). A borderline failure is tried once more; a
// clean retry counts. Rates start at 5,000/s and grow x1.5 until a step fails (or --max-rate), then bisect (4 times,
// --quick 2) between the last pass and the first failure; when even the first step fails the rate drops to half, or
// at once to 90% of what was answered in time (not under 20/s). The figure is the achieved rate of the fastest
// passing step (for ours' accounting: its committed rate). The two servers' searches take turns step by step (the
// order alternating each round), so load from elsewhere on the machine weighs on both alike; each step still runs
// alone, the other server idle. Each step prints the CPU used meanwhile by the server,
// utm5_core, the generator, the machine and what else ran (`other`), from /proc.
// The run is capped at ~10 minutes (--quick: ~3); the time is shared among the searches.
//
//   node bench/radius.js [--quick] [--max-rate N] [--step-secs S] [--users N] [--no-priced] [--no-acct]
//   npm run bench:radius
// Needs root only to install freeradius when it is missing (apt-get); changes no system setting; stops what it
// starts by pid and removes its temp dirs (also on error and Ctrl-C).
// The last line is ratio=R: ours / FreeRADIUS for PAP Access-Requests (unlimited accounts).
const { fork } = require('node:child_process');
const { cpus, loadavg, totalmem } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { cliOptions, killAllSync, sleep, waitUdpDrained } = require('./lib/procs');
const { startOurs } = require('./lib/radius-ours');
const { startFreeradius, ensureFreeradius } = require('./lib/radius-freeradius');

// ---- options
const { opt, flag } = cliOptions();
const quick = flag('--quick');
const NO_ACCT = flag('--no-acct');
const NO_PRICED = flag('--no-priced');
const MAX_RATE = Number(opt('--max-rate', 1_000_000));
const STEP_SECS = Number(opt('--step-secs', quick ? 1.5 : 3));
const USERS = Number(opt('--users', 1000));
const WINDOW = 128;
const TIMEOUT_MS = 1000;
const START_RATE = 5000;
const GROW = 1.5;
const BISECT_STEPS = quick ? 2 : 4;
const MIN_REQUESTS = 2000; // a step's requests at least (or 3 s worth, when that is fewer)
const FLOOR_RATE = 20;
const MAX_REQUESTS = 600_000;
const KEEP_PACE = 0.95; // a step whose achieved rate falls below this share of the rate asked did not keep the pace
const COMMIT_PACE = 0.9; // ours' accounting: committed rate against the achieved rate
const BUDGET_MS = (quick ? 170 : 560) * 1000;
const T_START = Date.now();
const SECRET = `bench-${randomBytes(6).toString('hex')}`;

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (x) => `${Math.round(100 * x)}%`;

// ---- cleanup: every process by its pid, every temp dir
const servers = [];
let gen;
let cleaning;
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    for (const s of servers) {
      try {
        await s.stop();
      } catch (e) {
        console.error(`stopping ${s.name}: ${e.message}`);
      }
    }
    if (gen && gen.exitCode === null && gen.signalCode === null) {
      const gone = new Promise((r) => gen.once('exit', r));
      try {
        process.kill(gen.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      await Promise.race([gone, sleep(3000)]);
    }
    killAllSync();
  })();
  return cleaning;
}
process.on('exit', () => {
  killAllSync();
  if (gen?.pid)
    try {
      process.kill(gen.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping what the bench started`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---- the generator
function startGenerator() {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'lib', 'radius-loadgen.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the generator exited (${code}) before it was ready`)));
    child.once('message', (m) =>
      m && m.type === 'ready' ? resolve(child) : reject(new Error('unexpected message from the generator')),
    );
  });
}
function generate(req) {
  return new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`the generator exited (${code})`));
    gen.once('exit', onExit);
    gen.once('message', (m) => {
      gen.off('exit', onExit);
      resolve(m);
    });
    gen.send({ type: 'run', host: '127.0.0.1', window: WINDOW, timeoutMs: TIMEOUT_MS, secret: SECRET, ...req });
  });
}

const makeUsers = (prefix, priced) =>
  Array.from({ length: USERS }, (_, i) => ({
    login: `${prefix}${String(i + 1).padStart(4, '0')}`,
    password: `pw${randomBytes(6).toString('base64url')}${i + 1}`,
    priced,
  }));
const users = makeUsers('bench', false); // both servers; ours: unlimited accounts (fixed Session-Timeout, as FreeRADIUS's reply)
const pricedUsers = NO_PRICED ? [] : makeUsers('paid', true); // ours only: session time computed from balance and prices

// ---- one step
async function step(srv, kind, rate, who) {
  const count = Math.min(
    MAX_REQUESTS,
    Math.max(Math.min(MIN_REQUESTS, Math.round(rate * 3)), Math.round(rate * STEP_SECS)),
  );
  const port = kind === 'acct' ? srv.acctPort : srv.authPort;
  // Whatever an earlier step left queued is handled first (the server's socket empty for 300 ms).
  await waitUdpDrained(port, { quietMs: 300, timeoutMs: 30_000 });
  const s0 = srv.stats ? await settledStats(srv) : undefined;
  const pids = { server: srv.pid ?? srv.pids?.radius, core: srv.pids?.core };
  const r = await generate({ kind, port, rate, count, pids, users: who });
  const s = { rate, kind, r, cpu: r.cpu, achieved: r.achievedRate, why: [] };
  if (r.timeouts) s.why.push(`${fmt(r.timeouts)} timeouts`);
  if (r.gaveUp) s.why.push(`gave up (${r.gaveUp})`);
  if (r.badTotal) s.why.push(`${fmt(r.badTotal)} bad replies (${r.firstBad})`);
  if (r.sendErrors) s.why.push(`${r.sendErrors} send errors (${r.lastError})`);
  if (r.achievedRate < rate * KEEP_PACE) {
    s.why.push(r.windowFull ? `fell behind the pace (window of ${WINDOW} full)` : 'fell behind the pace (generator)');
    s.genLimited = !r.windowFull;
  }
  if (srv.stats) {
    // Ours: the daemon's own counters, and for accounting the core's commits.
    if (kind === 'acct') {
      const want = (s0?.eventsSpooled ?? 0) + r.answered;
      const done = await srv.waitStats(
        (x) => x.eventsSpooled >= want && x.eventsAcked >= x.eventsSpooled && x.unacknowledged === 0,
        120_000,
      );
      if (!done) {
        s.why.push('the core did not commit the events within 120 s');
        s.committed = 0;
      } else {
        const events = done.stats.eventsAcked - (s0?.eventsAcked ?? 0);
        s.commitSecs = (done.stats.mtimeMs - r.t0Epoch) / 1000;
        s.committed = events / s.commitSecs;
        s.commitLagMs = done.stats.mtimeMs - r.tLastReplyEpoch;
        if (s.committed < r.achievedRate * COMMIT_PACE) s.why.push(`commits behind (${fmt(s.committed)}/s)`);
      }
      s.counted = done ? done.stats.acctRequests - (s0?.acctRequests ?? 0) : undefined;
    } else {
      const s1 = await settledStats(srv);
      s.counted = s1 ? s1.authRequests - (s0?.authRequests ?? 0) : undefined;
      s.accepts = s1 ? s1.accepts - (s0?.accepts ?? 0) : undefined;
    }
  }
  s.ok = s.why.length === 0;
  return s;
}

/** Ours' counters once a fresh rewrite of the stats file shows nothing moving (so a step's deltas are whole). */
async function settledStats(srv) {
  let prev = srv.stats();
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    await sleep(100);
    const cur = srv.stats();
    if (!cur || !prev || cur.mtimeMs === prev.mtimeMs) {
      prev = prev || cur;
      continue;
    }
    if (
      cur.authRequests === prev.authRequests &&
      cur.acctRequests === prev.acctRequests &&
      cur.eventsAcked === prev.eventsAcked
    )
      return cur;
    prev = cur;
  }
  return prev;
}

function line(srv, s, note = '') {
  const r = s.r;
  const counted =
    s.counted === undefined
      ? ''
      : ` (server counted ${fmt(s.counted)}${s.accepts !== undefined ? `, ${fmt(s.accepts)} accepts` : ''})`;
  const commit =
    s.committed !== undefined
      ? ` committed ${fmt(s.committed)}/s (${(s.commitLagMs / 1000).toFixed(1)} s after the last answer)`
      : '';
  console.log(
    `  ${srv.name.padEnd(10)} ${s.label.padEnd(11)} ${fmt(s.rate).padStart(8)} asked ${fmt(s.achieved).padStart(8)}/s sent ` +
      `${fmt(r.answered).padStart(9)}/${fmt(r.sent)} answered${r.late ? ` (${fmt(r.late)} late)` : ''}${counted}${commit}  ` +
      `lat p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)} max ${r.max.toFixed(0)} ms, in flight max ${r.maxInFlight}  ` +
      `cpu ${Object.entries(s.cpu)
        .map(([k, v]) => `${k} ${pct(v)}`)
        .join(' ')}  ` +
      `${s.ok ? 'PASS' : `FAIL: ${s.why.join('; ')}`}${note}`,
  );
}

/** The value a passing step counts for: its achieved rate, or for ours' accounting the lower committed rate. */
const value = (s) => (s.committed !== undefined ? Math.min(s.achieved, s.committed) : s.achieved);

/**
 * One server's search for its sustained rate, as a state machine so that the searches of both servers can take
 * turns step by step (whatever else loads the machine then weighs on both alike): `rate` is the next rate to try
 * (undefined when done), record(step) takes its outcome.
 */
class Search {
  constructor(srv, task) {
    Object.assign(this, {
      srv,
      task,
      rate: START_RATE,
      good: undefined,
      bad: undefined,
      best: undefined,
      why: 'fail',
      bisecting: 0,
      retrying: false,
      secs: 0,
    });
  }

  pass(s) {
    this.good = s.rate;
    if (!this.best || value(s) > value(this.best)) this.best = s;
  }

  record(s, overBudget) {
    this.secs += s.r.secs;
    // A borderline failure is tried once more (a clean retry counts); one well past capacity (under half the pace) is not.
    if (!s.ok && !s.genLimited && s.achieved >= s.rate * 0.5 && !this.retrying) {
      this.retrying = true;
      return;
    }
    this.retrying = false;
    if (!this.bisecting) {
      if (s.ok) {
        this.pass(s);
        if (this.rate >= MAX_RATE) return this.finish('max-rate');
        this.rate = Math.min(MAX_RATE, this.rate * GROW);
      } else {
        if (s.genLimited) this.why = 'generator';
        this.bad = this.rate;
        if (this.good === undefined) {
          if (this.rate <= FLOOR_RATE) return this.finish();
          // Nothing passed yet: down to half, or straight to a little under what the server answered in time.
          this.rate = Math.max(FLOOR_RATE, Math.min(this.rate / 2, 0.9 * (s.r.answered / s.r.secs)));
          this.bad = undefined;
        } else {
          this.bisecting = 1;
        }
      }
      if (overBudget && !this.bisecting) return this.finish('time');
    } else {
      if (s.ok) this.pass(s);
      else this.bad = this.rate;
      this.bisecting++;
    }
    if (this.bisecting) {
      if (this.bisecting > BISECT_STEPS || this.bad / this.good <= 1.05 || overBudget) return this.finish();
      this.rate = Math.sqrt(this.good * this.bad);
    }
    return undefined;
  }

  finish(why) {
    if (why) this.why = why;
    this.rate = undefined;
  }

  result() {
    return { best: this.best ? value(this.best) : 0, step: this.best, bad: this.bad, why: this.why, secs: this.secs };
  }
}

/** Runs the searches by turns, one step each (the order alternating every round), within the time budget. */
async function searchTogether(searches, budgetMs) {
  const t0 = Date.now();
  for (let round = 0; ; round++) {
    const active = searches.filter((x) => x.rate !== undefined);
    if (active.length === 0) break;
    if (round % 2) active.reverse();
    for (const x of active) {
      if (cleaning) throw new Error('interrupted');
      const s = await step(x.srv, x.task.kind, x.rate, x.task.users);
      s.label = x.task.label;
      line(x.srv, s, x.retrying ? ' (retry)' : '');
      x.record(s, Date.now() - t0 > budgetMs);
      if (!x.srv.alive()) {
        console.log(`  ${x.srv.name} is no longer running: ${x.srv.tail()}`);
        x.finish('error');
      }
    }
  }
}

// ---- main
(async () => {
  const cpu = cpus();
  const la = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  console.log(
    `RADIUS on loopback, sustained rate with no timeouts: ${cpu.length} cores (${cpu[0]?.model ?? '?'}), ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${la}`,
  );
  console.log(
    `${fmt(USERS)} users, PAP; generator: one socket, <= ${WINDOW} in flight, unique requests, replies verified, timeout ${TIMEOUT_MS} ms; ` +
      `steps of ${STEP_SECS} s (${fmt(MIN_REQUESTS)}..${fmt(MAX_REQUESTS)} requests), rates from ${fmt(START_RATE)}/s x${GROW} up to ${fmt(MAX_RATE)}, ` +
      `then ${BISECT_STEPS} bisections${quick ? ' (--quick)' : ''}`,
  );
  console.log(
    'cpu columns: share of one core used during the step by the server (FreeRADIUS / utm5_radius), utm5_core, the generator, ' +
      'the whole machine, and what the machine spent outside those (other load)',
  );

  const fr = ensureFreeradius();
  if (!fr.ok) console.log(`FreeRADIUS: not available (${fr.why}); measuring ours only, ratio=n/a`);
  gen = await startGenerator();
  console.log(`generator: pid ${gen.pid}`);

  const theirs = fr.ok
    ? await (async () => {
        try {
          const s = await startFreeradius({ users, secret: SECRET });
          servers.push(s);
          console.log(
            `FreeRADIUS ${s.version}: pid ${s.pid}, auth udp 127.0.0.1:${s.authPort}, acct ${s.acctPort} (files + pap, thread pool 2/2, detail accounting)`,
          );
          return s;
        } catch (e) {
          console.log(`FreeRADIUS: did not start (${String(e.message).split('\n')[0]})`);
          return undefined;
        }
      })()
    : undefined;
  const ours = await (async () => {
    try {
      const s = await startOurs({
        users: [...users, ...pricedUsers],
        secret: SECRET,
        onProgress: (m) => console.log(`ours: ${m}`),
      });
      servers.push(s);
      console.log(
        `ours: utm5_core pid ${s.pids.core}, utm5_radius pid ${s.pids.radius}, auth udp 127.0.0.1:${s.authPort}, acct ${s.acctPort} ` +
          `(${fmt(users.length + pricedUsers.length)} logins loaded)`,
      );
      return s;
    } catch (e) {
      console.log(`ours: not available (${String(e.message).split('\n')[0]})`);
      return undefined;
    }
  })();
  if (!ours && !theirs) {
    console.log('ratio=n/a (neither server available)');
    await cleanup();
    process.exit(1);
  }

  // Groups of searches run by turns: [title, [[server, task]], share of the time budget]
  const auth = { key: 'auth', kind: 'auth', label: 'auth', users };
  const priced = { key: 'priced', kind: 'auth', label: 'auth priced', users: pricedUsers };
  const acct = { key: 'acct', kind: 'acct', label: 'acct', users };
  const groups = [
    [
      'PAP Access-Request, the two servers by turns',
      [
        [theirs, auth],
        [ours, auth],
      ],
      2,
    ],
    ...(NO_PRICED
      ? []
      : [
          [
            'PAP Access-Request, ours with priced dial-up accounts (session time from the balance)',
            [[ours, priced]],
            0.6,
          ],
        ]),
    ...(NO_ACCT
      ? []
      : [
          [
            'Accounting Start/Stop, by turns (ours: committed by the core; FreeRADIUS: a detail file)',
            [
              [ours, acct],
              [theirs, acct],
            ],
            2,
          ],
        ]),
  ]
    .map(([title, list, share]) => [title, list.filter(([srv]) => srv), share])
    .filter(([, list]) => list.length > 0);
  const results = {};
  let shares = groups.reduce((a, g) => a + g[2], 0);
  for (const [title, list, share] of groups) {
    if (cleaning) break;
    const budget = Math.max(30_000, ((BUDGET_MS - (Date.now() - T_START)) * share) / shares);
    shares -= share;
    console.log(`${title}:`);
    const searches = list.map(([srv, task]) => new Search(srv, task));
    try {
      await searchTogether(searches, budget);
    } catch (e) {
      console.log(`  failed: ${e.message}`);
      for (const x of searches) if (x.rate !== undefined) x.finish('error');
    }
    for (const x of searches) results[`${x.srv.name}:${x.task.key}`] = x.result();
  }
  if (cleaning) return; // interrupted: the signal handler stops everything and exits
  const laEnd = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  // What the servers complained about (FreeRADIUS logs to our pipe; ours to files in its temp dir).
  for (const srv of servers) {
    const lines = srv.complaints();
    if (lines.length)
      console.log(
        `${srv.name}: ${lines.length} error/warning line(s) in its log, e.g. ${lines
          .slice(0, 3)
          .map((l) => JSON.stringify(l.slice(0, 200)))
          .join(', ')}`,
      );
    else console.log(`${srv.name}: no error or warning in its log`);
  }
  await cleanup();

  const mark = (r) =>
    !r
      ? 'n/a'
      : r.why === 'error'
        ? 'error'
        : r.best
          ? `${r.why === 'max-rate' ? '>=' : ''}${fmt(r.best)}/s`
          : 'none passed';
  const why = (r) =>
    !r || r.why === 'fail' || r.why === 'error'
      ? ''
      : ` (${r.why === 'generator' ? 'limited by the generator' : r.why === 'max-rate' ? '--max-rate' : 'time budget'})`;
  const cpuOf = (r) =>
    r?.step
      ? ` [cpu at that step: ${Object.entries(r.step.cpu)
          .map(([k, v]) => `${k} ${pct(v)}`)
          .join(', ')}; p99 ${r.step.r.p99.toFixed(1)} ms]`
      : '';
  const oa = results['ours:auth'];
  const ta = results['FreeRADIUS:auth'];
  const oc = results['ours:acct'];
  const tc = results['FreeRADIUS:acct'];
  const op = results['ours:priced'];
  console.log(
    `results (${((Date.now() - T_START) / 1000).toFixed(0)} s in all; load average at start ${la}, at end ${laEnd}):`,
  );
  console.log(`  PAP Access-Request: FreeRADIUS ${mark(ta)}${why(ta)}${cpuOf(ta)}`);
  console.log(`  PAP Access-Request: ours       ${mark(oa)}${why(oa)}${cpuOf(oa)}`);
  if (!NO_PRICED)
    console.log(
      `  PAP Access-Request: ours, priced dial-up accounts (session time from the balance): ${mark(op)}${why(op)}${cpuOf(op)}`,
    );
  if (!NO_ACCT) {
    console.log(
      `  Accounting Start/Stop, ours, answered and committed by the core: ${mark(oc)}${why(oc)}${cpuOf(oc)}` +
        `${oc?.step ? ` (answered at ${fmt(oc.step.achieved)}/s, committed ${fmt(oc.step.committed)}/s)` : ''}`,
    );
    console.log(
      `  Accounting Start/Stop, FreeRADIUS writing a detail file (reference): ${mark(tc)}${why(tc)}${cpuOf(tc)}` +
        `${oc?.best && tc?.best ? `   accounting ratio ${(oc.best / tc.best).toFixed(2)}` : ''}`,
    );
  }
  if (oa?.best && ta?.best) {
    const bound =
      oa.why === 'generator' || ta.why === 'generator' || oa.why === 'max-rate' || ta.why === 'max-rate'
        ? ' (a side at a limit of the bench: a bound, not a measure)'
        : '';
    console.log(`PAP ours / FreeRADIUS: ${fmt(oa.best)} / ${fmt(ta.best)}${bound}`);
    console.log(`ratio=${(oa.best / ta.best).toFixed(2)}`);
  } else {
    console.log(
      `no ratio: ${!ours ? 'ours not available' : !theirs ? 'FreeRADIUS not available' : 'a search found no passing rate'}`,
    );
    console.log('ratio=n/a');
  }
  process.exit(0);
})().catch(async (e) => {
  console.error(`radius bench: ${e.stack || e.message}`);
  await cleanup();
  process.exit(1);
});
