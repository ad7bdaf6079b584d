#!/usr/bin/env node
'use strict';
// Traffic classification speed: the compiled TrafficClassifier against a plain scan of the classes in the manual's
// order (what a naive implementation does), same flows, same process. Sizes: classes x subclasses each.
//   node bench/classify.js [peering prefixes=5000] [customer classes=50]
const { TrafficClassifier, emptyFlow, parsePrefix } = require('@utm5/netflow');

// An ISP-shaped set: class 1 Internet (any -> any); class 2 city exchange: any -> N peering prefixes (/16../24);
// class 3 local (10/8 <-> 10/8); classes 4.. customer-specific (a /24 -> a /24), some with Skip exceptions.
const nPeering = Number(process.argv[2] ?? 5000);
const nCustomer = Number(process.argv[3] ?? 50);
let seed = 7;
const rnd = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pub = () => `${1 + rnd(223)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
const priv = () => `10.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
const classes = [
  { id: 1, subclasses: [{ src: { net: '0.0.0.0/0' }, dst: { net: '0.0.0.0/0' } }] },
  {
    id: 2,
    subclasses: Array.from({ length: nPeering }, () => ({
      src: { net: '0.0.0.0/0' },
      dst: { net: `${pub()}/${16 + rnd(9)}` },
    })),
  },
  { id: 3, subclasses: [{ src: { net: '10.0.0.0/8' }, dst: { net: '10.0.0.0/8' } }] },
  ...Array.from({ length: nCustomer }, (_, k) => ({
    id: 4 + k,
    subclasses: [
      { src: { net: `${priv()}/24` }, dst: { net: `${pub()}/24` } },
      { src: { net: `${priv()}/24` }, dst: { net: `${pub()}/28` }, skip: true },
    ],
  })),
];
const flows = Array.from({ length: 2000 }, () => ({
  ...emptyFlow(),
  srcAddr: rnd(2) ? priv() : pub(),
  dstAddr: rnd(5) ? pub() : priv(),
}));
const nClasses = classes.length;
const nSub = classes.reduce((n, c) => n + c.subclasses.length, 0);

const toNum = (a) => a.split('.').reduce((x, o) => x * 256 + Number(o), 0);
const compiledScan = [...classes]
  .sort((a, b) => b.id - a.id)
  .map((c) => ({
    id: c.id,
    subs: c.subclasses.map((s) => {
      const sp = parsePrefix(s.src.net);
      const dp = parsePrefix(s.dst.net);
      const mask = (b) => (b === 0 ? 0 : (0xffffffff << (32 - b)) >>> 0);
      return {
        sNet: toNum(Array.from(sp.bytes).join('.')),
        sMask: mask(sp.bits),
        dNet: toNum(Array.from(dp.bytes).join('.')),
        dMask: mask(dp.bits),
        skip: s.skip,
      };
    }),
  }));
function scan(f) {
  const s = toNum(f.srcAddr);
  const d = toNum(f.dstAddr);
  for (const c of compiledScan) {
    let hit = false;
    let skip = false;
    for (const x of c.subs) {
      if ((s & x.sMask) >>> 0 === x.sNet && (d & x.dMask) >>> 0 === x.dNet) {
        if (x.skip) {
          skip = true;
          break;
        }
        hit = true;
      }
    }
    if (hit && !skip) return c.id;
  }
  return 0;
}

function time(label, fn) {
  let n = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + 2_000_000_000n;
  while (process.hrtime.bigint() < end)
    for (const f of flows) {
      fn(f);
      n++;
    }
  const rate = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  console.log(`${label.padEnd(24)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} flows/s`);
  return rate;
}

const c = new TrafficClassifier(classes);
for (const f of flows) if (c.classify(f, 'r') !== scan(f)) throw new Error(`disagree on ${f.srcAddr} -> ${f.dstAddr}`);
console.log(`classification, ${nClasses} classes, ${nSub} subclasses, node ${process.version}`);
const a = time('compiled trie (ours)', (f) => c.classify(f, 'r'));
const b = time('linear scan', scan);
console.log(`ratio=${(a / b).toFixed(2)} (compiled / linear scan)`);
