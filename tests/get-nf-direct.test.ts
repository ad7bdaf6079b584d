import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawFileWriter, emptyFlow, type RawFlow } from '@utm5/netflow';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';

const T0 = 1_700_000_000; // 2023-11-14 22:13:20 UTC

function flow(endSec: number, over: Partial<RawFlow>): RawFlow {
  return {
    ...emptyFlow(),
    srcAddr: '10.0.0.1',
    dstAddr: '192.0.2.7',
    nextHop: '10.0.0.254',
    srcPort: 40000,
    dstPort: 443,
    protocol: 6,
    tcpFlags: 0x1b,
    inIf: 2,
    outIf: 3,
    srcAs: 64512,
    dstAs: 15169,
    bytes: 1000,
    packets: 1,
    start: (endSec - 5) * 1000,
    end: endSec * 1000 + 250,
    tclass: 2,
    provider: '10.0.1.1',
    accountId: 7,
    slinkId: 9,
    ...over,
  };
}

/** Five flows, as a collector would have written them: two files of at most three IPv4 records. */
const FLOWS: RawFlow[] = [
  flow(T0 + 10, { bytes: 1_048_576, packets: 800 }),
  flow(T0 + 20, {
    tclass: 1,
    srcPort: 53000,
    dstAddr: '8.8.8.8',
    dstPort: 53,
    protocol: 17,
    bytes: 120,
    packets: 2,
    tcpFlags: 0,
  }),
  flow(T0 + 30, { accountId: 8, slinkId: 10, srcAddr: '10.0.0.2', srcPort: 40001, bytes: 5000, packets: 6 }),
  flow(T0 + 40, {
    accountId: 8,
    slinkId: 0,
    ipVersion: 6,
    srcAddr: '2001:db8::2',
    dstAddr: '2001:db8:1::7',
    nextHop: '::',
    srcPort: 41000,
    bytes: 7000,
    packets: 7,
    provider: '2001:db8::fe',
    srcAs: 0,
    dstAs: 0,
  }),
  flow(T0 + 50, { dstAddr: '198.51.100.9', dstPort: 80, srcPort: 40002, bytes: 300, packets: 3, provider: '' }),
];

async function rawDir(t: { after: (fn: () => void) => void }): Promise<{ dir: string; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-nf-direct-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const w = new RawFileWriter({ dir, maxFileSize: 16 + 3 * 100, maxFileCount: 0, bufferSize: 2, now: () => T0 * 1000 });
  for (const f of FLOWS) w.write(f);
  await w.close();
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['utm5_raw_20231114221320_000000.utm', 'utm5_raw_20231114221320_000001.utm']);
  return { dir, files };
}

const run = (args: string[]) => runProgram('utm5_get_nf_direct', args, { cwd: ROOT, env: { TZ: 'UTC' } });

const ROW = [
  `${T0 + 10},7,2,10.0.0.1,40000,192.0.2.7,443,6,1048576,800`,
  `${T0 + 20},7,1,10.0.0.1,53000,8.8.8.8,53,17,120,2`,
  `${T0 + 30},8,2,10.0.0.2,40001,192.0.2.7,443,6,5000,6`,
  `${T0 + 40},8,2,2001:db8::2,41000,2001:db8:1::7,443,6,7000,7`,
  `${T0 + 50},7,2,10.0.0.1,40002,198.51.100.9,80,6,300,3`,
];

/** The CSV rows (header dropped) of a run that must succeed. */
async function csv(args: string[]): Promise<string[]> {
  const [header, ...rows] = await table([...args, '-C']);
  assert.equal(header, 'time,account,class,src,sport,dst,dport,proto,bytes,packets');
  return rows;
}

/** The output lines of a run that must succeed quietly. */
async function table(args: string[]): Promise<string[]> {
  const r = await run(args);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.endsWith('\n'));
  return r.stdout.slice(0, -1).split('\n');
}

test('get_nf_direct -D: every file of the directory in time order, as an aligned table under a header', async (t) => {
  const { dir } = await rawDir(t);
  assert.deepEqual(await table(['-D', dir]), [
    'time                 account  class  src          sport  dst            dport  proto    bytes  packets',
    '2023-11-14 22:13:30        7      2  10.0.0.1     40000  192.0.2.7        443      6  1048576      800',
    '2023-11-14 22:13:40        7      1  10.0.0.1     53000  8.8.8.8           53     17      120        2',
    '2023-11-14 22:13:50        8      2  10.0.0.2     40001  192.0.2.7        443      6     5000        6',
    '2023-11-14 22:14:00        8      2  2001:db8::2  41000  2001:db8:1::7    443      6     7000        7',
    '2023-11-14 22:14:10        7      2  10.0.0.1     40002  198.51.100.9      80      6      300        3',
  ]);
  // The manual's name for it runs the same program.
  const same = await runProgram('get_nf_direct', ['-D', dir], { cwd: ROOT, env: { TZ: 'UTC' } });
  assert.deepEqual(same, await run(['-D', dir]));
});

