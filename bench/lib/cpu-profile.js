#!/usr/bin/env node
'use strict';
// Summarises a V8 .cpuprofile (node --cpu-prof): the functions with the most self time, and the share of time spent
// under each of a few named functions (inclusive), so a bench's figures can say where the time went.
//   node bench/lib/cpu-profile.js FILE [top=25] [name,name,...]
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');

function summarise(file, top = 25, names = []) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const dt = p.timeDeltas;
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const label = (n) => {
    const f = n.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url ? basename(f.url) : ''}:${f.lineNumber + 1}`;
  };
  const selfBy = new Map();
  for (const [id, us] of self) {
    const l = label(byId.get(id));
    selfBy.set(l, (selfBy.get(l) ?? 0) + us);
  }
  const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5);
  const lines = [`${file}: ${(total / 1e6).toFixed(2)} s sampled`];
  lines.push(`idle ${pct(selfBy.get('(idle) :0') ?? 0)}%`);
  for (const [l, us] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`self ${pct(us)}%  ${l}`);
  // Inclusive: a sample counts once for a name however deep the recursion.
  for (const name of names) {
    let us = 0;
    for (const [id, t] of self) {
      for (let n = id; n !== undefined; n = parent.get(n)) {
        if (byId.get(n).callFrame.functionName === name) {
          us += t;
          break;
        }
      }
    }
    lines.push(`under ${name}: ${pct(us)}%`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top, names] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/lib/cpu-profile.js FILE [top=25] [name,name,...]');
    process.exit(2);
  }
  console.log(summarise(file, Number(top ?? 25), names ? names.split(',') : []));
}

module.exports = { summarise };
