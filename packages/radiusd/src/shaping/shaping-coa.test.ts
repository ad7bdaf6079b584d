import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '@utm5/common';
import { SHAPING_TOPIC, type NasWire, type ShapingWire } from '@utm5/protocol';
import type { AttributeInput } from '@utm5/radius';
import type { DaeClient } from '../server/dae-client';
import { SessionTable } from '../server/sessions';
import { RadiusState } from '../server/state';
import { shapingReplyAttrs } from './shaping-attrs';
import { ShapingCoa } from './shaping-coa';

const RATE = { vendor: 14988, attr: 8, type: 1 as const, value: 'IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk' };
const BITS = { vendor: 0, attr: 85, type: 0 as const, value: 'IN_BANDWIDTH_MBITS' };
const link = (slinkId: number, inKbit: number, outKbit: number): ShapingWire => ({
  slinkId,
  inKbit,
  outKbit,
  attrs: [RATE],
});
const nas = (ip: string, coa: boolean): NasWire => ({
  id: 1,
  name: ip,
  ip,
  secret: 's',
  daePort: 3799,
  daeSecret: '',
  coa,
  attrs: [],
});

test('attributes rendered: text with the variables in, integers rounded down, a direction without a limit as 0', () => {
  assert.deepEqual(shapingReplyAttrs({ inKbit: 512, outKbit: 0, attrs: [RATE, BITS] }), [
    { vendor: 14988, attr: 8, value: '512k/0k' },
    { vendor: 0, attr: 85, value: 0 },
  ]);
  assert.deepEqual(shapingReplyAttrs({ inKbit: 3072, outKbit: 0, attrs: [BITS] }), [{ vendor: 0, attr: 85, value: 3 }]);
  assert.deepEqual(shapingReplyAttrs(undefined), []);
});

test('CoA goes to the open sessions of changed links on NASes that take CoA, with the new values; leaving sends every variable as 0', async () => {
  const state = new RadiusState();
  state.apply('radius_nas', [nas('192.0.2.1', true), nas('192.0.2.2', false)]);
  const sessions = new SessionTable(undefined, 0);
  const open = (nasIp: string, sid: string, slinkId: number) =>
    sessions.add({
      key: SessionTable.key(nasIp, sid),
      login: `l${slinkId}`,
      slinkId,
      accountId: 1,
      userId: 1,
      dealerId: 0,
      serviceId: 1,
      framedIp: '',
      startedAt: 0,
      lastSeen: 0,
    });
  open('192.0.2.1', 'a', 10);
  open('192.0.2.1', 'b', 10);
  open('192.0.2.2', 'c', 10); // its NAS takes no CoA
  open('192.0.2.1', 'd', 11); // unchanged link
  const sent: { sid: string; attrs: readonly AttributeInput[] }[] = [];
  const dae = {
    coa: async (_n: NasWire, s: { key: string }, attrs: readonly AttributeInput[]) => {
      sent.push({ sid: s.key, attrs });
      return 'ack';
    },
  } as unknown as DaeClient;
  const coa = new ShapingCoa(state, sessions, dae, nullLogger);
  const tick = () => new Promise((r) => setImmediate(r));

  state.apply(SHAPING_TOPIC, [link(11, 64, 64)]);
  let before = new Map(state.shaping);
  state.apply(SHAPING_TOPIC, [link(10, 1024, 512), link(11, 64, 64)]);
  coa.snapshot(before);
  await tick();
  assert.deepEqual(
    sent.map((s) => [s.sid, s.attrs]),
    [
      ['192.0.2.1|a', [{ type: 8, vendor: 14988, value: '1024k/512k' }]],
      ['192.0.2.1|b', [{ type: 8, vendor: 14988, value: '1024k/512k' }]],
    ],
  );

  sent.length = 0;
  before = new Map(state.shaping);
  state.apply(SHAPING_TOPIC, [link(10, 1024, 512), link(11, 64, 64)]);
  coa.snapshot(before);
  await tick();
  assert.equal(sent.length, 0, 'the same snapshot again: nothing');

  // Events: two changes of one link in a burst send once, with the last values; a delete sends the removal.
  const was = state.applyShapingEvent({
    t: 'event',
    topic: SHAPING_TOPIC,
    op: 'upsert',
    key: '10',
    item: link(10, 256, 512),
  });
  coa.linkChanged(10, was || undefined);
  coa.linkChanged(
    10,
    state.applyShapingEvent({ t: 'event', topic: SHAPING_TOPIC, op: 'upsert', key: '10', item: link(10, 128, 512) }) ||
      undefined,
  );
  await tick();
  assert.deepEqual(
    sent.map((s) => s.attrs[0]!.value),
    ['128k/512k', '128k/512k'],
  );
  sent.length = 0;
  coa.linkChanged(
    10,
    state.applyShapingEvent({ t: 'event', topic: SHAPING_TOPIC, op: 'delete', key: '10' }) || undefined,
  );
  await tick();
  assert.deepEqual(
    sent.map((s) => [s.sid, s.attrs[0]!.value]),
    [
      ['192.0.2.1|a', '0k/0k'],
      ['192.0.2.1|b', '0k/0k'],
    ],
  );
  assert.equal(
    state.applyShapingEvent({ t: 'event', topic: 'radius_nas', op: 'delete', key: '1' }),
    false,
    'another topic is not shaping',
  );
});

test("a session starting soon after its link's bandwidth changed gets the CoA (its Access-Accept may predate the change); later ones do not", async () => {
  const state = new RadiusState();
  state.apply('radius_nas', [nas('192.0.2.1', true)]);
  const sessions = new SessionTable(undefined, 0);
  const sent: string[] = [];
  const dae = {
    coa: async (_n: NasWire, s: { key: string }, attrs: readonly AttributeInput[]) => {
      sent.push(`${s.key} ${JSON.stringify(attrs.map((a) => a.value))}`);
      return 'ack';
    },
  } as unknown as DaeClient;
  let now = 1_000_000;
  const coa = new ShapingCoa(state, sessions, dae, nullLogger, 30_000, () => now);
  const before = new Map(state.shaping);
  state.apply(SHAPING_TOPIC, [link(10, 2048, 1024)]);
  coa.snapshot(before);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent, [], 'no session yet');
  const s = {
    key: SessionTable.key('192.0.2.1', 'late'),
    login: 'l10',
    slinkId: 10,
    accountId: 1,
    userId: 1,
    dealerId: 0,
    serviceId: 1,
    framedIp: '',
    startedAt: 0,
    lastSeen: 0,
  };
  now += 5_000;
  coa.sessionStarted(s);
  assert.deepEqual(sent, ['192.0.2.1|late ["2048k/1024k"]']);
  now += 60_000;
  coa.sessionStarted({ ...s, key: SessionTable.key('192.0.2.1', 'much-later') });
  assert.equal(sent.length, 1, 'an Accept after the change already carried the limit');
  coa.sessionStarted({ ...s, slinkId: 11 });
  assert.equal(sent.length, 1, 'a link that did not change');
});
