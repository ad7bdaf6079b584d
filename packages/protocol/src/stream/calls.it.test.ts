import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { UrfaIdentity } from '../urfa/server-types';
import { StreamCallError, type CallHandler } from './calls';
import { StreamClient } from './client';
import { StreamServerConnection, type StreamServerOptions } from './server-connection';

// Both ends of a real Stream link on loopback: the daemon calls the core, the core calls the daemon.
const quiet = { debug() {}, info() {}, notice() {}, warn() {}, error() {} };
const until = async (ok: () => boolean, what: string) => {
  const end = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

async function link(daemonCalls: Record<string, CallHandler>) {
  const links: StreamServerConnection<UrfaIdentity>[] = [];
  const o: StreamServerOptions<UrfaIdentity> = {
    serverName: 'test-core',
    lookupLogin: () => ({
      ok: true,
      candidates: [{ principal: { kind: 'system', id: 5, login: 'radius' }, password: 'pw' }],
    }),
    snapshot: () => [],
    lastSeq: async () => 0,
    applyRecords: async () => ({ applied: true }),
    callHandler: (p, method) =>
      (
        ({
          whoami: async (args: unknown) => ({ login: p.login, args }),
          hang: () => new Promise(() => undefined),
        }) as Record<string, CallHandler>
      )[method],
    now: () => 0,
    testClock: false,
    log: quiet,
    loginTimeoutMs: 5000,
    silenceTimeoutMs: 60_000,
  };
  const server: Server = createServer((s) => links.push(new StreamServerConnection(s, 'peer', '127.0.0.1', o)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const client = new StreamClient({
    host: '127.0.0.1',
    port,
    login: 'radius',
    password: 'pw',
    sender: 'test',
    topics: [],
    pingIntervalMs: 60_000,
    log: quiet,
    reconnectMinMs: 50,
    reconnectMaxMs: 50,
    calls: daemonCalls,
  });
  return {
    client,
    links,
    server,
    async close() {
      await client.stop();
      for (const l of links) await l.shutdown();
      await new Promise((r) => server.close(r));
    },
  };
}

test('the daemon calls the core and the core calls the daemon over one link; unknown methods are refused', async () => {
  let release: () => void = () => undefined;
  const l = await link({
    ping: async (a) => `pong ${String(a)}`,
    slow: () =>
      new Promise((r) => {
        release = () => r('done');
      }),
  });
  try {
    await assert.rejects(
      l.client.call('whoami', 1, 1000),
      (e: StreamCallError) => e.failure === 'offline',
      'before the link is up: at once',
    );
    l.client.start();
    await l.client.ready();
    assert.deepEqual(await l.client.call('whoami', { a: 1 }, 2000), { login: 'radius', args: { a: 1 } });
    await assert.rejects(
      l.client.call('nope', {}, 2000),
      (e: StreamCallError) => e.failure === 'refused' && /unknown method 'nope'/.test(e.message),
    );

    await until(() => l.links[0]?.answers('ping') === true, "the daemon's methods");
    const core = l.links[0]!;
    assert.equal(core.answers('whoami'), false, 'only the methods the daemon named');
    const slow = core.call('slow', {}, 5000);
    // A slow call does not hold up others on the link.
    assert.equal(await core.call('ping', 7, 2000), 'pong 7');
    release();
    assert.equal(await slow, 'done');
    await assert.rejects(
      core.call('whoami', {}, 2000),
      (e: StreamCallError) => e.failure === 'offline',
      'a method the daemon does not answer',
    );
  } finally {
    await l.close();
  }
});

test('a dropped link fails the calls in flight on both sides at once, not at their timeouts', async () => {
  const l = await link({ hang: () => new Promise(() => undefined) });
  try {
    l.client.start();
    await l.client.ready();
    await until(() => l.links[0]?.answers('hang') === true, "the daemon's methods");
    const started = Date.now();
    const fromCore = l.links[0]!.call('hang', {}, 60_000);
    const fromDaemon = l.client.call('hang', {}, 60_000);
    await new Promise((r) => setTimeout(r, 50));
    await l.links[0]!.shutdown();
    await assert.rejects(fromCore, (e: StreamCallError) => e.failure === 'link_lost');
    await assert.rejects(fromDaemon, (e: StreamCallError) => e.failure === 'link_lost');
    assert.ok(Date.now() - started < 5000);
  } finally {
    await l.close();
  }
});
