#!/usr/bin/env node
'use strict';
// Telephone direction lookup speed: DirectionIndex over N random directions (mostly called prefixes of 3-10 digits,
// a few hundred regexps, some with calling prefixes and trunks; called prefixes distinct but for the calling prefix
// variants), after a warm-up; also the time to build the index.
//   node bench/tel-directions.js [directions=100000] [lookups=2000000]
const { DirectionIndex } = require('../packages/core/dist/telephony/directions');

const nDirs = Number(process.argv[2] ?? 100_000);
const nLookups = Number(process.argv[3] ?? 2_000_000);
let seed = 13;
const rnd = (n) => {
  // Math.imul keeps the product in 32 bits (a plain * loses the low bits past 2^53); the high bits are the random ones.
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};
const digits = (n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rnd(10));
  return s;
};
// Country/area heads shared by many directions, as a real numbering plan has.
const heads = Array.from({ length: 300 }, () => digits(1 + rnd(3)));
const nRegexp = Math.min(300, Math.floor(nDirs / 300));
// Called prefixes are distinct, as in a numbering plan; one in twenty gets a second direction for some callers.
const seen = new Set();
const dirs = [];
for (let i = 0; dirs.length < nDirs && i < nDirs * 20; i++) {
  const regexp = i < nRegexp;
  const head = heads[rnd(heads.length)];
  const calledPrefix = regexp
    ? rnd(2)
      ? `^${head}[0-9]{${1 + rnd(3)}}${digits(rnd(3))}`
      : `${head}(${digits(2)}|${digits(2)})`
    : (head + digits(10)).slice(0, 3 + rnd(8));
  if (seen.has(calledPrefix)) continue;
  seen.add(calledPrefix);
  const base = {
    zoneId: 1 + rnd(50),
    calledPrefix,
    callingPrefix: '',
    calledRegexp: regexp,
    callingRegexp: false,
    incomingTrunk: rnd(30) === 0 ? `T${rnd(4)}` : '',
    outgoingTrunk: rnd(50) === 0 ? `O${rnd(4)}` : '',
    pbxId: rnd(100) === 0 ? `pbx${rnd(3)}` : '',
    skip: rnd(200) === 0,
  };
  dirs.push({ ...base, id: dirs.length + 1, name: `d${dirs.length}` });
  if (!regexp && rnd(20) === 0)
    dirs.push({ ...base, callingPrefix: digits(2 + rnd(4)), id: dirs.length + 1, name: `d${dirs.length}` });
}
dirs.push({ ...dirs[0], id: nDirs + 1, calledPrefix: '.*', calledRegexp: true, name: 'default' });

const t0 = process.hrtime.bigint();
const index = new DirectionIndex(dirs);
const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;

const keys = Array.from({ length: 4096 }, () => ({
  called: heads[rnd(heads.length)] + digits(8),
  calling: digits(7),
  incomingTrunk: rnd(4) ? '' : `T${rnd(4)}`,
  outgoingTrunk: rnd(4) ? '' : `O${rnd(4)}`,
  pbxId: rnd(4) ? '' : `pbx${rnd(3)}`,
}));
let found = 0;
const run = (n) => {
  for (let i = 0; i < n; i++) if (index.match(keys[i & 4095]) !== undefined) found++;
};
run(200_000); // warm-up
found = 0;
const t1 = process.hrtime.bigint();
run(nLookups);
const s = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(
  `directions=${dirs.length} regexps=${nRegexp + 1} invalid=${index.invalid.length} build_ms=${buildMs.toFixed(0)} ` +
    `lookups=${nLookups} matched=${found} lookups_per_s=${Math.round(nLookups / s)}`,
);
