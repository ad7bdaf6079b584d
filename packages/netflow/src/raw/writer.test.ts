import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RAW_T, rawFlow } from '../testing/raw-flows';
import { RAW_HEADER_SIZE, RAW_RECORD_V4 } from './format';
import { readRawFile } from './reader';
import { RawFileError, RawFileWriter, type RawFileWriterOptions } from './writer';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-raw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writer(dir: string, over: Partial<RawFileWriterOptions> = {}) {
  const closed: [string, number][] = [];
  const w = new RawFileWriter({
    dir,
    maxFileSize: 0,
    maxFileCount: 0,
    bufferSize: 100,
    now: () => RAW_T,
    onClose: (p, n) => closed.push([basename(p), n]),
    ...over,
  });
  return { w, closed };
}

const files = (dir: string) => readdirSync(dir).sort();
const flows = (n: number) => Array.from({ length: n }, (_, i) => rawFlow({ accountId: i + 1, bytes: 100 * (i + 1) }));

test('raw writer: flush puts the records on disk and keeps the file open; close calls onClose once with the count', async (t) => {
  const dir = tempDir(t);
  const { w, closed } = writer(dir);
  const v6 = rawFlow({
    ipVersion: 6,
    srcAddr: '2001:db8::1',
    dstAddr: '2001:db8::2',
    nextHop: '::',
    provider: '2001:db8::ff',
  });
  w.write(rawFlow());
  w.write(v6);
  await w.flush();
  assert.deepEqual(files(dir), ['utm5_raw_20231114221320_000000.utm']);
  const path = join(dir, files(dir)[0]!);
  assert.deepEqual(await readRawFile(path), {
    header: { version: 1, headerSize: 16, created: RAW_T },
    flows: [rawFlow(), v6],
    trailing: 0,
  });
  assert.deepEqual(closed, []);
  w.write(rawFlow({ accountId: 3 }));
  await w.close();
  assert.deepEqual(
    (await readRawFile(path)).flows.map((f) => f.accountId),
    [7, 7, 3],
  );
  assert.deepEqual(closed, [['utm5_raw_20231114221320_000000.utm', 3]]);
  await w.close();
  assert.throws(() => w.write(rawFlow()), RawFileError);
  assert.equal(closed.length, 1);
});

test('raw writer: nothing is written (no empty file) before bufferSize records or a flush; a full buffer is written unasked', async (t) => {
  const dir = tempDir(t);
  const { w } = writer(dir, { bufferSize: 3 });
  w.write(rawFlow());
  w.write(rawFlow());
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(files(dir), []);
  w.write(rawFlow());
  for (
    let i = 0;
    i < 100 &&
    (files(dir).length === 0 || statSync(join(dir, files(dir)[0]!)).size < RAW_HEADER_SIZE + 3 * RAW_RECORD_V4);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal((await readRawFile(join(dir, files(dir)[0]!))).flows.length, 3);
  await w.close();
});

test('raw writer: rotates when the next record would pass maxFileSize; names sort in write order', async (t) => {
  const dir = tempDir(t);
  const { w, closed } = writer(dir, { maxFileSize: RAW_HEADER_SIZE + 2 * RAW_RECORD_V4, bufferSize: 2 });
  for (const f of flows(5)) w.write(f);
  await w.close();
  const names = files(dir);
  assert.deepEqual(
    names,
    ['000000', '000001', '000002'].map((s) => `utm5_raw_20231114221320_${s}.utm`),
  );
  assert.deepEqual(
    closed,
    names.map((n, i) => [n, i < 2 ? 2 : 1]),
  );
  const read = await Promise.all(names.map((n) => readRawFile(join(dir, n))));
  assert.deepEqual(
    read.flatMap((r) => r.flows.map((f) => f.accountId)),
    [1, 2, 3, 4, 5],
  );
  for (const n of names) assert.ok(statSync(join(dir, n)).size <= RAW_HEADER_SIZE + 2 * RAW_RECORD_V4);
  // A limit below one record still writes every record: one a file.
  const dir2 = tempDir(t);
  const tiny = writer(dir2, { maxFileSize: 10 });
  for (const f of flows(3)) tiny.w.write(f);
  await tiny.w.close();
  assert.deepEqual(
    tiny.closed.map(([, n]) => n),
    [1, 1, 1],
  );
});

test('raw writer: past maxFileCount the oldest closed raw files are deleted, other files left alone', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'utm5_raw_20200101000000_000000.utm'), 'from an earlier run');
  writeFileSync(join(dir, 'notes.txt'), 'not ours');
  const { w, closed } = writer(dir, { maxFileSize: RAW_HEADER_SIZE + RAW_RECORD_V4, maxFileCount: 2, bufferSize: 1 });
  for (const f of flows(4)) w.write(f);
  await w.close();
  assert.equal(closed.length, 4);
  assert.deepEqual(files(dir), [
    'notes.txt',
    'utm5_raw_20231114221320_000002.utm',
    'utm5_raw_20231114221320_000003.utm',
  ]);
  assert.deepEqual(
    (await readRawFile(join(dir, 'utm5_raw_20231114221320_000003.utm'))).flows.map((f) => f.accountId),
    [4],
  );
});

test('raw writer: a file of an earlier run with the same name is never overwritten; a new second starts at 000000', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'utm5_raw_20231114221320_000000.utm'), 'earlier');
  let now = RAW_T;
  const { w, closed } = writer(dir, { maxFileSize: RAW_HEADER_SIZE + RAW_RECORD_V4, now: () => now });
  w.write(rawFlow());
  await w.flush();
  now += 1000;
  w.write(rawFlow());
  await w.close();
  assert.deepEqual(
    closed.map(([n]) => n),
    ['utm5_raw_20231114221320_000001.utm', 'utm5_raw_20231114221321_000000.utm'],
  );
  assert.equal(statSync(join(dir, 'utm5_raw_20231114221320_000000.utm')).size, 7);
});

test('raw writer: a failed write is reported once by the next flush, naming the path; the writer goes on', async (t) => {
  const dir = join(tempDir(t), 'not-yet');
  const { w, closed } = writer(dir);
  w.write(rawFlow());
  await assert.rejects(
    w.flush(),
    (err: unknown) =>
      err instanceof RawFileError &&
      err.reason === 'write' &&
      /not-yet.*ENOENT.*up to 1 records not written/.test(err.message),
  );
  mkdirSync(dir);
  w.write(rawFlow({ accountId: 42 }));
  await w.flush();
  await w.close();
  assert.deepEqual(
    closed.map(([, n]) => n),
    [1],
  );
  assert.deepEqual(
    (await readRawFile(join(dir, files(dir)[0]!))).flows.map((f) => f.accountId),
    [42],
  );
});

test('raw writer: an onClose that throws is reported by close(), after the data is safe', async (t) => {
  const dir = tempDir(t);
  const { w } = writer(dir, {
    onClose: () => {
      throw new Error('script missing');
    },
  });
  w.write(rawFlow());
  await assert.rejects(
    w.close(),
    (err: unknown) => err instanceof RawFileError && err.reason === 'on_close' && /script missing/.test(err.message),
  );
  assert.equal((await readRawFile(join(dir, files(dir)[0]!))).flows.length, 1);
});

test('raw writer: options are checked', () => {
  assert.throws(
    () => new RawFileWriter({ dir: '.', maxFileSize: -1, maxFileCount: 0, bufferSize: 1 }),
    /maxFileSize -1 is not an integer >= 0/,
  );
});
