import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEventWire } from '@utm5/protocol';
import { sessionTraffic, unbilledOctets, type Octets } from './session-traffic';

const MB = 1024 * 1024;
const GIGAWORD = 2 ** 32;

/** Feeds a session's requests through in order, as the core does; returns what each bills. */
function bill(requests: readonly Octets[], start: Octets = { in: 0, out: 0 }): { deltas: Octets[]; billed: Octets } {
  let billed = start;
  const deltas: Octets[] = [];
  for (const r of requests) {
    const u = unbilledOctets(billed, r);
    deltas.push(u.delta);
    billed = u.billed;
  }
  return { deltas, billed };
}

test('Interim-Updates then the Stop: each bills the growth of the cumulative counters, the session bills its total once', () => {
  const { deltas, billed } = bill([
    { in: 3 * MB, out: 0 },
    { in: 5 * MB, out: 0 },
    { in: 8 * MB, out: 2 * MB },
  ]);
  assert.deepEqual(deltas, [
    { in: 3 * MB, out: 0 },
    { in: 2 * MB, out: 0 },
    { in: 3 * MB, out: 2 * MB },
  ]);
  assert.deepEqual(billed, { in: 8 * MB, out: 2 * MB });
});

test('a retransmitted Interim-Update, a repeated Stop and a late Interim after the Stop bill nothing', () => {
  const { deltas } = bill([
    { in: 3 * MB, out: MB },
    { in: 3 * MB, out: MB },
    { in: 8 * MB, out: 2 * MB },
    { in: 8 * MB, out: 2 * MB },
    { in: 5 * MB, out: MB },
  ]);
  const none = { in: 0, out: 0 };
  assert.deepEqual(deltas, [{ in: 3 * MB, out: MB }, none, { in: 5 * MB, out: MB }, none, none]);
});

test('a counter going backwards bills nothing and keeps the mark: the climb back to it is not billed again', () => {
  const { deltas, billed } = bill([
    { in: 5 * MB, out: 4 * MB },
    { in: MB, out: 6 * MB },
    { in: 7 * MB, out: 6 * MB },
  ]);
  assert.deepEqual(deltas, [
    { in: 5 * MB, out: 4 * MB },
    { in: 0, out: 2 * MB },
    { in: 2 * MB, out: 0 },
  ]);
  assert.deepEqual(billed, { in: 7 * MB, out: 6 * MB });
});

test('gigawords: counters past 2^32 bill the growth across the wrap, not a negative or a 4 GB jump', () => {
  const before = { in: GIGAWORD - 100, out: 3 * GIGAWORD + 10 };
  const { deltas } = bill(
    [
      { in: GIGAWORD + 50, out: 3 * GIGAWORD + 10 },
      { in: 2 * GIGAWORD + 50, out: 4 * GIGAWORD },
    ],
    before,
  );
  assert.deepEqual(deltas, [
    { in: 150, out: 0 },
    { in: GIGAWORD, out: GIGAWORD - 10 },
  ]);
});

test('a session first heard of at its Stop (no Start, no Interim) bills the whole counters', () => {
  assert.deepEqual(bill([{ in: 8 * MB, out: 2 * MB }]).deltas, [{ in: 8 * MB, out: 2 * MB }]);
});

const EVENT: SessionEventWire = {
  op: 'interim',
  nas: '192.0.2.1',
  sid: 's1',
  login: 'u',
  slinkId: 1,
  accountId: 1,
  serviceType: 3,
  framedIp: '10.0.0.7',
  calling: '',
  called: '',
  time: 1000,
  duration: 60,
  inOctets: 5 * MB,
  outOctets: MB,
  cause: '',
  billTraffic: true,
};
const ROW = { framed_ip: '10.0.0.7', billed_in_octets: 3 * MB, billed_out_octets: 0 };

test('an event marked billTraffic bills the growth as the two records of the manual and moves the marks', () => {
  assert.deepEqual(sessionTraffic(EVENT, ROW, 2000), {
    columns: { billed_in_octets: 5 * MB, billed_out_octets: MB },
    record: { nas: '192.0.2.1', ip: '10.0.0.7', time: 1000, toUser: 2 * MB, fromUser: MB },
  });
});

test('events not marked (older utm5_radius, billing off, Interims with Stop-only billing) and Starts bill nothing and keep the marks', () => {
  const { billTraffic: _, ...unmarked } = EVENT;
  assert.equal(sessionTraffic(unmarked, ROW, 2000), undefined);
  assert.equal(sessionTraffic({ ...EVENT, billTraffic: false }, ROW, 2000), undefined);
  assert.equal(sessionTraffic({ ...EVENT, op: 'start' }, ROW, 2000), undefined);
});

test('no growth: the marks are kept and there is no record; a Stop without Framed-IP-Address bills to the address the session had', () => {
  assert.deepEqual(sessionTraffic({ ...EVENT, inOctets: 3 * MB, outOctets: 0 }, ROW, 2000), {
    columns: { billed_in_octets: 3 * MB, billed_out_octets: 0 },
    record: undefined,
  });
  const r = sessionTraffic({ ...EVENT, op: 'stop', framedIp: '', time: 0 }, ROW, 2000);
  assert.deepEqual(r?.record, { nas: '192.0.2.1', ip: '10.0.0.7', time: 2000, toUser: 2 * MB, fromUser: MB });
});
