import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, param, repeatedParam, section } from './param';
import { boolType, enumType, hostType, intType, ipType, portType, stringType } from './value-types';
import { loadConfigFile, loadConfigText } from './load';
import { ConfigError } from './config-error';
import { describeConfig, renderSample } from './render';

const schema = defineConfig({
  program: 'utm5_test',
  defaultFile: '/netup/utm5/test.cfg',
  intro: 'Test program.',
  params: {
    ...section('Main', {
      database_type: param(enumType(['mysql', 'sqlite']), { doc: 'Database type.', mandatory: true }),
      core_host: param(hostType, { doc: 'Core host.', default: 'localhost' }),
      core_port: param(portType, { doc: 'Core port.', default: 11758 }),
      urfa_bind_host: repeatedParam(ipType, { doc: 'Bind addresses.' }),
      dbcount: param(intType({ min: 2, max: 64 }), { doc: 'Connections.', default: 6 }),
      verify_database: param(boolType, { doc: 'Verify.', default: true }),
    }),
    ...section('Secrets', {
      database_password: param(stringType(), { doc: 'Password.', default: '', secret: true }),
      comment: param(stringType(), { doc: 'Free text.' }),
    }),
  },
});

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err.problems.map((p) => `${p.line}|${p.param ?? ''}|${p.message}`);
  }
  assert.fail('expected a ConfigError');
}

test('comments and empty lines are ignored; defaults fill the rest', () => {
  const c = loadConfigText(schema, 'a.cfg', '# comment\n\n   \ndatabase_type=sqlite\n  # indented comment\n');
  assert.equal(c.values.database_type, 'sqlite');
  assert.equal(c.values.core_port, 11758);
  assert.equal(c.values.core_host, 'localhost');
  assert.deepEqual(c.values.urfa_bind_host, []);
  assert.equal(c.values.verify_database, true);
  assert.equal(c.values.comment, undefined);
  assert.deepEqual(c.sources.database_type, { file: 'a.cfg', line: 4 });
  assert.equal(c.sources.core_port, 'default');
  assert.deepEqual(c.warnings, []);
});

test('the value is everything after the first "=" (values may contain "=")', () => {
  const c = loadConfigText(schema, 'a.cfg', 'database_type=mysql\ncomment=a=b c\n');
  assert.equal(c.values.comment, 'a=b c');
});

test('whitespace counts: a spaced name is unknown, with a hint naming the right spelling', () => {
  const c = loadConfigText(schema, 'a.cfg', 'database_type=sqlite\ncore_host = 1.2.3.4\n');
  assert.equal(c.values.core_host, 'localhost');
  assert.equal(c.warnings.length, 1);
  const w = c.warnings[0]!;
  assert.equal(w.line, 2);
  assert.match(w.message, /unknown parameter 'core_host ' ignored: whitespace counts.*write core_host=1\.2\.3\.4/);
});

test('a typed value with stray whitespace is an error that says so', () => {
  const p = problems(() => loadConfigText(schema, 'a.cfg', 'database_type=sqlite\ncore_port= 11758\n'));
  assert.equal(p.length, 1);
  assert.match(p[0]!, /^2\|core_port\|bad value ' 11758' for core_port: expected integer from 1 to 65535 \(whitespace counts/);
});

test('a string value keeps its whitespace and is warned about', () => {
  const c = loadConfigText(schema, 'a.cfg', 'database_type=sqlite\ncomment= hello\n');
  assert.equal(c.values.comment, ' hello');
  assert.match(c.warnings[0]!.message, /leading or trailing whitespace/);
});

test('repeatable parameters collect every line; others warn and keep the last', () => {
  const c = loadConfigText(schema, 'a.cfg',
    'database_type=sqlite\nurfa_bind_host=127.0.0.1\nurfa_bind_host=::1\ncore_port=1\ncore_port=2\n');
  assert.deepEqual(c.values.urfa_bind_host, ['127.0.0.1', '::1']);
  assert.equal(c.values.core_port, 2);
  assert.equal(c.warnings.length, 1);
  assert.match(c.warnings[0]!.message, /core_port is set again \(first at line 4\); the value at line 5 is used/);
});

test('a missing mandatory parameter is an error naming the file and the parameter', () => {
  try {
    loadConfigText(schema, '/etc/utm5/utm5.cfg', 'core_port=1\n');
    assert.fail('expected error');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'UTM_CFG_MISSING');
    assert.equal(err.message, '/etc/utm5/utm5.cfg: mandatory parameter database_type is not set (one of mysql, sqlite)');
  }
});

