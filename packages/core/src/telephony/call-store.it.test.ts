import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryBackend } from '@utm5/db/testing';
import { telFixture } from '../testing/tel-fixture';
import { callStore, usageKey } from './call-store';

onEveryBackend('telephony call store', (backend) => {
  test('usage of more link classes than one multi-row upsert may hold is written and rewritten whole', async () => {
    const f = await telFixture(backend(), 'tel_store');
    try {
      // 1,000 links x 2 classes: SQLite caps a compound SELECT (knex's multi-row upsert) at 500 terms.
      const links = Array.from({ length: 1000 }, (_, i) => ({ slinkId: i + 1, periodId: 7 }));
      const usage = (k: number) =>
        new Map(
          links.flatMap((l) =>
            [1, 2].map(
              (c) => [usageKey(l.slinkId, l.periodId, c), { used: l.slinkId * c + k, prepaidUsed: k }] as const,
            ),
          ),
        );
      for (const k of [0, 5]) {
        const want = usage(k);
        await f.db.tx(async (trx) => (await callStore(trx)).saveUsage(want));
        const got = await f.db.tx(async (trx) => (await callStore(trx)).loadUsage([...want.keys(), '1:8:1']));
        assert.equal(got.size, 2000, 'every key written, none of another period');
        assert.deepEqual(got.get(usageKey(1000, 7, 2)), { used: 2000 + k, prepaidUsed: k });
      }
    } finally {
      await f.done();
    }
  });
});
