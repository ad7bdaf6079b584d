import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { waitFor } from '@utm5/common/testing';
import { FrameDecoder, encodeFrame, StreamRejectedError } from '@utm5/protocol';
import { openDatabase } from '@utm5/db';
import { sqliteSettings } from '@utm5/db/testing';
import { createCore } from './helpers/core-instance';
import { testDaemon } from './helpers/stream-daemon';
import { urfaclient } from './helpers/urfa';

async function journalCount(dir: string, action: string): Promise<number> {
  const db = await openDatabase(sqliteSettings(join(dir, 'utm5.db')));
  const [{ n }] = await db.knex('user_log').where({ action }).count({ n: '*' });
  await db.close();
  return Number(n);
}

test('a daemon logs in, gets a snapshot, then events; it survives a core restart by reconnecting', async () => {
  const core = await createCore();
  const d = testDaemon(core.streamPort);
  try {
    await waitFor(() => d.snapshots.length === 1, 10_000, 'snapshot');
    const snap = d.snapshots[0]!;
    assert.equal(snap.topic, 'system_parameters');
    assert.ok(
      (snap.items as { name: string; value: string }[]).some((x) => x.name === 'bytes_in_kbyte' && x.value === '1024'),
    );

    const r = await urfaclient(core, [
      '-a',
      'set_system_parameter',
      '-name',
      'vpn_login_realm',
      '-value',
      'isp.example',
    ]);
    assert.equal(r.code, 0, r.stderr);
    await waitFor(() => d.events.length === 1, 5000, 'event');
    assert.deepEqual(d.events[0], {
      t: 'event',
      topic: 'system_parameters',
      op: 'upsert',
      key: 'vpn_login_realm',
      item: { name: 'vpn_login_realm', value: 'isp.example' },
    });

    assert.equal(await core.stop(), 0);
    await waitFor(() => !d.client.connected, 5000, 'link down');
    const pending = d.client.send('journal', [{ action: 'while_down', details: 'queued while the core was away' }]);
    await core.start();
    await waitFor(() => d.connects === 2 && d.snapshots.length === 2, 15_000, 'reconnect');
    await pending;
    assert.equal(await journalCount(core.dir, 'while_down'), 1);
  } finally {
    await d.client.stop();
    await core.cleanup();
  }
});

/**
 * A TCP relay between a daemon and the core that drops the link once, right after the core acknowledged a batch
 * but before the daemon hears it: the hardest moment for exactly-once delivery.
 */
async function dropOnFirstAck(corePort: number): Promise<{ port: number; dropped: () => number; close: () => void }> {
  let drops = 0;
  const sockets = new Set<Socket>();
  const server = createServer((down) => {
    const up = connect(corePort, '127.0.0.1');
    sockets.add(down);
    sockets.add(up);
    down.pipe(up);
    const dec = new FrameDecoder();
    up.on('data', (chunk: Buffer) => {
      for (const m of dec.push(chunk)) {
        if (m['t'] === 'ack' && drops === 0) {
          drops++;
          down.destroy();
          up.destroy();
          return;
        }
        down.write(encodeFrame(m));
      }
    });
    const end = () => {
      down.destroy();
      up.destroy();
    };
    up.on('close', end);
    down.on('close', end);
    up.on('error', end);
    down.on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    dropped: () => drops,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

test('sequenced records are committed exactly once across a dropped connection', async () => {
  const core = await createCore();
  const relay = await dropOnFirstAck(core.streamPort);
  const d = testDaemon(relay.port, { sender: 'exactly-once' });
  try {
    await d.client.ready();
    const batches = Array.from({ length: 5 }, (_, b) =>
      d.client.send(
        'journal',
        [0, 1, 2].map((i) => ({ action: 'exactly_once', details: `batch ${b} item ${i}` })),
      ),
    );
    await Promise.all(batches);
    assert.equal(relay.dropped(), 1, 'the link was dropped once, after a commit');
    assert.ok(d.connects >= 2, 'the daemon reconnected');
    assert.equal(await journalCount(core.dir, 'exactly_once'), 15, 'every record once, none twice');
  } finally {
    await d.client.stop();
    relay.close();
    await core.cleanup();
  }
});

test('bad logins are denied; malformed batches are refused without being committed', async () => {
  const core = await createCore();
  const bad = testDaemon(core.streamPort, { password: 'wrong' });
  const d = testDaemon(core.streamPort, { sender: 'nack' });
  try {
    await d.client.ready();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(bad.connects, 0);
    await assert.rejects(
      d.client.send('no_such_kind', [{}]),
      (e: unknown) => e instanceof StreamRejectedError && /unknown record kind/.test(e.message),
    );
    await assert.rejects(
      d.client.send('journal', [{ action: 'ok', details: 'x' }, { action: '' }]),
      /journal item 1: needs action/,
    );
    assert.equal(await journalCount(core.dir, 'ok'), 0, 'a refused batch commits nothing');
    await d.client.send('journal', [{ action: 'ok', details: 'fine' }]);
    assert.equal(await journalCount(core.dir, 'ok'), 1);
  } finally {
    await bad.client.stop();
    await d.client.stop();
    await core.cleanup();
  }
});
