import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '@utm5/common/testing';
import { onEveryBackend } from '@utm5/db/testing';
import {
  RFW_METHOD,
  StreamClient,
  rfwExecArgs,
  type RfwCommandResult,
  type RfwCommandWire,
  type RfwSyncResult,
} from '@utm5/protocol';
import { rfwTestCore, type RfwTestCore } from '../testing/rfw-fixture';

const quiet = { debug() {}, info() {}, notice() {}, warn() {}, error() {} };

/** A utm5_rfw stand-in: a real StreamClient logged in as the rfw system user, answering RFW_METHOD.EXEC. */
interface FakeRfw {
  readonly client: StreamClient;
  readonly batches: RfwCommandWire[][];
  /** When each batch arrived (Date.now()). */
  readonly arrivals: number[];
  stop(): Promise<void>;
}

function fakeRfw(
  port: number,
  name: string,
  answer: (c: RfwCommandWire, batch: number) => Partial<RfwCommandResult> | 'hang' = () => ({}),
): FakeRfw {
  const batches: RfwCommandWire[][] = [];
  const arrivals: number[] = [];
  const client = new StreamClient({
    host: '127.0.0.1',
    port,
    login: 'rfw',
    password: 'rfw', // the system user's default password (system-users/defaults.ts), allowed from loopback
    sender: name,
    topics: [],
    pingIntervalMs: 500,
    log: quiet,
    reconnectMinMs: 100,
    reconnectMaxMs: 200,
    calls: {
      [RFW_METHOD.EXEC]: async (args) => {
        const a = rfwExecArgs(args);
        assert.ok(a, 'the core sends well-formed commands');
        batches.push([...a.commands]);
        arrivals.push(Date.now());
        const results: RfwCommandResult[] = [];
        for (const c of a.commands) {
          const r = answer(c, batches.length);
          if (r === 'hang') return new Promise(() => undefined);
          results.push({ seq: c.seq, status: 'ok', exitCode: 0, attempts: 1, stderr: '', ...r });
        }
        return { results };
      },
    },
  });
  client.start();
  return { client, batches, arrivals, stop: () => client.stop() };
}

