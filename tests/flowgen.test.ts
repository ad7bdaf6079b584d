import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { NetflowDecoder, type FlowRecord } from '@utm5/netflow';
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

test('utm5_flowgen -c 1 -s -d -b sends the manual\'s example record (v5)', async () => {
  const r = await capture(['-c', '1', '-s', '10.0.0.1', '-d', '10.0.0.2', '-b', '1048576']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 records in 1 NetFlow v5 packets/);
  assert.equal(r.records.length, 1);
  assert.deepEqual([r.records[0]!.srcAddr, r.records[0]!.dstAddr, r.records[0]!.bytes], ['10.0.0.1', '10.0.0.2', 1_048_576]);
});

test('utm5_flowgen splits records 30 a packet in v5, v9 and IPFIX, with every field option applied', async () => {
  for (const v of ['5', '9', '10']) {
    const r = await capture(['-v', v, '-c', '45', '-t', '1000', '-s', '192.0.2.1', '-d', '198.51.100.2', '-z', '1234', '-x', '80', '-n', '100', '-m', '200',
      '-i', '3', '-o', '4', '-b', '1500', '-P', '3', '-j', '8', '-k', '18', '-l', '6', '-N', '10.9.9.9']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.versions, [Number(v), Number(v)], `v${v}: 30 + 15 records`);
    assert.equal(r.records.length, 45);
    const x = r.records[44]!;
    assert.deepEqual([x.srcAddr, x.dstAddr, x.srcPort, x.dstPort, x.srcAs, x.dstAs, x.inIf, x.outIf, x.bytes, x.packets, x.tos, x.tcpFlags, x.protocol, x.nextHop],
      ['192.0.2.1', '198.51.100.2', 1234, 80, 100, 200, 3, 4, 1500, 3, 8, 18, 6, '10.9.9.9'], `v${v}`);
  }
});

test('utm5_flowgen refuses bad options with a one-line reason and exit 2', async () => {
  for (const [args, msg] of [[['-s', '10.0.0.300'], /-s 10.0.0.300: expected an IPv4 address/], [['-v', '8'], /-v 8: versions 5, 9 and 10/],
    [['-u', 'x.utm'], /-u: .utm raw files/]] as const) {
    const r = await runProgram('utm5_flowgen', [...args], { cwd: ROOT });
    assert.equal(r.code, 2);
    assert.match(r.stderr, msg);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
