import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { RAW_T, rawFlow } from '../testing/raw-flows';
import { RAW_HEADER_SIZE, RAW_RECORD_V4, encodeRawFlow, encodeRawHeader, type RawFlow } from './format';
import { listRawFiles, readRawDir, readRawFile, readRawFlows, type RawFileSummary } from './reader';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-raw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const fileOf = (fs: readonly RawFlow[]) => Buffer.concat([encodeRawHeader(RAW_T), ...fs.map(encodeRawFlow)]);

async function collect(it: AsyncIterable<RawFlow>): Promise<RawFlow[]> {
  const out: RawFlow[] = [];
  for await (const f of it) out.push(f);
  return out;
}

test("raw reader: a directory's .utm files in name order, each summarised; a partial tail and a stranger reported", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'utm5_raw_20231114221321_000000.utm'), fileOf([rawFlow({ accountId: 3 })]));
  writeFileSync(join(dir, 'utm5_raw_20231114221320_000001.utm'), fileOf([rawFlow({ accountId: 2 })]));
  writeFileSync(join(dir, 'utm5_raw_20231114221320_000000.utm'), fileOf([rawFlow({ accountId: 1 })]));
  appendFileSync(join(dir, 'utm5_raw_20231114221320_000001.utm'), encodeRawFlow(rawFlow()).subarray(0, 30));
  writeFileSync(join(dir, 'zz.utm'), 'not a raw file at all');
  writeFileSync(join(dir, 'readme.txt'), 'ignored: not .utm');
  assert.deepEqual(
    (await listRawFiles(dir)).map((p) => basename(p)),
    [
      'utm5_raw_20231114221320_000000.utm',
      'utm5_raw_20231114221320_000001.utm',
      'utm5_raw_20231114221321_000000.utm',
      'zz.utm',
    ],
  );
  const ends: RawFileSummary[] = [];
  const got = await collect(readRawDir(dir, (s) => ends.push(s)));
  assert.deepEqual(
    got.map((f) => f.accountId),
    [1, 2, 3],
  );
  assert.deepEqual(
    ends.map((s) => [basename(s.path), s.records, s.trailing, s.problem?.reason]),
    [
      ['utm5_raw_20231114221320_000000.utm', 1, 0, undefined],
      ['utm5_raw_20231114221320_000001.utm', 1, 30, 'truncated'],
      ['utm5_raw_20231114221321_000000.utm', 1, 0, undefined],
      ['zz.utm', 0, 21, 'magic'],
    ],
  );
  assert.equal(ends[1]!.problem!.offset, RAW_HEADER_SIZE + RAW_RECORD_V4);
});

test('raw reader: a file larger than one read chunk streams the same flows readRawFile decodes whole', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'big.utm');
  // 11,000 records of 100 or 136 bytes: about 1.2 MB, so records straddle the 1 MiB chunk boundary.
  const fs = Array.from({ length: 11_000 }, (_, i) =>
    i % 7 === 0
      ? rawFlow({
          ipVersion: 6,
          srcAddr: `2001:db8::${(i + 1).toString(16)}`,
          dstAddr: '2001:db8::1',
          nextHop: '::',
          accountId: i,
        })
      : rawFlow({ accountId: i, bytes: i }),
  );
  writeFileSync(path, fileOf(fs));
  let end: RawFileSummary | undefined;
  const streamed = await collect(
    readRawFlows(path, (s) => {
      end = s;
    }),
  );
  assert.equal(streamed.length, fs.length);
  assert.deepEqual(streamed, fs);
  assert.deepEqual((await readRawFile(path)).flows, fs);
  assert.deepEqual(end, { path, header: { version: 1, headerSize: 16, created: RAW_T }, records: 11_000, trailing: 0 });
});

test('raw reader: an empty file (just created by a writer) is a truncated header, not an error', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'new.utm');
  writeFileSync(path, '');
  let end: RawFileSummary | undefined;
  assert.deepEqual(
    await collect(
      readRawFlows(path, (s) => {
        end = s;
      }),
    ),
    [],
  );
  assert.deepEqual([end?.records, end?.trailing, end?.problem?.reason], [0, 0, 'truncated']);
  assert.equal((await readRawFile(path)).problem?.reason, 'truncated');
});
