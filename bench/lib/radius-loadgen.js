'use strict';
// RADIUS load generator for bench/radius.js, run as a child process (child_process.fork) so that it never shares an
// event loop with what is measured. The parent sends
//   {type:'run', kind:'auth'|'acct', host, port, secret, users:[{login,password}], rate, count, window, timeoutMs}
// and gets back {type:'done', ...} with what was sent, answered, timed out and how fast (see `run`).
//
// As ../../shared/BENCH.md asks: one UDP socket, at most `window` (~128) requests in flight, every request unique,
// every reply's authenticator checked.
// - Unique: the Request Authenticator of an Access-Request carries a counter that never repeats in a run (plus a
//   random run prefix), so no request is a retransmit to the server's duplicate cache; the hidden User-Password is
//   computed from it. An Accounting-Request carries a session id of its own (Start, then Stop of the same session)
//   and its authenticator is the MD5 the RFC defines, so it differs too.
// - Paced by the clock: `rate` requests a second, sent as they fall due, but never more than `window` waiting for an
//   answer; a reply frees its slot (and sends the next request if one is due). A server slower than the rate fills
//   the window, and the achieved rate falls short of the rate asked: the parent counts that step as failed.
// - A request with no reply after `timeoutMs` is a timeout; its identifier is not used again in that step (a late
//   reply is then counted as `late`, never credited to another request).
// - The packets are built before the clock starts and the replies are copied into an arena and checked after the
//   step (code, length, Response Authenticator = MD5(code|id|length|request authenticator|attributes|secret)), so
//   the generator spends its time on the socket while measuring.
const dgram = require('node:dgram');
const crypto = require('node:crypto');
const { performance } = require('node:perf_hooks');

const md5 =
  typeof crypto.hash === 'function'
    ? (b) => crypto.hash('md5', b, 'buffer')
    : (b) => crypto.createHash('md5').update(b).digest();

const RUN = crypto.randomBytes(4); // prefix of every authenticator and session id of this generator
let serial = 0; // requests built so far in this process: the unique part

// ---- packet building (RFC 2865/2866 wire format)
function attr(type, value) {
  const v = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
  if (v.length > 253) throw new Error(`attribute ${type} too long`);
  return Buffer.concat([Buffer.from([type, v.length + 2]), v]);
}
const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const ip4 = (s) => Buffer.from(s.split('.').map(Number));

function hidePassword(password, secret, ra) {
  const p = Buffer.from(password);
  const len = Math.max(16, Math.ceil(p.length / 16) * 16);
  const padded = Buffer.alloc(len);
  p.copy(padded);
  const out = Buffer.alloc(len);
  let prev = ra;
  for (let i = 0; i < len; i += 16) {
    const h = md5(Buffer.concat([secret, prev]));
    for (let j = 0; j < 16; j++) out[i + j] = padded[i + j] ^ h[j];
    prev = out.subarray(i, i + 16);
  }
  return out;
}

function packet(code, id, authenticator, attrs) {
  const body = Buffer.concat(attrs);
  const head = Buffer.alloc(20);
  head[0] = code;
  head[1] = id;
  head.writeUInt16BE(20 + body.length, 2);
  authenticator.copy(head, 4);
  return Buffer.concat([head, body]);
}

/** Access-Request n: PAP, a user chosen by n, a fresh Request Authenticator. */
function accessRequest(n, users, secret) {
  const s = serial++;
  const ra = Buffer.alloc(16);
  RUN.copy(ra, 0);
  ra.writeUInt32BE(Math.floor(s / 2 ** 32), 4);
  ra.writeUInt32BE(s >>> 0, 8);
  crypto.randomFillSync(ra, 12, 4);
  const u = users[(n * 7919) % users.length];
  return packet(1, 0, ra, [
    attr(1, u.login),
    attr(2, hidePassword(u.password, secret, ra)),
    attr(4, ip4('127.0.0.1')),
    attr(5, u32(s & 0xffff)),
    attr(61, u32(5)),
    attr(6, u32(2)),
    attr(31, `02-00-${(s >>> 24) & 255}-${(s >>> 16) & 255}-${(s >>> 8) & 255}-${s & 255}`),
  ]);
}

