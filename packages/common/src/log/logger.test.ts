import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from './logger';
import type { LogParamValues } from './log-params';
import { RotatingFile } from './rotating-file';

function params(dir: string, over: Partial<LogParamValues> = {}): LogParamValues {
  return {
    log_level: 1,
    log_file_main: join(dir, 'main.log'),
    log_file_debug: join(dir, 'debug.log'),
    log_file_critical: join(dir, 'critical.log'),
    syslog_name: undefined,
    rotate_logs: false,
    max_logfile_count: undefined,
    max_logfile_size: 10485760,
    ...over,
  };
}

const flush = () => new Promise((r) => setImmediate(r));
const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');

test('levels route to the three streams as the manual says', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-'));
  const log = createLogger({ program: 'utm5_core', params: params(dir, { log_level: 1 }) });
  log.emerg('m0');
  log.alert('m1');
  log.crit('m2');
  log.error('m3');
  log.warn('m4');
  log.notice('m5');
  log.info('m6');
  log.debug('m7');
  log.trace('m8');
  log.stats('m9');
  await flush();
  log.close();
  const has = (f: string) => [...read(join(dir, f)).matchAll(/: (m\d)$/gm)].map((m) => m[1]);
  assert.deepEqual(has('critical.log'), ['m0', 'm1', 'm2']);
  assert.deepEqual(has('main.log'), ['m0', 'm1', 'm2', 'm3', 'm4']); // 0 .. 3+log_level(1)
  assert.deepEqual(has('debug.log'), ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
});

test('log_level 3 puts Info into the main stream; level names follow the manual', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-'));
  const log = createLogger({ program: 'p', params: params(dir, { log_level: 3, log_file_debug: undefined }) });
  log.info('hello');
  log.debug('not here');
  log.warn('w');
  await flush();
  log.close();
  const main = read(join(dir, 'main.log'));
  assert.match(main, /\[Info\] p: hello/);
  assert.match(main, /\[Warn\] p: w/);
  assert.doesNotMatch(main, /not here/);
});

test('streams sharing one file write each line once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-'));
  const f = join(dir, 'all.log');
  const log = createLogger({
    program: 'p',
    params: params(dir, { log_file_main: f, log_file_debug: f, log_file_critical: f }),
  });
  log.emerg('once');
  log.debug('dbg');
  await flush();
  log.close();
  assert.equal(read(f).match(/once/g)?.length, 1);
  assert.equal(read(f).match(/dbg/g)?.length, 1);
});

test('component, peer, meta and syslog_name prefix appear in the line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-'));
  const log = createLogger({ program: 'utm5_core', params: params(dir, { syslog_name: 'billing1' }) });
  log.child({ component: 'urfa', peer: '10.0.0.1:4000' }).error('login failed', { login: 'init', reason: 'bad key' });
  await flush();
  log.close();
  assert.match(
    read(join(dir, 'main.log')),
    /^billing1: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[ERROR\] utm5_core urfa 10\.0\.0\.1:4000: login failed login=init reason="bad key"\n$/,
  );
});

test('secrets never reach a log: registered values and secret-looking keys are masked', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-'));
  const log = createLogger({ program: 'p', params: params(dir) });
  log.addSecret('Sup3rS3cret');
  log.error('connect to mysql://root:Sup3rS3cret@db failed');
  log.error('radius', { secret: 'testing123', chap_response: 'abcdef', user: 'bob' });
  log.error('login with password=hunter22 rejected');
  log.warn('user init still has its default password: it may log in from loopback only');
  log.error('json {"password": "js0nS3cret"}');
  await flush();
  log.close();
  const text = read(join(dir, 'debug.log'));
  for (const s of ['Sup3rS3cret', 'testing123', 'abcdef', 'hunter22', 'js0nS3cret'])
    assert.ok(!text.includes(s), `${s} leaked: ${text}`);
  assert.match(text, /secret=\*\*\* chap_response=\*\*\* user=bob/);
  assert.match(text, /password=\*\*\* rejected/);
  assert.match(text, /default password: it may log in/); // prose is not mistaken for key: value
});

