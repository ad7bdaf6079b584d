import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { nullLogger } from '../log/null-logger';
import { MetricsBindError, MetricsServer, createDaemonRegistry } from './metrics-server';
import { registerReadMetrics } from './read-metrics';

const counters = { requests: 0, linkUp: true };

async function started(health: () => Promise<Record<string, { ok: boolean; reason?: string }>>) {
  const registry = createDaemonRegistry('utm5_test');
  registerReadMetrics(registry, () => counters, [
    { name: 'utm5_test_requests_total', help: 'Requests.', type: 'counter', read: (s) => s.requests },
    { name: 'utm5_test_link_up', help: 'Link.', type: 'gauge', read: (s) => s.linkUp },
  ]);
  const server = new MetricsServer({ host: '127.0.0.1', port: 0, registry, health, log: nullLogger });
  await server.start();
  return server;
}

test('/metrics reads the counters at scrape time; /healthz is 200 or 503 with the reason', async () => {
  let linkOk = true;
  const s = await started(async () => ({
    core_link: linkOk ? { ok: true } : { ok: false, reason: 'no Stream link to the core at 127.0.0.1:1' },
  }));
  try {
    const url = `http://127.0.0.1:${s.port}`;
    counters.requests = 7;
    let text = await (await fetch(`${url}/metrics`)).text();
    assert.match(text, /^utm5_test_requests_total\{program="utm5_test"\} 7$/m);
    assert.match(text, /^utm5_test_link_up\{program="utm5_test"\} 1$/m);
    assert.match(text, /^process_resident_memory_bytes\{program="utm5_test"\} \d+/m);
    counters.requests = 9;
    text = await (await fetch(`${url}/metrics`)).text();
    assert.match(text, /^utm5_test_requests_total\{program="utm5_test"\} 9$/m);

    let r = await fetch(`${url}/healthz`);
    assert.equal(r.status, 200);
    const ok = (await r.json()) as Record<string, unknown>;
    assert.equal(ok['status'], 'ok');
    assert.equal(ok['core_link'], 'ok');
    linkOk = false;
    r = await fetch(`${url}/healthz`);
    assert.equal(r.status, 503);
    assert.deepEqual(Object.keys((await r.json()) as object), ['status', 'core_link', 'uptime']);
    assert.equal((await fetch(`${url}/x`)).status, 404);
    assert.equal((await fetch(`${url}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    await s.stop();
  }
});

test('a health check that throws is a 503 naming the error, not a crash', async () => {
  const s = await started(async () => {
    throw new Error('database gone');
  });
  try {
    const r = await fetch(`http://127.0.0.1:${s.port}/healthz`);
    assert.equal(r.status, 503);
    assert.equal(((await r.json()) as Record<string, unknown>)['daemon'], 'database gone');
  } finally {
    await s.stop();
  }
});

test('a taken port is a MetricsBindError naming the parameters', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  const s = new MetricsServer({
    host: '127.0.0.1',
    port,
    registry: createDaemonRegistry('utm5_test'),
    health: () => ({}),
    log: nullLogger,
  });
  try {
    await assert.rejects(
      s.start(),
      (e: unknown) => e instanceof MetricsBindError && /metrics_bind_port/.test(e.message),
    );
  } finally {
    blocker.close();
  }
});
