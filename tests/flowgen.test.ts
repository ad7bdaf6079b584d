import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetflowDecoder, RawFileWriter, emptyFlow, type FlowRecord, type RawFlow } from '@utm5/netflow';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';

/** Runs utm5_flowgen at a UDP socket of ours on loopback and decodes what arrives. */
async function capture(args: string[]) {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const port = (sock.address() as AddressInfo).port;
  const decoder = new NetflowDecoder();
  const records: FlowRecord[] = [];
  const versions: number[] = [];
  sock.on('message', (msg) => {
    const out = decoder.decode(msg, '127.0.0.1');
    assert.equal(out.error, undefined, out.error?.message);
    versions.push(out.header!.version);
    records.push(...out.records);
  });
  const r = await runProgram('utm5_flowgen', ['-h', '127.0.0.1', '-p', String(port), ...args], { cwd: ROOT });
  await new Promise((res) => setTimeout(res, 200)); // loopback datagrams already sent are in the socket's queue
  sock.close();
  return { ...r, records, versions };
}

test("utm5_flowgen -c 1 -s -d -b sends the manual's example record (v5)", async () => {
  const r = await capture(['-c', '1', '-s', '10.0.0.1', '-d', '10.0.0.2', '-b', '1048576']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 records in 1 NetFlow v5 packets/);
  assert.equal(r.records.length, 1);
  assert.deepEqual(
    [r.records[0]!.srcAddr, r.records[0]!.dstAddr, r.records[0]!.bytes],
    ['10.0.0.1', '10.0.0.2', 1_048_576],
  );
});

test('utm5_flowgen splits records 30 a packet in v5, v9 and IPFIX, with every field option applied', async () => {
  for (const v of ['5', '9', '10']) {
    const r = await capture([
      '-v',
      v,
      '-c',
      '45',
      '-t',
      '1000',
      '-s',
      '192.0.2.1',
      '-d',
      '198.51.100.2',
      '-z',
      '1234',
      '-x',
      '80',
      '-n',
      '100',
      '-m',
      '200',
      '-i',
      '3',
      '-o',
      '4',
      '-b',
      '1500',
      '-P',
      '3',
      '-j',
      '8',
      '-k',
      '18',
      '-l',
      '6',
      '-N',
      '10.9.9.9',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.versions, [Number(v), Number(v)], `v${v}: 30 + 15 records`);
    assert.equal(r.records.length, 45);
    const x = r.records[44]!;
    assert.deepEqual(
      [
        x.srcAddr,
        x.dstAddr,
        x.srcPort,
        x.dstPort,
        x.srcAs,
        x.dstAs,
        x.inIf,
        x.outIf,
        x.bytes,
        x.packets,
        x.tos,
        x.tcpFlags,
        x.protocol,
        x.nextHop,
      ],
      ['192.0.2.1', '198.51.100.2', 1234, 80, 100, 200, 3, 4, 1500, 3, 8, 18, 6, '10.9.9.9'],
      `v${v}`,
    );
  }
});

test("utm5_flowgen sends to the collector's default port unless told otherwise", async () => {
  const { collectorConfig } = await import('@utm5/collector');
  const r = await runProgram('utm5_flowgen', ['--help']);
  const port = String(collectorConfig.params.nfbuffer_port.default);
  assert.match(r.stdout.replace(/\s+/g, ' '), new RegExp(`-p <port> .*\\(default: "${port}"\\)`));
});

test('utm5_flowgen refuses bad options with a one-line reason and exit 2', async () => {
  for (const [args, msg] of [
    [['-s', '10.0.0.300'], /-s 10.0.0.300: expected an IPv4 address/],
    [['-v', '8'], /-v 8: versions 5, 9 and 10/],
    [['-u', 'missing.utm'], /-u missing.utm: ENOENT/],
    [['-u', 'x.utm', '-s', '10.0.0.1'], /-s cannot be combined with -u/],
  ] as const) {
    const r = await runProgram('utm5_flowgen', [...args], { cwd: ROOT });
    assert.equal(r.code, 2);
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

/** 40 IPv4 and 5 IPv6 flows of the last minute in a raw file, as the collector writes them. */
async function rawFile(t: { after: (fn: () => void) => void }): Promise<{ path: string; flows: RawFlow[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-flowgen-u-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const now = Date.now();
  const flows: RawFlow[] = Array.from({ length: 45 }, (_, i) => ({
    ...emptyFlow(),
    srcAddr: `10.0.${i}.1`,
    dstAddr: '192.0.2.7',
    nextHop: '10.0.0.254',
    srcPort: 40000 + i,
    dstPort: 443,
    protocol: 6,
    tos: 8,
    tcpFlags: 0x1b,
    inIf: 2,
    outIf: 3,
    srcAs: 100,
    dstAs: 200,
    srcMask: 24,
    dstMask: 16,
    bytes: 1000 + i,
    packets: 1 + i,
    start: now - 60_000 + i,
    end: now - 1_000 + i,
    tclass: 2,
    provider: '10.0.1.1',
    accountId: 7,
    slinkId: 9,
    ...(i >= 40 ? { ipVersion: 6 as const, srcAddr: `2001:db8::${i}`, dstAddr: '2001:db8:1::7', nextHop: '::' } : {}),
  }));
  const w = new RawFileWriter({ dir, maxFileSize: 0, maxFileCount: 0, bufferSize: 100 });
  for (const f of flows) w.write(f);
  await w.close();
  return { path: join(dir, readdirSync(dir)[0]!), flows };
}

/** What NetFlow carries of a raw flow: all but the collector's own columns. */
const netflowPart = ({ tclass: _c, provider: _p, accountId: _a, slinkId: _s, ...f }: RawFlow): FlowRecord => f;

test('utm5_flowgen -u sends the flows of a .utm raw file as v9 and IPFIX, every field kept; -c limits them', async (t) => {
  const { path, flows } = await rawFile(t);
  for (const v of ['9', '10']) {
    const r = await capture(['-u', path, '-v', v, '-t', '1000']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      `45 records in 2 NetFlow v${v} packets sent to 127.0.0.1:${r.stdout.match(/:(\d+)\n$/)![1]}\n`,
    );
    assert.deepEqual(r.versions, [Number(v), Number(v)]);
    assert.deepEqual(r.records, flows.map(netflowPart), `v${v}`);
  }
  const limited = await capture(['-u', path, '-v', '9', '-c', '31']);
  assert.equal(limited.code, 0, limited.stderr);
  assert.equal(limited.records.length, 31);
});

test('utm5_flowgen -u -v 5 leaves out IPv6 flows and says so; a file that is not raw is refused', async (t) => {
  const { path, flows } = await rawFile(t);
  const r = await capture(['-u', path]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^40 records in 2 NetFlow v5 packets sent to 127\.0\.0\.1:\d+; 5 IPv6 flows left out \(NetFlow v5 carries IPv4 only: use -v 9 or 10\)\n$/,
  );
  // v5 has 16-bit AS numbers and no masks beyond a byte: these flows fit, so they arrive whole.
  assert.deepEqual(r.records, flows.slice(0, 40).map(netflowPart));
  const notRaw = join(path, '..', 'not-raw.utm');
  writeFileSync(notRaw, 'hello');
  const bad = await runProgram('utm5_flowgen', ['-u', notRaw], { cwd: ROOT });
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, `utm5_flowgen: -u ${notRaw}: not a raw traffic file: it starts with 68656c6c, not "U5RW"\n`);
});
