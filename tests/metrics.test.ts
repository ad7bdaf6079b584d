import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@utm5/common/testing';
import { emptyFlow, encodeV5, type FlowRecord } from '@utm5/netflow';
import { UrfaApi } from '@utm5/urfaclient';
import { createCollector } from './helpers/collector-instance';
import { createCore } from './helpers/core-instance';
import { startDaemon } from './helpers/daemon-instance';
import { ROOT } from './helpers/paths';
import { exchange } from './helpers/radius-client';
import { createRadius } from './helpers/radius-instance';
import { setUpRadius } from './helpers/radius-setup';

const SECRET = 'metrics-nas-secret';

/** The value of one sample of the Prometheus text (0 when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const have = new Map([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) return Number(m[2]);
  }
  return 0;
}

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, text: await r.text() };
}

const scrape = async (port: number) => {
  const r = await get(port, '/metrics');
  assert.equal(r.status, 200, r.text);
  return r.text;
};

function flows(n: number): FlowRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    ...emptyFlow(),
    srcAddr: '192.0.2.1',
    dstAddr: `10.9.0.${i + 1}`,
    bytes: 1000,
    packets: 1,
    protocol: 6,
    start: Date.now() - 1000,
    end: Date.now(),
  }));
}

test(
  'core, radius, collector and rfw serve /metrics and /healthz; domain metrics move under load; /healthz 503 without the core',
  { timeout: 180_000 },
  async () => {
    const ports = { core: await freePort(), radius: await freePort(), tc: await freePort(), rfw: await freePort() };
    const core = await createCore({ config: { metrics_bind_port: String(ports.core) } });
    await core.stop();
    await setUpRadius(core, SECRET, [{ login: 'm1', password: 'pw1', kind: 'dialup', pricePerHour: 1, balance: 100 }]);
    await core.start();
    const rad = await createRadius(core, { metrics_bind_port: String(ports.radius) });
    const tc = await createCollector(core, { metrics_bind_port: String(ports.tc) });
    const rfwDir = mkdtempSync(join(tmpdir(), 'utm5-rfw-metrics-'));
    const rfw = await startDaemon(
      'utm5_rfw',
      rfwDir,
      'rfw5.cfg',
      {
        rfw_name: 'metrics',
        core_host: '127.0.0.1',
        core_port: String(core.streamPort),
        rfw_state_file: join(rfwDir, 'state.json'),
        rfw_stats_file: join(rfwDir, 'stats.json'),
        pid_file: join(rfwDir, 'rfw.pid'),
        firewall_path: join(ROOT, 'config', 'rfw', 'log-command.js'),
        log_level: '3',
        log_file_debug: join(rfwDir, 'debug.log'),
        metrics_bind_port: String(ports.rfw),
      },
      join(rfwDir, 'stats.json'),
    );
    const sock = createSocket('udp4');
    let api: UrfaApi | undefined;
    try {
      // Process metrics on every daemon, each labelled with its program.
      for (const [name, port] of Object.entries(ports)) {
        const text = await scrape(port);
        assert.match(text, /^process_cpu_user_seconds_total\{program="utm5_\w+"\} /m, `${name} process metrics`);
        assert.equal((await get(port, '/nowhere')).status, 404);
      }

      // The core: links up, URFA calls counted by function and result, /healthz with the database.
      await waitFor(async () => sample(await scrape(ports.core), 'utm5_core_stream_links') >= 3, 20_000, '3 links');
      api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
        host: '127.0.0.1',
        port: core.urfaPort,
        login: 'init',
        password: 'init',
      });
      const calls = (t: string) =>
        sample(t, 'utm5_core_urfa_calls_total', { function: 'rpcf_core_version', result: 'ok' });
      const before = calls(await scrape(ports.core));
      await api.call('rpcf_core_version', {});
      await api.call('rpcf_core_version', {});
      const afterCore = await scrape(ports.core);
      assert.equal(calls(afterCore) - before, 2, 'two URFA calls counted');
      assert.ok(
        sample(afterCore, 'utm5_core_urfa_call_seconds_count', { function: 'rpcf_core_version' }) >= 2,
        'latency observed',
      );
      const refusedBefore = sample(afterCore, 'utm5_core_logins_refused_total', { protocol: 'urfa' });
      await assert.rejects(
        UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
          host: '127.0.0.1',
          port: core.urfaPort,
          login: 'init',
          password: 'wrong',
        }),
      );
      await waitFor(
        async () =>
          sample(await scrape(ports.core), 'utm5_core_logins_refused_total', { protocol: 'urfa' }) > refusedBefore,
        10_000,
        'the refused login counted',
      );
      const coreHealth = await get(ports.core, '/healthz');
      assert.equal(coreHealth.status, 200, coreHealth.text);
      const h = JSON.parse(coreHealth.text) as Record<string, unknown>;
      assert.equal(h['status'], 'ok');
      assert.equal(h['db'], 'ok');
      assert.equal(typeof h['uptime'], 'number');

      // utm5_radius: an Access-Request raises the request and accept counters; an unknown NAS is a drop by reason.
      await rad.until("the core's data", (s) => s.connected && s.logins === 1);
      const r0 = await scrape(ports.radius);
      const answer = await exchange(rad.authPort, SECRET, 'Access-Request', [
        { name: 'User-Name', value: 'm1' },
        { name: 'User-Password', value: 'pw1' },
      ]);
      assert.equal(answer?.codeName, 'Access-Accept');
      const r1 = await scrape(ports.radius);
      const req = { code: 'access-request' };
      assert.equal(sample(r1, 'utm5_radius_requests_total', req) - sample(r0, 'utm5_radius_requests_total', req), 1);
      const acc = { result: 'accept' };
      assert.equal(sample(r1, 'utm5_radius_responses_total', acc) - sample(r0, 'utm5_radius_responses_total', acc), 1);
      const auth = { port: 'auth' };
      assert.equal(
        sample(r1, 'utm5_radius_request_seconds_count', auth) - sample(r0, 'utm5_radius_request_seconds_count', auth),
        1,
        'the answer timed',
      );
      // A wrong password is a reject by reason 'authentication', an unknown login one by 'unknown_login'.
      for (const [user, password] of [
        ['m1', 'wrong'],
        ['nobody-here', 'x'],
      ] as const) {
        const no = await exchange(rad.authPort, SECRET, 'Access-Request', [
          { name: 'User-Name', value: user },
          { name: 'User-Password', value: password },
        ]);
        assert.equal(no?.codeName, 'Access-Reject');
      }
      const r2 = await scrape(ports.radius);
      for (const reason of ['authentication', 'unknown_login'])
        assert.equal(
          sample(r2, 'utm5_radius_rejects_total', { reason }) - sample(r1, 'utm5_radius_rejects_total', { reason }),
          1,
          reason,
        );
      assert.equal(sample(r2, 'utm5_radius_rejects_total', { reason: 'balance' }), 0);
      assert.equal(sample(r1, 'utm5_radius_stream_link_up'), 1);
      assert.equal(sample(r1, 'utm5_radius_cache_entries', { cache: 'logins' }), 1);
      assert.equal((await get(ports.radius, '/healthz')).status, 200);
      // Accounting: the session event spooled, committed by the core (by kind, in a timed transaction) and acked.
      const start = await exchange(rad.acctPort, SECRET, 'Accounting-Request', [
        { name: 'User-Name', value: 'm1' },
        { name: 'Acct-Status-Type', value: 1 },
        { name: 'Acct-Session-Id', value: 'metrics-1' },
        { name: 'Framed-IP-Address', value: '10.81.0.1' },
      ]);
      assert.equal(start?.codeName, 'Accounting-Response');
      await waitFor(
        async () => sample(await scrape(ports.radius), 'utm5_radius_events_acked_total') >= 1,
        20_000,
        'the session event acknowledged',
      );
      const c2 = await scrape(ports.core);
      assert.ok(sample(c2, 'utm5_core_db_transaction_seconds_count') > 0, 'database transactions timed');
      assert.match(c2, /^utm5_core_records_committed_total\{kind="[^"]+",program="utm5_core"\} [1-9]/m);
      // Nothing is due on this idle core: charging is not behind.
      assert.match(c2, /^utm5_core_charge_lag_seconds\{program="utm5_core"\} 0$/m);

      // The collector: a NetFlow v5 packet of 3 flows raises packets and version 5 records; a runt is malformed.
      await tc.until('the link to the core', (s) => s.connected);
      sock.send(encodeV5({ sequence: 1, unixMs: Date.now(), sysUptime: 100_000 }, flows(3)), tc.nfPort, '127.0.0.1');
      sock.send(Buffer.from([0, 5]), tc.nfPort, '127.0.0.1');
      const t1 = String(
        await waitFor(
          async () => {
            const t = await scrape(ports.tc);
            return sample(t, 'utm5_collector_packets_total') >= 2 ? t : undefined;
          },
          10_000,
          'two NetFlow packets counted',
        ),
      );
      assert.equal(sample(t1, 'utm5_collector_decoded_packets_total', { version: '5' }), 1);
      assert.equal(sample(t1, 'utm5_collector_decoded_records_total', { version: '5' }), 3);
      assert.equal(sample(t1, 'utm5_collector_malformed_total', { fault: 'truncated' }), 1);
      assert.equal(sample(t1, 'utm5_collector_dropped_total', { reason: 'malformed' }), 1);
      assert.equal(sample(t1, 'utm5_collector_stream_link_up'), 1);

      // utm5_rfw: its metrics are there and it is healthy while linked.
      await rfw.until('the link to the core', (s) => (s as { connected: boolean }).connected);
      const f = await scrape(ports.rfw);
      assert.match(f, /^utm5_rfw_commands_total\{result="ok",program="utm5_rfw"\} 0$/m);
      assert.match(f, /^utm5_rfw_queue_length\{program="utm5_rfw"\} 0$/m);
      assert.equal((await get(ports.rfw, '/healthz')).status, 200);

      // The core stopped: every daemon's /healthz goes 503, naming the link.
      await api.close();
      api = undefined;
      await core.stop();
      for (const port of [ports.radius, ports.tc, ports.rfw] as const) {
        const down = await waitFor(
          async () => {
            const r = await get(port, '/healthz');
            return r.status === 503 ? r.text : undefined;
          },
          20_000,
          `/healthz 503 on port ${port}`,
        );
        const body = JSON.parse(String(down)) as Record<string, unknown>;
        assert.equal(body['status'], 'fail');
        assert.match(String(body['core_link']), /no Stream link to the core/);
      }
      await assert.rejects(get(ports.core, '/healthz'), 'the stopped core serves nothing');
    } finally {
      sock.close();
      await api?.close().catch(() => undefined);
      await rfw.cleanup();
      await tc.cleanup();
      await rad.cleanup();
      await core.cleanup();
    }
  },
);
