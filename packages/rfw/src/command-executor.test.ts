import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@utm5/common/testing';
import type { RfwCommandWire } from '@utm5/protocol';
import { CommandExecutor, ciscoInvocation, localInvocation, type ExecutorOptions } from './command-executor';
import type { RunOutcome } from './run-argv';
import { RfwState } from './state-file';
import { SAMPLE_RECORDER, memoryLog } from './testing';

const RECORDER = SAMPLE_RECORDER;

let seqs = 0;
const cmd = (key: string, argv: string[], seq = ++seqs): RfwCommandWire => ({
  seq,
  argv,
  key,
  ruleId: 5001,
  event: 'internet_on',
  at: 1_700_000_000,
});

function executor(dir: string, o: Partial<ExecutorOptions> = {}) {
  const state = new RfwState(join(dir, 'state.json'), 'rfw1');
  state.load();
  const log = memoryLog();
  const ex = new CommandExecutor({
    invocation: localInvocation(undefined, RECORDER),
    sequential: false,
    parallel: 4,
    timeoutMs: 10_000,
    retries: 2,
    backoffMs: 1,
    state,
    log,
    ...o,
  });
  return { ex, state, log };
}

test('hostile values reach the program as one literal argument each: no shell anywhere', async () => {
  const t = tempDir('utm5-rfw-');
  const record = join(t.dir, 'argv.log');
  process.env['UTM5_RFW_COMMAND_LOG'] = record;
  try {
    const argv = [
      'add',
      'element',
      '; rm -rf /',
      `it's "quoted"`,
      '$(touch /tmp/utm5-rfw-pwned)',
      '`id`',
      'line1\nline2',
      '*',
      '',
      '--',
      'a b\tc',
      '|| true &',
    ];
    const { ex } = executor(t.dir);
    const [r] = await ex.execute([cmd('10.0.0.1', argv)]);
    assert.equal(r!.status, 'ok');
    assert.equal(r!.exitCode, 0);
    const lines = readFileSync(record, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!), argv);
  } finally {
    delete process.env['UTM5_RFW_COMMAND_LOG'];
    t.cleanup();
  }
});

test('sudo_path and firewall_path come first; cisco joins the words into one rsh command', () => {
  assert.deepEqual(localInvocation('/usr/bin/sudo', '/usr/sbin/nft')(['add', 'element']), {
    file: '/usr/bin/sudo',
    args: ['/usr/sbin/nft', 'add', 'element'],
  });
  assert.deepEqual(localInvocation(undefined, undefined)(['/sbin/tc', 'class']), { file: '/sbin/tc', args: ['class'] });
  assert.deepEqual(ciscoInvocation('rsh', 'netup', '10.9.9.9')(['ip', 'access-list', 'x y']), {
    file: 'rsh',
    args: ['-l', 'netup', '10.9.9.9', 'ip access-list x y'],
  });
});

/** A fake program whose runs the test finishes one by one. */
function gatedRun() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  let active = 0;
  let maxActive = 0;
  const run = (_file: string, args: readonly string[]): Promise<RunOutcome> => {
    const name = args[0]!;
    started.push(name);
    active++;
    maxActive = Math.max(maxActive, active);
    return new Promise((resolve) =>
      gates.set(name, () => {
        active--;
        resolve({ exitCode: 0, stderr: '' });
      }),
    );
  };
  const finish = async (name: string) => {
    for (let i = 0; i < 200 && !gates.has(name); i++) await new Promise((r) => setImmediate(r));
    const g = gates.get(name);
    assert.ok(g, `${name} should have started (started: ${started.join(',')})`);
    gates.delete(name);
    g();
  };
  const settle = async () => {
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  };
  return { run, started, finish, settle, max: () => maxActive };
}

test('parallel mode: other keys run alongside, commands of one key strictly in queue order', async () => {
  const t = tempDir('utm5-rfw-');
  try {
    const g = gatedRun();
    const { ex } = executor(t.dir, { run: g.run });
    const batch = [
      cmd('10.0.0.1', ['a1']),
      cmd('10.0.0.2', ['b1']),
      cmd('10.0.0.1', ['a2']),
      cmd('10.0.0.2', ['b2']),
      cmd('10.0.0.1', ['a3']),
    ];
    const done = ex.execute(batch);
    await g.settle();
    assert.deepEqual(g.started, ['a1', 'b1'], 'one command per key at a time, both keys at once');
    await g.finish('b1');
    await g.settle();
    assert.deepEqual(g.started, ['a1', 'b1', 'b2'], 'b2 follows b1 while a1 still runs');
    await g.finish('b2');
    await g.finish('a1');
    await g.settle();
    assert.deepEqual(g.started.slice(3), ['a2']);
    await g.finish('a2');
    await g.finish('a3');
    const results = await done;
    assert.deepEqual(
      results.map((r) => r.seq),
      batch.map((c) => c.seq),
      'results in queue order',
    );
    assert.ok(results.every((r) => r.status === 'ok'));
  } finally {
    t.cleanup();
  }
});

