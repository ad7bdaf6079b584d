'use strict';
// NetFlow load generator for bench/netflow-ingest.js, run as a child process (child_process.fork) so that it never
// shares an event loop with what is measured. The parent sends {type:'run', version, host, port, rate, records};
// the sender answers {type:'done', ...} with what it really sent and how fast.
//
// Packets come from our own encoder (@utm5/netflow encodeV5 / encodeV9), 30 records each, built once into a pool of
// distinct packets (customer addresses 10.x <-> public addresses, varied ports and protocols); each send patches one's
// header: v5 sequence = flows sent before it (unique across the whole run), v9 sequence = packets
// sent before it, export time = now (so record times, relative to a fixed uptime, move with the clock). v9 packets
// carry the template set every TEMPLATE_EVERY packets, counting from the first packet of each step (every step goes
// to a collector process that may be new).
// Pacing is by the clock in small bursts: every ~1 ms the sender catches up with rate * elapsed, at most BURST_MAX
// packets at a time, and sleeps when it is ahead. It reports the achieved rate; the parent calls a step
// generator-limited when that falls short of the rate asked for.
const dgram = require('node:dgram');
const { emptyFlow, encodeV5, encodeV9 } = require('@utm5/netflow');

const PER_PACKET = 30;
const TEMPLATE_EVERY = 20;
const POOL = 64;
const BURST_MAX = 512;
const BOOT_MS = Date.now() - 3_600_000; // the "exporter" booted an hour ago
const SYS_UPTIME = Date.now() - BOOT_MS;

function records(p) {
  const now = Date.now();
  return Array.from({ length: PER_PACKET }, (_, i) => {
    const k = p * PER_PACKET + i;
    const out = (k & 1) === 0;
    const cust = `10.${(k >> 8) & 0x3f}.${k & 0xff}.${1 + (k % 250)}`;
    const remote = `${11 + (k % 180)}.${(k * 7) & 0xff}.${(k * 13) & 0xff}.${1 + ((k * 17) % 250)}`;
    return {
      ...emptyFlow(),
      srcAddr: out ? cust : remote,
      dstAddr: out ? remote : cust,
      nextHop: '10.255.255.254',
      srcPort: out ? 1024 + (k % 60000) : [80, 443, 53, 25][k % 4],
      dstPort: out ? [80, 443, 53, 25][k % 4] : 1024 + (k % 60000),
      protocol: [6, 6, 17, 1][k % 4],
      tcpFlags: 0x1b,
      inIf: 1 + (k % 4),
      outIf: 5 + (k % 4),
      bytes: 40 + ((k * 7919) % 1_500_000),
      packets: 1 + (k % 1000),
      start: now - 60_000 - (k % 100) * 10,
      end: now - 1000,
    };
  });
}

// Built once, at the first export time; the header's unix seconds are patched per send (uptimes stay fixed).
const T0 = Date.now();
const pools = {
  5: Array.from({ length: POOL }, (_, p) => encodeV5({ sequence: 0, unixMs: T0, sysUptime: SYS_UPTIME }, records(p))),
  9: Array.from({ length: POOL }, (_, p) =>
    encodeV9({ domain: 1, sequence: 0, unixMs: T0, sysUptime: SYS_UPTIME, withTemplate: false }, records(p)),
  ),
  '9t': Array.from({ length: POOL }, (_, p) =>
    encodeV9({ domain: 1, sequence: 0, unixMs: T0, sysUptime: SYS_UPTIME, withTemplate: true }, records(p)),
  ),
};
let v5Flows = 0; // v5 sequence: unique for the whole run
let v9Packets = 0;

// The pool packet itself is patched and sent when the socket has nothing queued (Node then sends at once, so the
// kernel has copied it before the next send); otherwise a copy is patched, leaving queued packets untouched.
function packet(version, n, queued) {
  const src = version === 5 ? pools[5][n % POOL] : (n % TEMPLATE_EVERY === 0 ? pools['9t'] : pools[9])[n % POOL];
  let b = src;
  if (queued) {
    b = Buffer.allocUnsafe(src.length);
    src.copy(b);
  }
  const now = Date.now();
  if (version === 5) {
    b.writeUInt32BE(Math.floor(now / 1000), 8);
    b.writeUInt32BE((now % 1000) * 1e6, 12);
    b.writeUInt32BE(v5Flows >>> 0, 16);
    v5Flows += PER_PACKET;
  } else {
    b.writeUInt32BE(Math.floor(now / 1000), 8);
    b.writeUInt32BE(v9Packets >>> 0, 12);
    v9Packets++;
  }
  return b;
}

function run({ version, host, port, rate, records: total }) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    let errors = 0;
    let lastError = '';
    sock.on('error', (e) => {
      errors++;
      lastError = e.message;
    });
    sock.connect(port, host, () => {
      const packets = Math.ceil(total / PER_PACKET);
      const pps = rate / PER_PACKET;
      const firstSeq = version === 5 ? v5Flows : v9Packets;
      let sent = 0;
      let late = 0; // bursts that hit BURST_MAX: the sender could not keep up at that moment
      const t0 = process.hrtime.bigint();
      const tick = () => {
        const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
        const due = Math.min(packets, Math.floor(pps * elapsed) + 1);
        let burst = 0;
        while (sent < due && burst < BURST_MAX) {
          sock.send(packet(version, sent, sock.getSendQueueCount() > 0));
          sent++;
          burst++;
        }
        if (burst === BURST_MAX) late++;
        if (sent >= packets) {
          const secs = Number(process.hrtime.bigint() - t0) / 1e9;
          // Let queued sends (if any) leave before closing.
          const done = () =>
            sock.close(() =>
              resolve({
                type: 'done',
                version,
                sentPackets: sent,
                sentRecords: sent * PER_PACKET,
                secs,
                achievedRate: (sent * PER_PACKET) / secs,
                errors,
                lastError,
                late,
                firstSeq,
              }),
            );
          if (sock.getSendQueueCount && sock.getSendQueueCount() > 0) {
            const wait = () => (sock.getSendQueueCount() > 0 ? setTimeout(wait, 5) : done());
            wait();
          } else done();
          return;
        }
        if (sent < Math.floor(pps * (Number(process.hrtime.bigint() - t0) / 1e9))) setImmediate(tick);
        else setTimeout(tick, 1);
      };
      tick();
    });
  });
}

process.on('message', async (m) => {
  if (m && m.type === 'run') process.send(await run(m));
  else if (m && m.type === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', pid: process.pid });