test('rotation with a count: ".N" suffixes, next free number, oldest removed beyond the count', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rot-'));
  const path = join(dir, 'main.log');
  const f = new RotatingFile(path, { rotate: true, maxSize: 100, maxCount: 2 });
  const line = 'x'.repeat(60);
  f.write(line); // 61 bytes
  f.write(line); // 122 > 100: rotated to .0
  f.flush();
  assert.deepEqual(readdirSync(dir).sort(), ['main.log', 'main.log.0']);
  assert.equal(read(path), '');
  f.write(line);
  f.write(line); // .1
  f.write(line);
  f.write(line); // .2, and .0 removed (count 2)
  f.close();
  assert.deepEqual(readdirSync(dir).sort(), ['main.log', 'main.log.1', 'main.log.2']);
  assert.equal(read(`${path}.2`), `${line}\n${line}\n`);
});

test('rotation without a count: ".<unix time>" suffix, incremented when taken, nothing removed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rot-'));
  const path = join(dir, 'main.log');
  writeFileSync(`${path}.1700000000`, 'older file at the same second\n');
  const f = new RotatingFile(path, { rotate: true, maxSize: 10, maxCount: undefined, nowMs: () => 1_700_000_000_500 });
  f.write('0123456789A');
  f.write('0123456789B');
  f.write('0123456789C');
  f.close();
  assert.deepEqual(readdirSync(dir).sort(), [
    'main.log',
    'main.log.1700000000',
    'main.log.1700000001',
    'main.log.1700000002',
    'main.log.1700000003',
  ]);
  assert.equal(read(`${path}.1700000000`), 'older file at the same second\n');
  assert.equal(read(`${path}.1700000001`), '0123456789A\n');
});

test('no rotation when rotate_logs is off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rot-'));
  const path = join(dir, 'main.log');
  const f = new RotatingFile(path, { rotate: false, maxSize: 10, maxCount: 1 });
  for (let i = 0; i < 5; i++) f.write('0123456789');
  f.close();
  assert.deepEqual(readdirSync(dir), ['main.log']);
});

test('reopen follows a file moved away by an external logrotate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'log-'));
  const p = params(dir);
  const log = createLogger({ program: 'p', params: p });
  log.error('before');
  await flush();
  const { renameSync } = await import('node:fs');
  renameSync(p.log_file_main!, `${p.log_file_main}.old`);
  log.reopen();
  log.error('after');
  await flush();
  log.close();
  assert.match(read(`${p.log_file_main}.old`), /before/);
  assert.match(read(p.log_file_main!), /after/);
  assert.doesNotMatch(read(p.log_file_main!), /before/);
});

test('lines of one turn are written together; an urgent line at once with those before it; an exit writes the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'batch-'));
  const path = join(dir, 'main.log');
  const f = new RotatingFile(path, { rotate: false, maxSize: 1e9, maxCount: undefined });
  f.write('a');
  f.write('b');
  assert.equal(read(path), '', 'held until the turn ends');
  await flush();
  assert.equal(read(path), 'a\nb\n');
  f.write('c');
  f.write('CRIT d', true);
  assert.equal(read(path), 'a\nb\nc\nCRIT d\n', 'urgent: written before write() returns, in order');
  f.close();
  // A process that exits right after logging (an uncaught error, process.exit) leaves its lines on disk.
  const child = join(dir, 'child.log');
  const script = `const { RotatingFile } = require(${JSON.stringify(require.resolve('./rotating-file'))});
    const f = new RotatingFile(${JSON.stringify(child)}, { rotate: false, maxSize: 1e9 });
    f.write('last words'); process.exit(3);`;
  const r = spawnSync(process.execPath, ['-e', script]);
  assert.equal(r.status, 3);
  assert.equal(read(child), 'last words\n');
});
