import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths';

const SYSTEMD = join(ROOT, 'config', 'systemd');
const units = () => readdirSync(SYSTEMD).filter((f) => /\.(service|timer)$/.test(f));

/** The long-running programs: each has a unit; the one-shot tools a service and a timer. */
const DAEMONS = ['utm5_core', 'utm5_radius', 'utm5_traffic_collector', 'utm5_rfw'];
const TIMED = ['utm5_db_archiver', 'utm5_verify', 'utm5_security_check', 'utm5_send_cdr', 'utm5_report@'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

test('every daemon has a systemd unit and every cron-style tool a service with its timer', () => {
  const have = new Set(units());
  for (const d of DAEMONS) assert.ok(have.has(`${d}.service`), `${d}.service`);
  for (const t of TIMED) {
    assert.ok(have.has(`${t}.service`), `${t}.service`);
    assert.ok(have.has(`${t}.timer`), `${t}.timer`);
  }
  for (const u of have) {
    if (!u.endsWith('.timer')) continue;
    assert.ok(have.has(u.replace(/\.timer$/, '.service')), `${u} starts a service that is shipped`);
  }
});

test('every unit passes systemd-analyze verify and runs a program that exists in bin/', (t) => {
  const which = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (which.error) {
    // .ci/run installs systemd; elsewhere say why rather than pass silently.
    t.skip('systemd-analyze not found (apt-get install systemd)');
    return;
  }
  const files = units().map((u) => join(SYSTEMD, u));
  const r = spawnSync('systemd-analyze', ['verify', ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // Warnings ("Failed to parse ..., ignoring") do not fail verify: any output is a problem in a shipped unit.
  assert.equal(r.stderr.trim(), '', r.stderr);
  for (const u of units()) {
    for (const m of readFileSync(join(SYSTEMD, u), 'utf8').matchAll(/^ExecStart=\S+ \/opt\/utm5-ts\/(bin\/\S+)/gm))
      assert.ok(existsSync(join(ROOT, m[1]!)), `${u}: ${m[1]} exists in the repository`);
  }
});

test('the logrotate sample parses and covers the log and CDR files', (t) => {
  const which = spawnSync('logrotate', ['--version'], { encoding: 'utf8' });
  if (which.error) {
    t.skip('logrotate not found (apt-get install logrotate)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'utm5-logrotate-'));
  try {
    // The sample names the utm5 user, which the test machine may lack: check it as the current user.
    const me = userInfo().username;
    const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
    const text = readFileSync(join(ROOT, 'config', 'logrotate', 'utm5-ts'), 'utf8').replace(
      /utm5 utm5/g,
      `${me} ${group}`,
    );
    const file = join(dir, 'utm5-ts');
    writeFileSync(file, text);
    const r = spawnSync('logrotate', ['-d', '-s', join(dir, 'state'), file], { encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, out);
    assert.doesNotMatch(out, /^error:(?! stat of)/m, out);
    assert.match(out, /Handling 2 logs/);
    assert.match(out, /rotating pattern: \/var\/log\/utm5\/\*\.log/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Grafana dashboard is valid JSON and graphs only metrics the daemons register', () => {
  const dash = JSON.parse(readFileSync(join(ROOT, 'config', 'grafana', 'utm5-ts.json'), 'utf8')) as {
    uid: string;
    panels: { type: string; targets?: { expr: string }[] }[];
  };
  assert.equal(dash.uid, 'utm5-ts');
  const code = sources(join(ROOT, 'packages'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((x) => x.expr));
  assert.ok(exprs.length >= 20, `${exprs.length} queries`);
  const missing = new Set<string>();
  for (const e of exprs) {
    for (const [name] of e.matchAll(/\butm5_[a-z0-9_]+/g)) {
      // Counters and histograms are exported with suffixes their registration does not spell.
      const base = name.replace(/_(total|bucket|sum|count)$/, '');
      if (/^utm5_(core|radius|traffic_collector|rfw)$/.test(name)) continue; // job names
      if (!code.includes(`'${name}'`) && !code.includes(`'${base}'`) && !code.includes(`'${base}_total'`))
        missing.add(name);
    }
  }
  assert.deepEqual([...missing], [], 'metrics graphed by the dashboard but registered nowhere');
});
