import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryBackend } from '@utm5/db/testing';
import { M, T0 } from '../testing/billing-fixture';
import { call, telFixture, type TelFixture } from '../testing/tel-fixture';
import { CALL_FLAG } from './model';

// Runs once helper "pure"'s DirectionIndex and rateCall are in (until then they throw "not implemented").

const UNIT = M(1); // 1 unit per 60 s
const HOUR = T0 + 3600;

/** Zone 'mobile' (prefix 7) priced 1 unit a minute, zone 'short' (prefix 55) 10 units a minute, a skip direction. */
async function plan(f: TelFixture, cls: { borders?: { border: number; mult: number }[]; prepaid?: number } = {}) {
  const range = await f.range('all', 1);
  const mobile = await f.zone('mobile', 3);
  const short = await f.zone('short', 0);
  const d7 = await f.direction({ zoneId: mobile, called: '7' });
  const d55 = await f.direction({ zoneId: short, called: '55' });
  const dSkip = await f.direction({ called: '0', skip: true });
  const svc = await f.service({
    classes: [
      { tariffClass: mobile, prices: [{ rangeId: range, price: UNIT }], ...cls },
      { tariffClass: short, prices: [{ rangeId: range, price: 10 * UNIT }] },
    ],
  });
  return { range, mobile, short, d7, d55, dSkip, svc };
}

async function callRow(f: TelFixture, id: number) {
  return f.k('tel_calls').where({ id }).first();
}