/** Accounting-Request: Start of a session or its Stop; the authenticator is signed at send time (it covers the id). */
function accountingRequest(n, users, sessionBase) {
  // In blocks of 128: 64 Starts, then the 64 Stops of the same sessions.
  const block = Math.floor(n / 128);
  const j = n % 128;
  const stop = j >= 64;
  const k = sessionBase + block * 64 + (stop ? j - 64 : j);
  serial++;
  const u = users[(k * 7919) % users.length];
  const attrs = [
    attr(1, u.login),
    attr(40, u32(stop ? 2 : 1)),
    attr(44, `${RUN.toString('hex')}-${k}`),
    attr(4, ip4('127.0.0.1')),
    attr(5, u32(k & 0xffff)),
    attr(61, u32(5)),
    attr(6, u32(2)),
    attr(31, `02-00-${(k >>> 24) & 255}-${(k >>> 16) & 255}-${(k >>> 8) & 255}-${k & 255}`),
    attr(8, ip4(`10.${64 + ((k >>> 16) & 63)}.${(k >>> 8) & 255}.${1 + (k % 250)}`)),
    attr(55, u32(Math.floor(Date.now() / 1000))),
  ];
  if (stop) {
    attrs.push(
      attr(46, u32(60 + (k % 3600))),
      attr(42, u32(1000 + k * 13)),
      attr(43, u32(5000 + k * 17)),
      attr(49, u32(1)),
    );
  }
  return packet(4, 0, Buffer.alloc(16), attrs);
}

function signAccounting(buf, id, secret) {
  buf[1] = id;
  buf.fill(0, 4, 20);
  md5(Buffer.concat([buf, secret])).copy(buf, 4);
}

function verifyReply(reply, request, secret, expectCode) {
  if (reply.length < 20 || reply.readUInt16BE(2) !== reply.length || reply[1] !== request[1]) return 'malformed';
  const copy = Buffer.from(reply);
  request.copy(copy, 4, 4, 20);
  const want = md5(Buffer.concat([copy, secret]));
  if (!want.equals(reply.subarray(4, 20))) return 'authenticator';
  if (reply[0] !== expectCode) return 'code';
  return undefined;
}

