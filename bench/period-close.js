#!/usr/bin/env node
'use strict';
// Closing accounting periods at scale: N accounts, each with one at-start monthly fee (charged at the period end
// for the next period) and one at-end fee (settled at the close), on the embedded SQLite database. Prints the time
// and the accounts/s for each size, and the ratio between sizes: near 1.0 means the close scales linearly (the
// indexes on service_links, slink_periods and account_ledger keep every per-account step a point lookup).
// There is no third-party peer for this; the figure goes with the machine's (see ../shared/BENCH.md for the method).
//   node bench/period-close.js [sizes, default 10000,100000]
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, cpus, totalmem } = require('node:os');
const { join } = require('node:path');
const { SecretBox, TestClock, nullLogger } = require('@utm5/common');
const { openDatabase, verifyDatabase, dbSettings } = require('@utm5/db');
const { Tariffication } = require('@utm5/core');
const { Billing } = require('../packages/core/dist/billing/billing');

const T0 = 1_049_155_200; // 2003-04-01 UTC
const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);

async function seed(db, n) {
  const k = db.knex;
  const now = T0;
  const [svcStart] = await k('services').insert({
    name: 'fee at start',
    comment: '',
    service_type: 2,
    status: 0,
    cost: 300_000_000,
    discount_method: 1,
  });
  const [svcEnd] = await k('services').insert({
    name: 'fee at end',
    comment: '',
    service_type: 2,
    status: 0,
    cost: 100_000_000,
    discount_method: 2,
  });
  const [pid] = await k('discount_periods').insert({
    static_id: 1,
    start_date: T0,
    end_date: T0 + 30 * 86400,
    periodic_type: 3,
    anchor: T0,
    ordinal: 0,
  });
  const CH = 200; // SQLite caps a compound insert at 500 rows
  for (let from = 1; from <= n; from += CH) {
    const ids = [];
    for (let i = from; i < Math.min(from + CH, n + 1); i++) ids.push(i);
    await k.transaction(async (trx) => {
      await trx('users').insert(
        ids.map((i) => ({
          id: i,
          login: `u${i}`,
          password_enc: 'x',
          comments: '',
          create_date: now,
          last_change_date: now,
          basic_account: i,
        })),
      );
      await trx('accounts').insert(ids.map((i) => ({ id: i, user_id: i, balance: 1_000_000_000, create_date: now })));
      const links = ids.flatMap((i) => [
        {
          id: 2 * i - 1,
          account_id: i,
          user_id: i,
          service_id: svcStart,
          discount_period_id: pid,
          start_date: T0,
          expire_date: 2_000_000_000,
          policy_id: 1,
          created_at: T0,
        },
        {
          id: 2 * i,
          account_id: i,
          user_id: i,
          service_id: svcEnd,
          discount_period_id: pid,
          start_date: T0,
          expire_date: 2_000_000_000,
          policy_id: 1,
          created_at: T0,
        },
      ]);
      await trx('service_links').insert(links);
      await trx('slink_periods').insert(
        links.map((l) => ({
          slink_id: l.id,
          period_id: pid,
          ordinal: 0,
          charged: l.service_id === svcStart ? 300_000_000 : 0,
        })),
      );
    });
  }
  return Number(pid);
}

async function run(n) {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-bench-'));
  try {
    const db = await openDatabase(dbSettings({ database_type: 'sqlite', database: join(dir, 'b.db') }));
    await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
    const clock = new TestClock(T0);
    const billing = new Billing({
      db,
      secrets: SecretBox.fromKeyFile(join(dir, 'key')),
      clock,
      log: nullLogger,
      param: () => undefined,
    });
    await billing.start();
    const t = new Tariffication(
      db,
      billing,
      clock,
      () => 'UTC',
      nullLogger,
      () => undefined,
    );
    const pid = await seed(db, n);
    clock.set(T0 + 30 * 86400 - 1); // the period's own timemark is not armed: the bench closes it by hand
    await clock.set(T0 + 30 * 86400);
    const started = process.hrtime.bigint();
    const r = await t.closePeriod(pid);
    const secs = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = await db.knex('account_ledger').count({ c: '*' }).first();
    await billing.stop();
    await db.close();
    if (r.accounts !== n) throw new Error(`closed ${r.accounts} accounts, expected ${n}`);
    return { n, secs, rate: n / secs, ledger: Number(rows.c) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  console.log(
    `period close on SQLite: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  const results = [];
  for (const n of sizes) {
    const r = await run(n);
    results.push(r);
    console.log(
      `${String(n).padStart(7)} accounts: ${r.secs.toFixed(1)} s, ${Math.round(r.rate)} accounts/s, ${r.ledger} ledger rows written`,
    );
  }
  if (results.length > 1) {
    const a = results[0];
    const b = results[results.length - 1];
    console.log(
      `scaling: ${b.n / a.n}x the accounts took ${(b.secs / a.secs).toFixed(2)}x the time (rate ratio ${(b.rate / a.rate).toFixed(2)}; 1.00 is linear)`,
    );
  }
})().catch((err) => {
  console.error(`bench failed: ${String(err.message).slice(0, 300)}`);
  process.exit(1);
});