onEveryBackend('telephony call pipeline', (backend) => {
  test('links by ANI, tech prefix (stripped for the direction), login and called number; one charge per link', async () => {
    const f = await telFixture(backend(), 'tel_links');
    try {
      const p = await plan(f);
      const a = await f.link(p.svc, [{ number: '1001' }]);
      const b = await f.link(p.svc, [{ number: '555#' }]);
      const c = await f.link(p.svc, [{ login: 'alice' }]);
      const snap = await f.reload();
      assert.equal(snap.links.size, 3);
      assert.equal(snap.numbers.length, 3);
      assert.equal(snap.tariffs.get(p.svc)?.classes.size, 2);

      const out = await f.calls.rate(
        [
          call({ calling: '1001', called: '79161234567', duration: 90 }),
          call({ calling: '1001', called: '79161234568', duration: 30, start: HOUR + 100 }),
          call({ calling: '2222', called: '555#79160000000', duration: 60 }),
          call({ calling: '2223', called: '5557916', duration: 60 }),
          call({ calling: '3333', called: '79161111111', login: 'alice', duration: 120 }),
          call({ calling: '84950000000', called: '1001', duration: 60 }),
          call({ calling: '9999', called: '8800', duration: 60 }),
        ],
        'urfa',
      );
      assert.deepEqual(
        out.map((o) => o.kind),
        ['imported', 'imported', 'imported', 'imported', 'imported', 'imported', 'refused'],
      );
      const last = out[6]!;
      assert.ok(last.kind === 'refused' && /'9999'/.test(last.reason) && /'8800'/.test(last.reason), String(last));
      const id = (i: number) => (out[i] as { callId: number }).callId;
      const rows = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => callRow(f, id(i))));
      assert.deepEqual(
        rows.map((r) => [Number(r.slink_id), Number(r.dir_id), Number(r.flags)]),
        [
          [a.slinkId, p.d7, 0],
          [a.slinkId, p.d7, 0],
          [b.slinkId, p.d7, 0], // '555#' stripped: direction 7, not 55
          [b.slinkId, p.d7, 0],
          [c.slinkId, p.d7, 0],
          [a.slinkId, 0, CALL_FLAG.INCOMING | CALL_FLAG.NO_DIRECTION],
        ],
      );
      assert.equal(String(rows[2].called), '555#79160000000', 'the call keeps the number as dialled');
      // a: 90 s + 30 s at 1 unit a minute, charged once for the batch
      assert.deepEqual(await f.charges(a.accountId), [M(2)]);
      assert.deepEqual(await f.charges(b.accountId), [M(2)]);
      assert.deepEqual(await f.charges(c.accountId), [M(2)]);
      assert.equal(Number(rows[0].cost), 1_500_000);
      assert.equal(Number(rows[0].charged), 1_500_000);
      assert.equal(Number(rows[0].period_id), f.period);
    } finally {
      await f.done();
    }
  });

  test('duplicates across and within batches charge nothing; bad records refused naming the field', async () => {
    const f = await telFixture(backend(), 'tel_dups');
    try {
      const p = await plan(f);
      const a = await f.link(p.svc, [{ number: '1001' }]);
      await f.reload();
      const c1 = call({ calling: '1001', called: '7916', duration: 60 });
      const c2 = call({ calling: '1001', called: '7916', duration: 60, sessionId: 'conf-1' });
      const first = await f.calls.rate([c1, c2, c1], 'cdr');
      assert.deepEqual(
        first.map((o) => o.kind),
        ['imported', 'imported', 'duplicate'],
      );
      const again = await f.calls.rate(
        [
          c2,
          c1,
          call({ calling: '1001', called: '7917', duration: -5 }),
          call({ calling: '1'.repeat(65), called: '7917' }),
          call({ calling: '1001', called: '7917', start: f.clock.now() + 3 * 86_400 }),
          call({ calling: '1001', called: '7918', duration: 120, start: 0 }),
        ],
        'cdr',
      );
      assert.deepEqual(
        again.map((o) => (o.kind === 'refused' ? o.reason.split(' ')[0] : o.kind)),
        ['duplicate', 'duplicate', 'call_duration', 'calling_number', 'call_start_date', 'imported'],
      );
      const now = await callRow(f, (again[5] as { callId: number }).callId);
      assert.equal(Number(now.start_time), f.clock.now(), 'start 0 is now');
      assert.deepEqual(await f.charges(a.accountId), [M(2), M(2)]);
      assert.equal(Number((await f.k('tel_calls').count({ n: '*' }))[0]!.n), 3);
      const uid = await f.k('tel_calls').where({ session_id: 'conf-1' }).first('call_uid');
      assert.equal(uid.call_uid, 'conf-1');

      // a blocked account calling an emergency zone: flagged (and still charged: the NAS let it through)
      await f.k('tel_emergency').insert({ service_id: p.svc, zone_id: p.mobile });
      await f.k('accounts').where({ id: a.accountId }).update({ block_type: 256 });
      await f.reload();
      const [sos] = await f.calls.rate([call({ calling: '1001', called: '7112', duration: 60 })], 'cdr');
      assert.equal(Number((await callRow(f, (sos as { callId: number }).callId)).flags), CALL_FLAG.EMERGENCY);
    } finally {
      await f.done();
    }
  });

  test('a zero-cost call (h323_origin_reject) is rounded and counted, charged nothing', async () => {
    const f = await telFixture(backend(), 'tel_zero');
    try {
      const p = await plan(f);
      const a = await f.link(p.svc, [{ number: '1001' }]);
      await f.reload();
      const [o] = await f.calls.rate(
        [{ ...call({ calling: '1001', called: '7916', duration: 90, sessionId: 'h323:z1' }), zeroCost: true }],
        'radius',
      );
      assert.ok(o?.kind === 'imported', String(o?.kind));
      const row = await callRow(f, o.callId);
      assert.deepEqual(
        [Number(row.flags), Number(row.cost), Number(row.charged), Number(row.rounded)],
        [CALL_FLAG.ZERO_COST, 0, 0, 90],
      );
      assert.deepEqual(await f.charges(a.accountId), []);
      const used = await f.k('tel_usage').where({ slink_id: a.slinkId }).first('used');
      assert.equal(Number(used.used), 90, 'the seconds still count towards the borders');
    } finally {
      await f.done();
    }
  });

  test('usage moves borders and prepaid time across calls; skip and no direction at zero; report rows', async () => {
    const f = await telFixture(backend(), 'tel_usage');
    try {
      const p = await plan(f, { borders: [{ border: 120, mult: 0.5 }], prepaid: 30 });
      const a = await f.link(p.svc, [{ number: '1001' }]);
      await f.reload();
      // 1st: 30 s prepaid + 70 s at 1 (usage 70); 2nd in a later batch: 50 s at 1, 10 s at 0.5
      const r1 = await f.calls.rate([call({ calling: '1001', called: '7916', duration: 100 })], 'cdr');
      const r2 = await f.calls.rate(
        [
          call({ calling: '1001', called: '7916', duration: 60, start: HOUR + 200 }),
          call({ calling: '1001', called: '0123', duration: 60, start: HOUR + 300 }),
          call({ calling: '1001', called: '4444', duration: 60, start: HOUR + 400 }),
        ],
        'cdr',
      );
      const parts = async (o: unknown) =>
        (
          await f
            .k('tel_call_parts')
            .where({ call_id: (o as { callId: number }).callId })
            .orderBy('n')
        ).map((x: Record<string, unknown>) => [
          Number(x['duration']),
          Number(x['base_cost']),
          Number(x['cost_mult']),
          Boolean(x['prepaid']),
        ]);
      assert.deepEqual(await parts(r1[0]), [
        [30, 0, 1, true],
        [70, UNIT, 1, false],
      ]);
      assert.deepEqual(await parts(r2[0]), [
        [50, UNIT, 1, false],
        [10, UNIT, 0.5, false],
      ]);
      const u = await f
        .k('tel_usage')
        .where({ slink_id: a.slinkId, period_id: f.period, tariff_class: p.mobile })
        .first();
      assert.deepEqual([Number(u.used), Number(u.prepaid_used)], [130, 30]);
      const skip = await callRow(f, (r2[1] as { callId: number }).callId);
      const none = await callRow(f, (r2[2] as { callId: number }).callId);
      assert.deepEqual([Number(skip.flags), Number(skip.cost)], [CALL_FLAG.SKIPPED, 0]);
      assert.deepEqual([Number(none.flags), Number(none.cost)], [CALL_FLAG.NO_DIRECTION, 0]);
      const c2 = (50 * UNIT) / 60 + (10 * UNIT * 0.5) / 60;
      assert.deepEqual(await f.charges(a.accountId), [Math.round((70 * UNIT) / 60), Math.round(c2)]);

      const scope = { userId: 0, accountId: a.accountId, groupId: 0 };
      const span = { start: T0, end: T0 + 86_400 };
      const rows = await f.reports.parts(scope, span);
      assert.deepEqual(
        rows.slice(0, 5).map((r) => [r.duration, r.basePrice, r.mult, r.callDuration]),
        [
          [30, 0, 1, 100],
          [70, UNIT, 1, 100],
          [50, UNIT, 1, 60],
          [10, UNIT, 0.5, 60],
          [0, 0, 1, 60], // the skipped call: no parts, one row
        ],
      );
      // the call with no direction: rounded as usual, at zero
      assert.deepEqual(
        [rows.slice(5).reduce((s, r) => s + r.duration, 0), rows.slice(5).reduce((s, r) => s + r.cost, 0)],
        [60, 0],
      );
      const sums = await f.reports.directions(scope, span);
      const mobile = sums.find((s) => s.zoneId === p.mobile)!;
      assert.deepEqual([mobile.calls, mobile.seconds, mobile.rounded, mobile.dirName], [2, 160, 160, 'dir 7']);
      assert.ok(Math.abs(mobile.cost - ((70 * UNIT) / 60 + c2)) < 1e-6);
      const intl = await f.reports.details(scope, span, 3);
      assert.deepEqual(
        intl.map((d) => [d.called, d.zoneName, d.zoneType]),
        [
          ['7916', 'mobile', 3],
          ['7916', 'mobile', 3],
        ],
      );
      assert.equal((await f.reports.details(scope, span, -1)).length, 4);
    } finally {
      await f.done();
    }
  });

  test('a batch over many links: each balance moves by its calls exactly, once; taxes, unlimited, funds block', async () => {
    const f = await telFixture(backend(), 'tel_bulk');
    try {
      const p = await plan(f);
      const links = [];
      for (let i = 0; i < 40; i++) links.push(await f.link(p.svc, [{ number: String(2000 + i) }], i === 3 ? 1 : 1000));
      const taxed = links[5]!;
      const unlimited = links[6]!;
      await f.k('accounts').where({ id: taxed.accountId }).update({ vat_rate_e6: 18_000_000 });
      await f.k('accounts').where({ id: unlimited.accountId }).update({ unlimited: true });
      await f.reload();
      const balance = async (a: number) => Number((await f.k('accounts').where({ id: a }).first('balance')).balance);
      const before = await Promise.all(links.map((l) => balance(l.accountId)));
      const records = Array.from({ length: 600 }, (_, i) =>
        call({
          calling: String(2000 + ((i * 7) % 40)),
          called: i % 3 === 0 ? `55${i}` : `79${i}`,
          duration: 1 + ((i * 37) % 400),
          start: HOUR + i,
        }),
      );
      const out = await f.calls.rate([...records, records[0]!], 'cdr');
      assert.equal(out.filter((o) => o.kind === 'imported').length, 600);
      assert.equal(out[600]?.kind, 'duplicate');
      for (const [n, l] of links.entries()) {
        const calls: { charged: number }[] = await f.k('tel_calls').where({ slink_id: l.slinkId }).select('charged');
        const sum = calls.reduce((s, c) => s + Number(c.charged), 0);
        const tax = l === taxed ? Math.round((sum * 18) / 100) : 0;
        const expected = l === unlimited ? 0 : sum + tax;
        assert.equal(before[n]! - (await balance(l.accountId)), expected, `link ${n}: balance change`);
        assert.deepEqual(await f.charges(l.accountId), expected === 0 ? [] : [expected], `link ${n}: one charge`);
      }
      // The account with 1 unit went below zero: charged all the same, and blocked by the funds check.
      const poor = await f.k('accounts').where({ id: links[3]!.accountId }).first('balance', 'block_type');
      assert.ok(Number(poor.balance) < 0);
      assert.equal(Number(poor.block_type), 16, 'the system block');
      const rich = await f.k('accounts').where({ id: links[4]!.accountId }).first('block_type');
      assert.equal(Number(rich.block_type), 0);
      // A re-import of the whole batch charges nothing.
      const ledgerRows = async () => Number((await f.k('account_ledger').count({ n: '*' }))[0]!.n);
      const rows = await ledgerRows();
      const again = await f.calls.rate(records, 'cdr');
      assert.ok(again.every((o) => o.kind === 'duplicate'));
      assert.equal(await ledgerRows(), rows);
    } finally {
      await f.done();
    }
  });

  test('minimum charge: at period close the calls of the period are charged up to it', async () => {
    const f = await telFixture(backend(), 'tel_minimum');
    try {
      const range = await f.range('all', 1);
      const z = await f.zone('mobile', 3);
      await f.direction({ zoneId: z, called: '7' });
      const svc = await f.service({
        minimumCharge: M(5),
        classes: [{ tariffClass: z, prices: [{ rangeId: range, price: UNIT }] }],
      });
      const a = await f.link(svc, [{ number: '1001' }]);
      const b = await f.link(svc, [{ number: '1002' }]);
      await f.reload();
      await f.calls.rate(
        [
          call({ calling: '1001', called: '7916', duration: 120 }),
          call({ calling: '1002', called: '7916', duration: 600 }),
        ],
        'cdr',
      );
      await f.clock.set(T0 + 31 * 86_400);
      await f.t.closePeriod(f.period);
      assert.deepEqual(await f.charges(a.accountId), [M(2), M(3)]);
      assert.deepEqual(await f.charges(b.accountId), [M(10)]);
    } finally {
      await f.done();
    }
  });
});
