#!/usr/bin/env node
'use strict';
// NetFlow decode speed: our @utm5/netflow decoder against node-netflowv9 (the named dependency), same packets, same
// process, one after the other, each warmed up. v5 (30 records a packet) and v9 (template once, then 30-record data
// packets; node-netflowv9 has no IPFIX, ours is timed alone there). Prints records/s and the ratio ours/theirs.
//   node bench/netflow-decode.js [seconds per case, default 2]
const { NetflowDecoder, encodeV5, encodeV9, encodeIpfix, emptyFlow } = require('@utm5/netflow');
const NetFlowV9 = require('node-netflowv9');

const secs = Number(process.argv[2] ?? 2);
const T = Date.now();
const flows = Array.from({ length: 30 }, (_, i) => ({
  ...emptyFlow(),
  srcAddr: `10.0.${i}.1`,
  dstAddr: `192.0.2.${i}`,
  nextHop: '10.0.0.254',
  srcPort: 40000 + i,
  dstPort: 443,
  protocol: 6,
  bytes: 1000 + i,
  packets: 2,
  start: T - 5000,
  end: T - 1000,
  inIf: 1,
  outIf: 2,
}));
const v5 = Array.from({ length: 64 }, (_, s) => encodeV5({ sequence: s * 30, unixMs: T, sysUptime: 3_600_000 }, flows));
const v9tpl = encodeV9({ domain: 1, sequence: 0, unixMs: T, sysUptime: 3_600_000, withTemplate: true }, []);
const v9 = Array.from({ length: 64 }, (_, s) =>
  encodeV9({ domain: 1, sequence: s + 1, unixMs: T, sysUptime: 3_600_000, withTemplate: false }, flows),
);
const ipfixTpl = encodeIpfix({ domain: 1, sequence: 0, unixMs: T, withTemplate: true }, []);
const ipfix = Array.from({ length: 64 }, (_, s) =>
  encodeIpfix({ domain: 1, sequence: s + 1, unixMs: T, withTemplate: false }, flows),
);

function time(label, decodeOne, packets) {
  const run = (ms) => {
    let n = 0;
    let records = 0;
    const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
    while (process.hrtime.bigint() < end) {
      for (let k = 0; k < 256; k++) records += decodeOne(packets[n++ & 63]);
    }
    return records;
  };
  run(300);
  const t0 = process.hrtime.bigint();
  const records = run(secs * 1000);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const rate = records / s;
  console.log(`${label.padEnd(28)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} records/s`);
  return rate;
}

const rinfo = { address: '127.0.0.1', port: 2055, size: 0, family: 'IPv4' };
const theirs = new NetFlowV9({ cb() {} });
const ours = new NetflowDecoder();
ours.decode(v9tpl, '127.0.0.1');
ours.decode(ipfixTpl, '127.0.0.1');
theirs.nfPktDecode(v9tpl, { ...rinfo, size: v9tpl.length });
const theirCount = (o) => (o && o.flows ? o.flows.length : 0);

console.log(`NetFlow decode, node ${process.version}, ${secs} s per case`);
const r5o = time('v5  ours', (p) => ours.decode(p, '127.0.0.1').records.length, v5);
const r5t = time('v5  node-netflowv9', (p) => theirCount(theirs.nfPktDecode(p, { ...rinfo, size: p.length })), v5);
const r9o = time('v9  ours', (p) => ours.decode(p, '127.0.0.1').records.length, v9);
const r9t = time('v9  node-netflowv9', (p) => theirCount(theirs.nfPktDecode(p, { ...rinfo, size: p.length })), v9);
time('ipfix ours (no peer)', (p) => ours.decode(p, '127.0.0.1').records.length, ipfix);
console.log(`ratio v5=${(r5o / r5t).toFixed(2)} v9=${(r9o / r9t).toFixed(2)} (ours / node-netflowv9)`);
theirs.server?.close?.();
process.exit(0);
