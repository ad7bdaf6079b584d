import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { waitFor } from '@utm5/common/testing';
import { emptyFlow, encodeV5 } from '@utm5/netflow';
import { UrfaApi } from '@utm5/urfaclient';
import { createCollector } from './helpers/collector-instance';
import { createCore } from './helpers/core-instance';
import { ROOT } from './helpers/paths';

test(
  'NetFlow providers and traffic collectors over URFA (0x5061-0x5066); the collector applies a change without a restart',
  { timeout: 120_000 },
  async () => {
    const core = await createCore();
    const tc = await createCollector(core);
    const sock = createSocket('udp4');
    const api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
    });
    const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => api.call(name, inputs);
    const providers = async () => {
      const r = await call('rpcf_get_nf_providers_list');
      return Array.from({ length: Number(r.get('size')) }, (_, i) => ({
        id: Number(r.get('id', [i])),
        collector: Number(r.get('collector_id', [i])),
        name: r.get('name', [i]),
        comments: r.get('comments', [i]),
        address: r.get('address', [i]),
      }));
    };
    const collectors = async () => {
      const r = await call('rpcf_get_traffic_collectors_list');
      return Array.from({ length: Number(r.get('size')) }, (_, i) => ({
        id: Number(r.get('id', [i])),
        name: r.get('name', [i]),
        comments: r.get('comments', [i]),
        state: Number(r.get('state', [i])),
      }));
    };
    const errorOf = async (name: string, inputs: Parameters<UrfaApi['call']>[1]) =>
      String((await call(name, inputs)).get('error_message'));
    /** Sends a packet of one flow from 127.0.0.1 until the collector counts it as `outcome`. */
    let seq = 0;
    const sentIs = (outcome: 'accepted' | 'unknown provider') =>
      waitFor(
        async () => {
          const before = tc.stats();
          const flow = { ...emptyFlow(), srcAddr: '192.0.2.1', dstAddr: '10.9.0.1', bytes: 100, packets: 1 };
          sock.send(
            encodeV5({ sequence: ++seq, unixMs: Date.now(), sysUptime: 100_000 }, [flow]),
            tc.nfPort,
            '127.0.0.1',
          );
          const after = await tc.until('the packet counted', (s) => s.packets > (before?.packets ?? 0));
          return outcome === 'accepted'
            ? after.records > (before?.records ?? 0)
            : after.unknownProvider > (before?.unknownProvider ?? 0);
        },
        30_000,
        `a packet from 127.0.0.1 ${outcome}`,
      );
    try {
      await tc.until('the link to the core', (s) => s.connected);
      // The System collector, linked (its tc_name is traffic_collector).
      await waitFor(async () => (await collectors())[0]?.state === 1, 10_000, 'the collector online');
      assert.deepEqual(await collectors(), [
        { id: 1, name: 'traffic_collector', comments: 'System traffic collector', state: 1 },
      ]);
      assert.deepEqual(await providers(), []);
      await sentIs('accepted'); // no providers: every exporter is accepted

      // A provider at another address: the collector now refuses 127.0.0.1.
      assert.equal(
        await errorOf('rpcf_put_nf_provider', {
          id: 0,
          collector_id: 1,
          name: 'edge1',
          comments: 'border',
          address: '127.0.0.2',
        }),
        '',
      );
      const [p] = await providers();
      assert.deepEqual(
        { ...p, id: 0 },
        { id: 0, collector: 1, name: 'edge1', comments: 'border', address: '127.0.0.2' },
      );
      const routers = await call('rpcf_get_routers_list');
      assert.equal(routers.get('router_ip', [0]), 'edge1', 'the provider is the firewall of rpcf_get_routers_list');
      await sentIs('unknown provider');

      // Its address edited to 127.0.0.1: accepted again, without a restart.
      assert.equal(
        await errorOf('rpcf_put_nf_provider', {
          id: p!.id,
          collector_id: 1,
          name: 'edge1',
          comments: 'border',
          address: '127.0.0.1',
        }),
        '',
      );
      assert.equal((await providers())[0]!.address, '127.0.0.1');
      await sentIs('accepted');

      // Refusals come back as error_message.
      assert.match(
        await errorOf('rpcf_put_nf_provider', {
          id: 0,
          collector_id: 7,
          name: 'edge2',
          comments: '',
          address: '10.0.0.1',
        }),
        /no traffic collector 7/,
      );
      assert.match(
        await errorOf('rpcf_put_nf_provider', {
          id: 0,
          collector_id: 1,
          name: 'edge1',
          comments: '',
          address: '10.0.0.1',
        }),
        /named 'edge1' exists/,
      );

      // A second collector; the provider moved to it, so the System collector has none and accepts every exporter.
      assert.equal(await errorOf('rpcf_put_traffic_collector', { id: 0, name: 'tc2', comments: 'second' }), '');
      const tc2 = (await collectors()).find((c) => c.name === 'tc2')!;
      assert.deepEqual({ ...tc2, id: 0 }, { id: 0, name: 'tc2', comments: 'second', state: 0 });
      assert.match(await errorOf('rpcf_put_traffic_collector', { id: 0, name: 'tc2', comments: '' }), /exists/);
      assert.equal(
        await errorOf('rpcf_put_nf_provider', {
          id: p!.id,
          collector_id: tc2.id,
          name: 'edge1',
          comments: 'border',
          address: '127.0.0.2',
        }),
        '',
      );
      await sentIs('accepted');
      assert.match(await errorOf('rpcf_del_traffic_collector', { id: tc2.id }), /has NetFlow provider/);
      assert.match(await errorOf('rpcf_del_traffic_collector', { id: 1 }), /System collector/);
      assert.equal(await errorOf('rpcf_put_traffic_collector', { id: tc2.id, name: 'tc3', comments: 'renamed' }), '');
      assert.equal((await collectors()).find((c) => c.id === tc2.id)?.name, 'tc3');

      // Back on the System collector at 127.0.0.2, then removed: refused, then accepted again.
      assert.equal(
        await errorOf('rpcf_put_nf_provider', {
          id: p!.id,
          collector_id: 1,
          name: 'edge1',
          comments: 'border',
          address: '127.0.0.2',
        }),
        '',
      );
      await sentIs('unknown provider');
      assert.equal(await errorOf('rpcf_del_nf_provider', { id: p!.id }), '');
      assert.deepEqual(await providers(), []);
      assert.match(await errorOf('rpcf_del_nf_provider', { id: p!.id }), /no firewall/);
      await sentIs('accepted');
      assert.equal(await errorOf('rpcf_del_traffic_collector', { id: tc2.id }), '');
      assert.deepEqual(
        (await collectors()).map((c) => c.id),
        [1],
      );
    } finally {
      sock.close();
      await api.close().catch(() => undefined);
      await tc.cleanup();
      await core.cleanup();
    }
  },
);