test('out-of-range values name file, line, parameter and what is allowed', () => {
  try {
    loadConfigText(schema, 'x.cfg', 'database_type=sqlite\ncore_port=70000\ndbcount=1\nverify_database=maybe\n');
    assert.fail('expected error');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'UTM_CFG_BAD_VALUE');
    assert.deepEqual(err.message.split('\n'), [
      "x.cfg:2: bad value '70000' for core_port: out of range, expected integer from 1 to 65535",
      "x.cfg:3: bad value '1' for dbcount: out of range, expected integer from 2 to 64",
      "x.cfg:4: bad value 'maybe' for verify_database: expected enable or disable (also yes/no, on/off, 1/0)",
    ]);
  }
});

test('bad enum and bad address values are errors with the allowed values', () => {
  const p = problems(() => loadConfigText(schema, 'x.cfg', 'database_type=postgres\nurfa_bind_host=localhost\n'));
  assert.equal(p[0], "1|database_type|bad value 'postgres' for database_type: expected one of mysql, sqlite");
  assert.match(p[1]!, /^2\|urfa_bind_host\|bad value 'localhost' for urfa_bind_host: expected an IPv4 or IPv6 address/);
});

test('unknown parameters warn with file and line, and suggest a near name', () => {
  const c = loadConfigText(schema, 'x.cfg', 'database_type=sqlite\ncore_prot=1\nfoo=bar\n');
  assert.deepEqual(c.warnings.map((w) => [w.file, w.line, w.message]), [
    ['x.cfg', 2, "unknown parameter 'core_prot' ignored; did you mean 'core_port'?"],
    ['x.cfg', 3, "unknown parameter 'foo' ignored"],
  ]);
});

test('a line without "=" is a syntax error naming the line', () => {
  try {
    loadConfigText(schema, 'x.cfg', 'database_type=sqlite\njust words\n');
    assert.fail('expected error');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'UTM_CFG_SYNTAX');
    assert.equal(err.message, "x.cfg:2: 'just words' is not parameter=value (comments start with #)");
  }
});

test('CRLF line ends are tolerated', () => {
  const c = loadConfigText(schema, 'x.cfg', 'database_type=sqlite\r\ncore_port=12\r\n');
  assert.equal(c.values.core_port, 12);
});

test('a missing file is one clear error', () => {
  try {
    loadConfigFile(schema, '/nonexistent/utm5.cfg');
    assert.fail('expected error');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.code, 'UTM_CFG_UNREADABLE');
    assert.equal(err.message, '/nonexistent/utm5.cfg: cannot read configuration file: no such file (give another with -c)');
  }
});

test('files are read from disk with the same rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const f = join(dir, 'u.cfg');
  writeFileSync(f, 'database_type=mysql\ndatabase_password=s3cr3t!\n');
  const c = loadConfigFile(schema, f);
  assert.equal(c.values.database_type, 'mysql');
  assert.deepEqual(c.secrets, ['s3cr3t!']);
});

test('-v listing masks secrets and names sources', () => {
  const c = loadConfigText(schema, 'x.cfg', 'database_type=mysql\ndatabase_password=s3cr3t!\n');
  const out = describeConfig(schema, c);
  assert.ok(!out.includes('s3cr3t!'));
  assert.match(out, /^database_password=\*{8} \(x\.cfg:2\)$/m);
  assert.match(out, /^database_type=mysql \(x\.cfg:1\)$/m);
  assert.match(out, /^core_port=11758 \(default\)$/m);
  assert.match(out, /^comment= \(not set\)$/m);
});

test('the sample lists every parameter with doc, allowed values and default, and parses back', () => {
  const text = renderSample(schema);
  for (const name of Object.keys(schema.params)) assert.match(text, new RegExp(`^#?${name}=`, 'm'));
  assert.match(text, /# Allowed: integer from 1 to 65535; default: 11758\.\n#core_port=11758/);
  assert.match(text, /# Allowed: one of mysql, sqlite; mandatory\.\n#database_type=/);
  assert.match(text, /secret: never logged/);
  assert.match(text, /# ==== Secrets ====/);
  // A sample with every line commented is itself valid syntax (only the mandatory parameter is missing).
  assert.throws(() => loadConfigText(schema, 's.cfg', text), /mandatory parameter database_type is not set/);
});
