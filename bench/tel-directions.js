#!/usr/bin/env node
'use strict';
// Telephone direction lookup speed: DirectionIndex over N random directions (mostly called prefixes of 3-8 digits,
// a few hundred regexps, some with calling prefixes and trunks; called prefixes distinct but for the calling prefix
// variants), after a warm-up; also the time to build the index and the mix measured.
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
// A few hundred called patterns of the kinds operators write, each covering a small part of its head's numbers (a
// pattern covering a whole head would shadow every prefix under it): a number range with a wildcard in the middle,
// a group of codes, a full-length number ending in $ (too many to file, so its RegExp runs), a short service number.
const patterns = [
  () => `^${heads[rnd(heads.length)]}${digits(1)}[0-9]{${1 + rnd(2)}}${digits(1 + rnd(2))}`,
  () => `${heads[rnd(heads.length)]}${digits(1)}(${digits(2)}|${digits(2)}|${digits(3)})`,
  () => `^${heads[rnd(heads.length)]}${digits(2)}[0-9]{${6 + rnd(2)}}$`,
  () => `^${digits(2)}[1-4]$`,
];
const nRegexp = Math.min(300, Math.floor(nDirs / 300));
// Called prefixes are distinct, as in a numbering plan; one in twenty gets a second direction for some callers.
const seen = new Set();
const dirs = [];
let nPatterns = 0;
for (let i = 0; dirs.length < nDirs && i < nDirs * 20; i++) {
  const regexp = nPatterns < nRegexp;
  const calledPrefix = regexp
    ? patterns[i % patterns.length]()
    : (heads[rnd(heads.length)] + digits(8)).slice(0, 3 + rnd(6));
  if (seen.has(calledPrefix)) continue;
  seen.add(calledPrefix);
  if (regexp) nPatterns++;
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
  if (!regexp && rnd(20) === 0) {
    // Some callers by prefix, a few by pattern (an operator's own number ranges).
    const callingRegexp = rnd(10) === 0;
    const callingPrefix = callingRegexp ? `^${digits(2)}[0-9]${digits(1)}` : digits(2 + rnd(4));
    dirs.push({ ...base, callingPrefix, callingRegexp, id: dirs.length + 1, name: `d${dirs.length}` });
  }
}
const catchAll = { ...dirs[0], incomingTrunk: '', outgoingTrunk: '', pbxId: '', skip: false };
dirs.push({ ...catchAll, id: nDirs + 1, calledPrefix: '.*', calledRegexp: true, name: 'default' });
const mix = {
  prefixes: dirs.filter((d) => !d.calledRegexp).length,
  with_calling: dirs.filter((d) => d.callingPrefix !== '').length,
  with_trunk_or_pbx: dirs.filter((d) => d.incomingTrunk || d.outgoingTrunk || d.pbxId).length,
  regexps: dirs.filter((d) => d.calledRegexp).length,
  calling_regexps: dirs.filter((d) => d.callingRegexp).length,
};

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
let byRegexp = 0;
const run = (n) => {
  for (let i = 0; i < n; i++) if (index.match(keys[i & 4095]) !== undefined) found++;
};
for (const k of keys) if (index.match(k)?.calledRegexp) byRegexp++;
run(200_000); // warm-up
found = 0;
const t1 = process.hrtime.bigint();
run(nLookups);
const s = Number(process.hrtime.bigint() - t1) / 1e9;
console.log(
  `directions=${dirs.length} prefixes=${mix.prefixes} with_calling=${mix.with_calling} ` +
    `with_trunk_or_pbx=${mix.with_trunk_or_pbx} regexps=${mix.regexps} calling_regexps=${mix.calling_regexps} invalid=${index.invalid.length} ` +
    `won_by_regexp=${((100 * byRegexp) / keys.length).toFixed(1)}% build_ms=${buildMs.toFixed(0)} ` +
    `lookups=${nLookups} matched=${found} lookups_per_s=${Math.round(nLookups / s)}`,
);