test('get_nf_direct filters: -a, -c, -s, -d (address or network), -p, -P, -f/-t (half-open), -l', async (t) => {
  const { dir } = await rawDir(t);
  const D = ['-D', dir];
  assert.deepEqual(await csv([...D, '-a', '7']), [ROW[0], ROW[1], ROW[4]]);
  assert.deepEqual(await csv([...D, '-a', '7', '-c', '2']), [ROW[0], ROW[4]]);
  assert.deepEqual(await csv([...D, '-s', '10.0.0.1']), [ROW[0], ROW[1], ROW[4]]);
  assert.deepEqual(await csv([...D, '-s', '10.0.0.0/30', '-d', '192.0.2.7']), [ROW[0], ROW[2]]);
  assert.deepEqual(await csv([...D, '-d', '2001:db8:1::7']), [ROW[3]]);
  assert.deepEqual(await csv([...D, '-s', '2001:db8::/32']), [ROW[3]]);
  assert.deepEqual(await csv([...D, '-p', '40001']), [ROW[2]]);
  assert.deepEqual(await csv([...D, '-P', '53']), [ROW[1]]);
  assert.deepEqual(await csv([...D, '-f', String(T0 + 20), '-t', String(T0 + 40)]), [ROW[1], ROW[2]]);
  assert.deepEqual(await csv([...D, '-f', String(T0 + 41)]), [ROW[4]]);
  assert.deepEqual(await csv([...D, '-t', String(T0)]), []);
  assert.deepEqual(await csv([...D, '-l', '2']), [ROW[0], ROW[1]]);
  assert.deepEqual(await csv([...D, '-a', '8', '-l', '1']), [ROW[2]]);
  assert.deepEqual(await csv([...D, '-a', '9']), []);
});

test('get_nf_direct -b: one file, alone or inside -D', async (t) => {
  const { dir, files } = await rawDir(t);
  assert.deepEqual(await csv(['-b', join(dir, files[1]!)]), [ROW[3], ROW[4]]);
  assert.deepEqual(await csv(['-D', dir, '-b', files[0]!]), [ROW[0], ROW[1], ROW[2]]);
});

test('get_nf_direct -e: extended columns in the table and in CSV; an unknown provider is - in the table', async (t) => {
  const { dir } = await rawDir(t);
  assert.deepEqual(await table(['-D', dir, '-e', '-c', '2', '-f', String(T0 + 30)]), [
    'time                 account  class  src          sport  dst            dport  proto  bytes  packets  slink  provider      in_if  out_if  tos  tcp_flags  src_as  dst_as  next_hop',
    '2023-11-14 22:13:50        8      2  10.0.0.2     40001  192.0.2.7        443      6   5000        6     10  10.0.1.1          2       3    0         27   64512   15169  10.0.0.254',
    '2023-11-14 22:14:00        8      2  2001:db8::2  41000  2001:db8:1::7    443      6   7000        7      0  2001:db8::fe      2       3    0         27       0       0  ::',
    '2023-11-14 22:14:10        7      2  10.0.0.1     40002  198.51.100.9      80      6    300        3      9  -                 2       3    0         27   64512   15169  10.0.0.254',
  ]);
  assert.deepEqual(await table(['-D', dir, '-e', '-C', '-P', '80']), [
    'time,account,class,src,sport,dst,dport,proto,bytes,packets,slink,provider,in_if,out_if,tos,tcp_flags,src_as,dst_as,next_hop',
    `${ROW[4]},9,,2,3,0,27,64512,15169,10.0.0.254`,
  ]);
});

test("get_nf_direct: a partial record at a file's end is a warning; a file that is not raw fails the run, the rest still reported", async (t) => {
  const { dir, files } = await rawDir(t);
  appendFileSync(join(dir, files[0]!), Buffer.from([4, 4, 6, 0, 0]));
  let r = await run(['-D', dir, '-C']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trimEnd().split('\n').slice(1), ROW);
  assert.equal(
    r.stderr,
    `utm5_get_nf_direct: warning: ${join(dir, files[0]!)}: 5 bytes after the last whole record at offset 316 (a partial record: the file may still be being written)\n`,
  );
  writeFileSync(join(dir, 'broken.utm'), 'GIF89a, not traffic');
  copyFileSync(join(dir, files[1]!), join(dir, 'zz_copy.utm'));
  r = await run(['-D', dir, '-C', '-l', '100']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.trimEnd().split('\n').slice(1), [ROW[0], ROW[1], ROW[2], ROW[3], ROW[4], ROW[3], ROW[4]]);
  assert.match(
    r.stderr,
    /utm5_get_nf_direct: \S*broken\.utm: not a raw traffic file: it starts with 47494638, not "U5RW"\n/,
  );
});

test('get_nf_direct refuses bad options with one line naming the option and value, exit 2', async (t) => {
  const { dir } = await rawDir(t);
  const cases: [string[], string][] = [
    [['-D', dir, '-a', 'seven'], '-a seven: expected an integer 0..4294967295'],
    [
      ['-D', dir, '-s', '10.0.0.300'],
      '-s 10.0.0.300: expected an IP address (IPv4 or IPv6) or a network such as 10.0.0.0/24',
    ],
    [['-D', dir, '-P', '70000'], '-P 70000: expected an integer 0..65535'],
    [['-D', dir, '-l', '0'], '-l 0: expected an integer 1..9007199254740991'],
    [['-D', dir, '-f', '200', '-t', '100'], '-f 200: the report starts at or after its end (-t 100)'],
    [['-D', join(dir, 'nope')], `-D ${join(dir, 'nope')}: no such directory`],
    [['-b', dir], `-b ${dir}: is a directory (give it with -D)`],
    [['-a', '1'], 'give -D <directory> of raw traffic files or -b <file>'],
  ];
  for (const [args, msg] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, `utm5_get_nf_direct: ${msg}\n`);
    assert.equal(r.stdout, '');
  }
  const h = await run(['-h']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^utm5_get_nf_direct \S+ \(UTM5-TS\)\n/);
  for (const flag of ['-D', '-b', '-a', '-s', '-d', '-p', '-P', '-c', '-f', '-t', '-l', '-e', '-C', '-h'])
    assert.match(h.stdout, new RegExp(`\\s${flag}\\b`));
});
