import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshBundle } from './launch';

test('a bundle is used only while it is newer than every package build it lists', () => {
  const dir = mkdtempSync(join(tmpdir(), 'launch-'));
  mkdirSync(join(dir, 'pkg'));
  const entry = join(dir, 'main');
  assert.equal(freshBundle(entry), undefined, 'no bundle');
  writeFileSync(`${entry}.bundle.js`, '');
  assert.equal(freshBundle(entry), undefined, 'no list of its inputs');
  writeFileSync(`${entry}.bundle.json`, JSON.stringify({ tsbuildinfo: ['pkg/.tsbuildinfo'] }));
  assert.equal(freshBundle(entry), undefined, 'an input that is not there');
  writeFileSync(join(dir, 'pkg', '.tsbuildinfo'), '');
  utimesSync(join(dir, 'pkg', '.tsbuildinfo'), 1000, 1000);
  utimesSync(`${entry}.bundle.js`, 2000, 2000);
  assert.equal(freshBundle(entry), `${entry}.bundle.js`);
  utimesSync(join(dir, 'pkg', '.tsbuildinfo'), 3000, 3000);
  assert.equal(freshBundle(entry), undefined, 'the package was rebuilt after the bundle');
});
