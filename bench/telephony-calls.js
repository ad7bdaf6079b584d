#!/usr/bin/env node
'use strict';
// The telephony call pipeline at scale: batches of 1000 CDRs (as rpcf_put_tel_calls carries them) rated and charged
// on the embedded SQLite database, over L telephony links, 51 directions, one border. Prints the calls/s per links
// count: with few links per batch the figure is the pipeline's (uids, link and direction look-ups, rating, the
// batched inserts); with many, one ledger charge per link per batch weighs in. In process: no URFA, no wire.
//   node bench/telephony-calls.js [batches, default 50] [links per run, default 5,200]
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus } = require('node:os');
const { join } = require('node:path');
const { sqliteSettings } = require('@utm5/db/testing');
const { telFixture, call } = require('../packages/core/dist/testing/tel-fixture');

const T0 = 1_049_155_200; // 2003-04-01 UTC
const batches = Number(process.argv[2] ?? 50);
const linkCounts = (process.argv[3] ?? '5,200').split(',').map(Number);

async function run(links) {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-telbench-'));
  const f = await telFixture({ name: 'sqlite', fresh: (n) => sqliteSettings(join(dir, `${n}.db`)) }, 'bench');
  try {
    const range = await f.range('all', 1);
    const zone = await f.zone('mobile', 3);
    for (let i = 0; i <= 50; i++) await f.direction({ zoneId: zone, called: i === 0 ? '7' : `7${i}` });
    const svc = await f.service({
      classes: [
        { tariffClass: zone, prices: [{ rangeId: range, price: 1_000_000 }], borders: [{ border: 600, mult: 0.5 }] },
      ],
    });
    for (let i = 0; i < links; i++) await f.link(svc, [{ number: String(100000 + i) }], 1_000_000);
    await f.reload();
    let imported = 0;
    const t0 = process.hrtime.bigint();
    for (let b = 0; b < batches; b++) {
      const recs = [];
      for (let i = 0; i < 1000; i++) {
        const n = b * 1000 + i;
        recs.push(
          call({
            calling: String(100000 + (n % links)),
            called: `79${String(n).padStart(9, '0')}`,
            duration: 30 + (n % 300),
            start: T0 + 3600 + n,
          }),
        );
      }
      imported += (await f.calls.rate(recs, 'cdr')).filter((o) => o.kind === 'imported').length;
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`${links} links: ${imported} calls in ${s.toFixed(2)} s = ${Math.round(imported / s)} calls/s`);
  } finally {
    await f.done();
    rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  console.log(`telephony calls, ${batches} batches of 1000, ${cpus().length} cores`);
  for (const l of linkCounts) await run(l);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