// ---- CPU time (/proc) of the processes named in the request, and of the whole machine, over the measured part
const TICK = 100; // USER_HZ
function procCpu(pid) {
  try {
    const t = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = t.slice(t.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK; // utime + stime, seconds
  } catch {
    return 0;
  }
}
function machineBusy() {
  try {
    const f = require('node:fs')
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    return (f.reduce((a, b) => a + b, 0) - f[3] - f[4]) / TICK;
  } catch {
    return 0;
  }
}
function cpuSnapshot(pids) {
  const out = { machine: machineBusy() };
  for (const [k, pid] of Object.entries(pids || {})) if (pid) out[k] = procCpu(pid);
  return out;
}
/** Share of one core each used between two snapshots `secs` apart; `other`: the machine's busy time outside them. */
function cpuShares(a, b, secs) {
  const out = {};
  let named = 0;
  for (const k of Object.keys(a)) {
    if (k === 'machine') continue;
    out[k] = (b[k] - a[k]) / secs;
    named += out[k];
  }
  out.machine = (b.machine - a.machine) / secs;
  out.other = Math.max(0, out.machine - named);
  return out;
}

// ---- one run
let sessionsUsed = 0;

function run(m) {
  const secret = Buffer.from(m.secret);
  const count = m.kind === 'acct' ? Math.ceil(m.count / 128) * 128 : m.count;
  const window = Math.min(255, m.window || 128);
  const timeoutMs = m.timeoutMs || 1000;
  const tb = performance.now();
  const reqs = new Array(count);
  if (m.kind === 'acct') {
    const base = sessionsUsed;
    for (let i = 0; i < count; i++) reqs[i] = accountingRequest(i, m.users, base);
    sessionsUsed += (count / 128) * 64;
  } else {
    for (let i = 0; i < count; i++) reqs[i] = accessRequest(i, m.users, secret);
  }
  const buildMs = performance.now() - tb;
  const expectCode = m.kind === 'acct' ? 5 : 2;

  // Replies copied into an arena, checked after the step.
  let arena = Buffer.allocUnsafe(count * 64 + 65536);
  let arenaUsed = 0;
  const replyOff = new Int32Array(count).fill(-1);
  const replyLen = new Uint16Array(count);
  const sentAt = new Float64Array(count);
  const latency = new Float32Array(count);

  const slot = new Int32Array(256).fill(-1); // id -> request index waiting for its answer
  const dead = new Uint8Array(256); // ids whose request timed out: not reused in this step
  let nextId = 0;
  const fifo = new Int32Array(count); // requests in send order, for timeouts
  let head = 0;
  let sent = 0;
  let answered = 0;
  let inFlight = 0;
  let timeouts = 0;
  let late = 0;
  let stray = 0;
  let windowFull = 0; // pumps that stopped because the window was full while requests were due
  let sendErrors = 0;
  let lastError = '';
  let maxInFlight = 0;
  let gaveUp = ''; // why the step stopped sending before `count` (it has failed anyway)

  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.on('error', (e) => {
      sendErrors++;
      lastError = e.message;
    });
    let t0 = 0;
    let cpu0;
    const pids = { ...m.pids, gen: process.pid };
    let tLastSend = 0;
    let finished = false;
    let timer;
    let checker;

    const freeId = () => {
      for (let k = 0; k < 256; k++) {
        const id = (nextId + k) & 255;
        if (slot[id] < 0 && !dead[id]) {
          nextId = (id + 1) & 255;
          return id;
        }
      }
      return -1;
    };

    const pump = () => {
      if (finished) return;
      const now = performance.now();
      const due = Math.min(count, Math.floor((m.rate * (now - t0)) / 1000) + 1);
      const before = sent;
      while (sent < due && !gaveUp) {
        if (inFlight >= window) {
          windowFull++;
          break;
        }
        const id = freeId();
        if (id < 0) {
          if (inFlight === 0) gaveUp = 'every identifier timed out';
          windowFull++;
          break;
        }
        const b = reqs[sent];
        if (m.kind === 'acct') signAccounting(b, id, secret);
        else b[1] = id;
        slot[id] = sent;
        sentAt[sent] = now;
        fifo[sent] = id;
        sent++;
        inFlight++;
        sock.send(b);
      }
      if (inFlight > maxInFlight) maxInFlight = inFlight;
      if (sent > before) tLastSend = now;
      if (sent < count && !gaveUp && inFlight < window && !timer) {
        const wait = Math.max(1, (sent / m.rate) * 1000 - (now - t0));
        timer = setTimeout(
          () => {
            timer = undefined;
            pump();
          },
          Math.min(wait, 50),
        );
      }
      maybeDone();
    };

    const expire = () => {
      const now = performance.now();
      while (head < sent) {
        const id = fifo[head];
        if (slot[id] !== head) {
          head++;
          continue;
        } // answered
        if (now - sentAt[head] < timeoutMs) break;
        slot[id] = -1;
        dead[id] = 1;
        inFlight--;
        timeouts++;
        head++;
      }
      if (timeouts >= 1000 && !gaveUp) gaveUp = `${timeouts} timeouts`;
    };

    const maybeDone = () => {
      if (finished || (sent < count && !gaveUp) || inFlight > 0) return;
      finished = true;
      clearTimeout(timer);
      clearInterval(checker);
      const tEnd = performance.now();
      const cpu = cpuShares(cpu0, cpuSnapshot(pids), (tEnd - t0) / 1000);
      sock.close();
      // The replies, checked now.
      const bad = { malformed: 0, authenticator: 0, code: 0 };
      let firstBad = '';
      const lat = [];
      for (let i = 0; i < count; i++) {
        if (replyOff[i] < 0) continue;
        const r = arena.subarray(replyOff[i], replyOff[i] + replyLen[i]);
        const why = verifyReply(r, reqs[i], secret, expectCode);
        if (why) {
          bad[why]++;
          if (!firstBad) firstBad = `${why}: code ${r[0]} for request ${i}`;
        }
        lat.push(latency[i]);
      }
      lat.sort((a, b) => a - b);
      const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : 0);
      const sendSecs = (tLastSend - t0) / 1000;
      resolve({
        type: 'done',
        kind: m.kind,
        rate: m.rate,
        count,
        sent,
        gaveUp,
        answered,
        timeouts,
        late,
        stray,
        bad,
        badTotal: bad.malformed + bad.authenticator + bad.code,
        firstBad,
        secs: (tEnd - t0) / 1000,
        sendSecs,
        achievedRate: sendSecs > 0 ? sent / sendSecs : 0,
        answeredRate: answered / ((tEnd - t0) / 1000),
        cpu,
        windowFull,
        maxInFlight,
        sendErrors,
        lastError,
        buildMs,
        p50: pct(0.5),
        p99: pct(0.99),
        max: lat.length ? lat[lat.length - 1] : 0,
        t0Epoch: performance.timeOrigin + t0,
        tLastReplyEpoch: performance.timeOrigin + tEnd,
      });
    };

    sock.on('message', (msg) => {
      const id = msg[1];
      const i = slot[id];
      if (i < 0) {
        if (dead[id]) late++;
        else stray++;
        return;
      }
      const now = performance.now();
      slot[id] = -1;
      inFlight--;
      answered++;
      latency[i] = now - sentAt[i];
      if (arenaUsed + msg.length > arena.length) {
        const bigger = Buffer.allocUnsafe(arena.length * 2 + msg.length);
        arena.copy(bigger, 0, 0, arenaUsed);
        arena = bigger;
      }
      msg.copy(arena, arenaUsed);
      replyOff[i] = arenaUsed;
      replyLen[i] = msg.length;
      arenaUsed += msg.length;
      pump();
    });

    sock.connect(m.port, m.host, () => {
      cpu0 = cpuSnapshot(pids);
      t0 = performance.now();
      checker = setInterval(() => {
        expire();
        pump();
      }, 20);
      pump();
    });
  });
}

process.on('message', async (m) => {
  if (m && m.type === 'run') process.send(await run(m));
  else if (m && m.type === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', pid: process.pid });