test('parallel mode never runs more than rfw_parallel at once', async () => {
  const t = tempDir('utm5-rfw-');
  try {
    const g = gatedRun();
    const { ex } = executor(t.dir, { run: g.run, parallel: 2 });
    const done = ex.execute(['x', 'y', 'z', 'w'].map((k) => cmd(k, [k])));
    await g.settle();
    assert.deepEqual(g.started, ['x', 'y']);
    for (const k of ['x', 'y', 'z', 'w']) await g.finish(k);
    assert.equal((await done).length, 4);
    assert.equal(g.max(), 2);
  } finally {
    t.cleanup();
  }
});

test('dont_fork: one command at a time, in queue order, whatever the keys', async () => {
  const t = tempDir('utm5-rfw-');
  try {
    const g = gatedRun();
    const { ex } = executor(t.dir, { run: g.run, sequential: true });
    const done = ex.execute([cmd('k1', ['c1']), cmd('k2', ['c2']), cmd('k3', ['c3']), cmd('k1', ['c4'])]);
    for (const k of ['c1', 'c2', 'c3', 'c4']) {
      await g.settle();
      assert.equal(g.started.at(-1), k);
      await g.finish(k);
    }
    await done;
    assert.deepEqual(g.started, ['c1', 'c2', 'c3', 'c4']);
    assert.equal(g.max(), 1);
  } finally {
    t.cleanup();
  }
});

test('a failing command is retried command_retries times, then reported failed with its exit code and stderr', async () => {
  const t = tempDir('utm5-rfw-');
  try {
    let calls = 0;
    const flaky = async (): Promise<RunOutcome> =>
      ++calls < 3 ? { exitCode: 1, stderr: 'Error: busy' } : { exitCode: 0, stderr: '' };
    const one = executor(t.dir, { run: flaky, retries: 3 });
    const [ok] = await one.ex.execute([cmd('k', ['x'])]);
    assert.deepEqual({ status: ok!.status, attempts: ok!.attempts }, { status: 'ok', attempts: 3 });

    const always = async (): Promise<RunOutcome> => ({ exitCode: 7, stderr: 'Error: no such table inet utm5\n' });
    const two = executor(t.dir, { run: always, retries: 2 });
    const c = cmd('k', ['y']);
    const [failed] = await two.ex.execute([c]);
    assert.deepEqual(failed, {
      seq: c.seq,
      status: 'failed',
      exitCode: 7,
      attempts: 3,
      stderr: 'Error: no such table inet utm5\n',
    });
    assert.ok(two.log.lines.some((l) => l.startsWith('error:') && l.includes('failed after 3 attempts')));
    assert.equal(two.log.lines.filter((l) => l.startsWith('warn:') && l.includes('exit 7')).length, 3);
    // Reported, so it is not run again when the core resends it.
    assert.ok(two.state.has(c.seq));
  } finally {
    t.cleanup();
  }
});

test('a program that cannot start or hangs is a failed attempt with exit -1', async () => {
  const t = tempDir('utm5-rfw-');
  try {
    const missing = executor(t.dir, { invocation: localInvocation(undefined, join(t.dir, 'nope')), retries: 0 });
    const [r] = await missing.ex.execute([cmd('k', ['x'])]);
    assert.equal(r!.status, 'failed');
    assert.equal(r!.exitCode, -1);
    assert.match(r!.stderr, /ENOENT/);
    const hang = executor(t.dir, { invocation: localInvocation(undefined, '/bin/sleep'), retries: 0, timeoutMs: 100 });
    const [h] = await hang.ex.execute([cmd('k', ['30'])]);
    assert.equal(h!.status, 'failed');
    assert.match(h!.stderr, /killed after 100 ms/);
  } finally {
    t.cleanup();
  }
});

test('a resent command is answered duplicate without running, also after a restart (the state file)', async () => {
  const t = tempDir('utm5-rfw-');
  try {
    let runs = 0;
    const run = async (): Promise<RunOutcome> => {
      runs++;
      return { exitCode: 0, stderr: '' };
    };
    const batch = [cmd('k', ['1']), cmd('k', ['2'])];
    const first = executor(t.dir, { run });
    await first.ex.execute(batch);
    assert.equal(runs, 2);
    const again = executor(t.dir, { run });
    const later = cmd('k', ['3']);
    const rs = await again.ex.execute([...batch, later]);
    assert.deepEqual(
      rs.map((r) => r.status),
      ['duplicate', 'duplicate', 'ok'],
    );
    assert.equal(runs, 3);
    assert.equal(again.state.lastSeq, later.seq);
  } finally {
    t.cleanup();
  }
});

test('stop during a retry wait: the command is not reported, so the core sends it again', async () => {
  const t = tempDir('utm5-rfw-');
  try {
    const fail = async (): Promise<RunOutcome> => ({ exitCode: 1, stderr: '' });
    const { ex, state } = executor(t.dir, { run: fail, retries: 5, backoffMs: 60_000 });
    const c = cmd('k', ['x']);
    const done = ex.execute([c, cmd('k', ['y'])]);
    await new Promise((r) => setTimeout(r, 20));
    ex.stop();
    assert.deepEqual(await done, []);
    assert.equal(state.has(c.seq), false);
  } finally {
    t.cleanup();
  }
});