onEveryBackend('firewall commands delivered over Stream to utm5_rfw', (backend) => {
  let f: RfwTestCore;
  let fw1 = 0;
  let user = { userId: 0, accountId: 0 };
  const running: FakeRfw[] = [];
  const rfw = (...a: Parameters<typeof fakeRfw> extends [number, ...infer R] ? R : never) => {
    const r = fakeRfw(f.streamPort, ...a);
    running.push(r);
    return r;
  };
  const pending = async () => (await f.queue()).filter((r) => r.status === null);
  const pay = () => f.emit({ kind: 'payment', accountId: user.accountId, amount: 1_000_000, method: 1 });

  before(async () => {
    f = await rfwTestCore(backend(), 'rfwstream');
    fw1 = await f.firewall('fw1');
    user = await f.user({ login: 'dave' });
  });
  // Every test leaves no rfw link behind, also when it failed: a leftover link would take the next test's commands.
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop();
    await waitFor(() => f.core.stream.answering(RFW_METHOD.EXEC).length === 0, 15_000, 'every rfw link closed');
    await waitFor(() => !f.core.rfw.online(fw1), 15_000, 'fw1 offline');
  });
  after(() => f.done());

  test('queued commands go out in order, in batches of at most 500, each marked with its answer', async () => {
    const ips = Array.from({ length: 1200 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.1`);
    await f.ipLink(
      user.accountId,
      ips.map((ip) => ({ ip })),
    );
    const rule = await f.rule(['internet_on'], 'nft add element inet utm5 allowed { UIP }', { routerId: fw1 });
    await f.emit({ kind: 'internet', on: true, accountId: user.accountId });
    assert.equal((await pending()).length, 1200, 'kept while no rfw is connected');
    const a = rfw('fw1', (c, batch) =>
      batch === 2 && c.argv[7] === ips[500]
        ? { status: 'failed', exitCode: 2, attempts: 3, stderr: 'Error: boom\n' }
        : batch === 3 && c.argv[7] === ips[1000]
          ? { status: 'duplicate' }
          : {},
    );
    await waitFor(async () => (await pending()).length === 0, 60_000, 'every command delivered');
    assert.deepEqual(
      a.batches.map((b) => b.length),
      [500, 500, 200],
    );
    const sent = a.batches.flat();
    assert.deepEqual(
      sent.map((c) => c.argv[7]),
      ips,
      'in queue order',
    );
    assert.ok(sent.every((c, i) => i === 0 || c.seq > sent[i - 1]!.seq));
    assert.ok(sent.every((c) => c.ruleId === rule && c.event === 'internet_on' && c.key === c.argv[7]));
    const rows = await f.queue();
    assert.deepEqual(
      [rows[500]!.status, rows[500]!.exitCode, rows[500]!.attempts, rows[500]!.stderr],
      ['failed', 2, 3, 'Error: boom\n'],
    );
    assert.equal(rows[1000]!.status, 'duplicate');
    assert.equal(rows.filter((r) => r.status === 'ok').length, 1198);
    await waitFor(
      () => f.warnings.some((w) => w.includes(`rule ${rule}`) && w.includes('exit code 2') && w.includes("'fw1'")),
      5_000,
      'the failure logged with its rule, exit code and firewall',
    );
    assert.ok(!f.warnings.some((w) => w.includes('nft add')), 'the command itself is not logged above DEBUG');
    await f.core.rfw.rules.remove(rule);
    await a.stop();
    await waitFor(() => !f.core.rfw.online(fw1), 15_000, 'fw1 offline');
  });

  test('a command queued while the rfw is connected reaches it; a lost call is resent to the next link', async () => {
    const rule = await f.rule(['payment'], 'pay LOGIN PAYMENT_AMOUNT', { routerId: fw1 });
    const b = rfw('fw1', () => 'hang');
    await waitFor(() => f.core.rfw.online(fw1), 15_000, 'fw1 online');
    const t0 = Date.now();
    await pay();
    const committed = Date.now();
    await waitFor(() => b.batches.length === 1, 15_000, 'the command at the rfw');
    const latency = `${b.arrivals[0]! - committed} ms after the commit (${b.arrivals[0]! - t0} ms after the event)`;
    process.stdout.write(`# command at the rfw ${latency}\n`);
    await pay();
    await b.stop();
    await waitFor(() => !f.core.rfw.online(fw1), 15_000, 'fw1 offline');
    assert.equal((await pending()).length, 2, 'the unanswered command and the next one stay queued');
    const c = rfw('fw1');
    await waitFor(async () => (await pending()).length === 0, 30_000, 'redelivered');
    assert.equal(c.batches.flat()[0]!.seq, b.batches[0]![0]!.seq, 'the lost one first, same seq');
    assert.deepEqual(
      c.batches.flat().map((x) => x.argv),
      [
        ['pay', 'dave', '1'],
        ['pay', 'dave', '1'],
      ],
    );
    await f.core.rfw.rules.remove(rule);
    await c.stop();
  });

  test('two rfw links with one name: each command goes to one of them', async () => {
    const rule = await f.rule(['payment'], 'pay2 LOGIN', { routerId: fw1 });
    const d = rfw('fw1');
    const e = rfw('fw1');
    await waitFor(() => f.core.rfw.online(fw1), 15_000, 'fw1 online');
    for (let i = 0; i < 5; i++) await pay();
    await waitFor(async () => (await pending()).length === 0, 30_000, 'delivered');
    const seqs = [...d.batches.flat(), ...e.batches.flat()].map((x) => x.seq);
    assert.equal(seqs.length, 5, 'each command once');
    assert.equal(new Set(seqs).size, 5);
    // The second link may be looked at only after the commands went out: wait for it rather than assume.
    await waitFor(
      () => f.warnings.some((w) => /second utm5_rfw named 'fw1'/.test(w)),
      10_000,
      'the second link noticed',
    );
    await f.core.rfw.rules.remove(rule);
    await d.stop();
    await e.stop();
  });

  test("RFW_METHOD.SYNC queues the current state's commands for that firewall only, after the cached ones", async () => {
    await f.firewall('fw2');
    const rule = await f.rule(['user_add'], 'user LOGIN UID');
    await pay(); // no rule for payments now: nothing queued
    const cachedRule = await f.rule(['payment'], 'cached LOGIN', { routerId: fw1 });
    await pay();
    const s = rfw('fw1', () => 'hang');
    await s.client.ready();
    const r = (await s.client.call(RFW_METHOD.SYNC, { flags: ['users'] }, 10_000)) as RfwSyncResult;
    const users = await f.core.db.knex('users').where({ is_deleted: false }).orderBy('id');
    assert.equal(r.queued, users.length);
    const rows = await pending();
    assert.deepEqual(
      rows.map((x) => [x.routerId, x.argv[0]]),
      [[fw1, 'cached'], ...users.map(() => [fw1, 'user'])],
      'fw2 gets nothing from fw1 sync; the cached command stays first',
    );
    assert.deepEqual(
      rows.slice(1).map((x) => x.argv[1]),
      users.map((u) => String(u.login)),
    );
    await assert.rejects(s.client.call(RFW_METHOD.SYNC, { flags: ['nonsense'] }, 5_000), /flags/);
    await s.stop();
    const t = rfw('fw1');
    await waitFor(async () => (await pending()).length === 0, 30_000, 'delivered');
    assert.deepEqual(
      t.batches.flat().map((x) => x.argv[0]),
      ['cached', ...users.map(() => 'user')],
    );
    await f.core.rfw.rules.remove(rule);
    await f.core.rfw.rules.remove(cachedRule);
    await t.stop();
  });

  test('an rfw whose name is no firewall is told so and gets nothing', async () => {
    const n = rfw('nope');
    await n.client.ready();
    await assert.rejects(n.client.call(RFW_METHOD.SYNC, { flags: ['users'] }, 5_000), /no firewall is named 'nope'/);
    await waitFor(() => f.warnings.some((w) => /'nope' .*rpcf_put_router/.test(w)), 15_000, 'the warning');
    await n.stop();
  });

  test('commands queued before a core restart are delivered after it', async () => {
    const rule = await f.rule(['payment'], 'after-restart LOGIN', { routerId: fw1 });
    await pay();
    await f.restart();
    const r = rfw('fw1');
    await waitFor(async () => (await pending()).length === 0, 30_000, 'delivered after the restart');
    assert.deepEqual(
      r.batches.flat().map((x) => x.argv),
      [['after-restart', 'dave']],
    );
    await f.core.rfw.rules.remove(rule);
    await r.stop();
  });
});
