'use strict';
// Helpers for benches that start real processes: start one and keep its output, stop it by its own pid, free ports,
// and the kernel's view of a UDP port (/proc/net/udp: receive queue and drops of every socket bound to it).
const { spawn } = require('node:child_process');
const dgram = require('node:dgram');
const net = require('node:net');
const { readFileSync, statSync } = require('node:fs');

/** Every process started here that has not exited yet: killed by pid on an abnormal exit of the bench. */
const running = new Set();

function startProc(label, cmd, args, opts = {}) {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters = [];
  const feed = (d) => {
    out += d.toString();
    if (out.length > 1_000_000) out = out.slice(-500_000);
    for (const w of [...waiters]) {
      const m = out.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout.on('data', feed);
  child.stderr.on('data', feed);
  let spawnError;
  const exited = new Promise((resolve) => {
    child.once('error', (e) => {
      spawnError = e;
      resolve(`error: ${e.message}`);
    });
    child.once('exit', (code, sig) => resolve(code ?? sig ?? -1));
  });
  const p = {
    label,
    child,
    pid: child.pid,
    exited,
    output: () => out,
    alive: () => child.exitCode === null && child.signalCode === null && !spawnError,
    waitForOutput(re, ms = 20_000) {
      const m = out.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out after ${ms} ms waiting for ${re} from ${label}; output: ${tail(out)}`)),
          ms,
        );
        const w = {
          re,
          resolve: (x) => {
            clearTimeout(timer);
            resolve(x);
          },
        };
        waiters.push(w);
        void exited.then((code) => {
          if (waiters.includes(w)) {
            clearTimeout(timer);
            reject(new Error(`${label} exited (${code}); output: ${tail(out)}`));
          }
        });
      });
    },
    /** SIGTERM to this pid, SIGKILL after `ms`; resolves with the exit code or signal. */
    async stop(ms = 10_000) {
      if (!p.alive()) return exited;
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, ms);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  running.add(p);
  void exited.then(() => running.delete(p));
  return p;
}

function tail(s, n = 600) {
  const t = s.trim().replace(/\s*\n\s*/g, ' | ');
  return t.length > n ? `...${t.slice(-n)}` : t || '(none)';
}

/** Synchronous last resort (process 'exit'): SIGKILL every process still running, each by its pid. */
function killAllSync() {
  for (const p of running) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Every socket bound to this local UDP port (any address, IPv4 and IPv6): how many, the bytes waiting in their
 * receive queues, and the datagrams the kernel dropped on them since they were created.
 */
function udpPortState(port) {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let sockets = 0;
  let rxQueue = 0;
  let drops = 0;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 13 || !f[1].endsWith(hex)) continue;
      sockets++;
      rxQueue += parseInt(f[4].split(':')[1], 16);
      drops += Number(f[f.length - 1]);
    }
  }
  return { sockets, rxQueue, drops };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves when some socket is bound to the UDP port; rejects if `proc` exits first or after `ms`. */
async function waitUdpBound(port, proc, ms = 20_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (udpPortState(port).sockets > 0) return;
    if (proc && !proc.alive())
      throw new Error(
        `${proc.label} exited (${await proc.exited}) before binding udp ${port}; output: ${tail(proc.output())}`,
      );
    await sleep(25);
  }
  throw new Error(
    `nothing bound udp port ${port} within ${ms} ms${proc ? `; ${proc.label} output: ${tail(proc.output())}` : ''}`,
  );
}

/** Waits until the receive queues on the port stay empty for `quietMs`; returns the ms waited (or -1 on timeout). */
async function waitUdpDrained(port, { quietMs = 200, timeoutMs = 60_000 } = {}) {
  const t0 = Date.now();
  let emptySince = 0;
  while (Date.now() - t0 < timeoutMs) {
    const s = udpPortState(port);
    if (s.rxQueue === 0) {
      if (!emptySince) emptySince = Date.now();
      if (Date.now() - emptySince >= quietMs) return Date.now() - t0;
    } else emptySince = 0;
    await sleep(20);
  }
  return -1;
}

/** key=value config text, as every UTM5 program reads it. */
const cfgText = (o) =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n') + '\n';

/**
 * A test core's config in `dir` (its own SQLite file, free loopback ports, logs in the dir), as
 * tests/helpers/core-instance.ts sets one up; log_level 2 keeps the "started, pid" notice on stderr.
 */
async function writeCoreConfig(dir) {
  const { writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const urfaPort = await freeTcpPort();
  const streamPort = await freeTcpPort();
  const coreCfg = join(dir, 'utm5.cfg');
  writeFileSync(
    coreCfg,
    cfgText({
      database_type: 'sqlite',
      database: join(dir, 'utm5.db'),
      urfa_bind_host: '127.0.0.1',
      urfa_bind_port: urfaPort,
      stream_bind_host: '127.0.0.1',
      stream_bind_port: streamPort,
      core_pid_file: join(dir, 'utm5_core.pid'),
      secret_key_file: join(dir, 'utm5.key'),
      ssl_cert_file: join(dir, 'cert.crt'),
      ssl_privkey_file: join(dir, 'privkey.pem'),
      log_level: 2,
      log_file_debug: join(dir, 'core.debug.log'),
      log_file_critical: join(dir, 'core.crit.log'),
    }),
  );
  return { coreCfg, urfaPort, streamPort };
}

/** Installs a Debian package when `present()` says its program is missing; { ok } or { ok: false, why }. */
function aptEnsure(pkg, present, what = pkg) {
  const { execFileSync } = require('node:child_process');
  if (present()) return { ok: true };
  console.log(`${what} not on PATH: apt-get install -y ${pkg} ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    execFileSync('apt-get', ['install', '-y', '-q', pkg], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 300_000,
    });
  try {
    install();
  } catch {
    try {
      execFileSync('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
      install();
    } catch (e) {
      return {
        ok: false,
        why: `apt-get install ${pkg} failed: ${String(e.stderr || e.message)
          .trim()
          .split('\n')
          .pop()}`,
      };
    }
  }
  return present() ? { ok: true } : { ok: false, why: `${pkg} installed but ${what} is still not on PATH` };
}

/** A daemon's stats file (tc_stats_file, radius_stats_file) with its mtime; undefined when not written yet or caught half-written. */
function readStats(file) {
  try {
    const st = statSync(file);
    return { mtimeMs: st.mtimeMs, ...JSON.parse(readFileSync(file, 'utf8')) };
  } catch {
    return undefined;
  }
}

/** The benches' command line: `opt('--name', default)` for a value, `flag('--name')` for a switch. */
function cliOptions(argv = process.argv.slice(2)) {
  return {
    opt: (name, dflt) => {
      const i = argv.indexOf(name);
      return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
    },
    flag: (name) => argv.includes(name),
  };
}

module.exports = {
  readStats,
  cliOptions,
  startProc,
  killAllSync,
  freeTcpPort,
  freeUdpPort,
  udpPortState,
  waitUdpBound,
  waitUdpDrained,
  sleep,
  tail,
  cfgText,
  writeCoreConfig,
  aptEnsure,
};
