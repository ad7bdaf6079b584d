import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UrfaApi, compileApiXml, compiledSchemePath, loadApiXml } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { urfaclient, value } from './helpers/urfa';

describe('utm5_urfaclient: several calls on one login', () => {
  let core: CoreInstance;
  let dir: string;
  before(async () => {
    core = await createCore();
    dir = mkdtempSync(join(tmpdir(), 'urfa-batch-'));
  });
  after(() => core.cleanup());

  test('several -a: every output in order in one document, the exit status of the first failure', async () => {
    const r = await urfaclient(core, [
      '-a',
      'core_version',
      '-a',
      'get_userinfo',
      '-user_id',
      '999',
      '-a',
      'block_account',
      '-account_id',
      '1',
      '-a',
      'core_version',
    ]);
    assert.equal(r.code, 10, 'get_userinfo of no user (10) failed first; block_account without is_blocked (1) later');
    assert.equal(
      r.stderr,
      'utm5_urfaclient: call 2 (get_userinfo): rpcf_get_userinfo: user not found\n' +
        `utm5_urfaclient: call 3 (block_account): ${join(ROOT, 'xml', 'block_account.xml')}:7: <call>: ` +
        "rpcf_block_account: parameter 'is_blocked' is not set and has no default\n",
    );
    const calls = [...r.stdout.matchAll(/<call function="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(calls, ['rpcf_core_version', 'rpcf_get_userinfo', 'rpcf_block_account', 'rpcf_core_version']);
    assert.match(r.stdout, /^<\?xml [^\n]*\n<urfa>\n[\s\S]*<\/urfa>\n$/);
    assert.equal(r.stdout.match(/<urfa>/g)!.length, 1, 'one document');
  });

  test('--calls FILE: one call a line with quoted parameters; parameters before them are common', async () => {
    const file = join(dir, 'calls.txt');
    writeFileSync(
      file,
      [
        '# make two users, then read the first back',
        `add_user_new -login ann -password 'a b' -full_name "Ann \\"A\\" Smith"`,
        '',
        'add_user_new -login bob -full_name Bob',
      ].join('\n'),
    );
    const r = await urfaclient(core, ['-password', 'common-pw', '--calls', file]);
    assert.equal(r.code, 0, r.stderr);
    const ids = [...r.stdout.matchAll(/name="user_id" value="(\d+)"/g)].map((m) => m[1]);
    assert.equal(ids.length, 2);
    const api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
    });
    try {
      const ann = await api.call('rpcf_get_userinfo', { user_id: ids[0]! });
      assert.equal(ann.get('full_name'), 'Ann "A" Smith');
      assert.equal(ann.get('password'), 'a b', "the line's own value wins over the common one");
      const bob = await api.call('rpcf_get_userinfo', { user_id: ids[1]! });
      assert.equal(bob.get('password'), 'common-pw');
    } finally {
      await api.close();
    }
    writeFileSync(file, 'core_version\nget_userinfo -user_id\n');
    const bad = await urfaclient(core, ['--calls', file]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, `utm5_urfaclient: ${file}:2: parameter -user_id needs a value\n`);
    assert.equal(bad.stdout, '', 'nothing is called when the file is wrong');
  });

  test('the precompiled api.xml is used while it matches the text, and never once the scheme was edited', async () => {
    const api = join(dir, 'api.xml');
    copyFileSync(join(ROOT, 'xml', 'api.xml'), api);
    compileApiXml(api);
    assert.equal(loadApiXml(api).get('rpcf_core_version')!.id, 0x0045);
    // Proof that the compiled form is what is read: a change made in it (only) shows.
    const compiled = JSON.parse(readFileSync(compiledSchemePath(api), 'utf8')) as {
      functions: { name: string; id: number }[];
    };
    compiled.functions.find((f) => f.name === 'rpcf_core_version')!.id = 0x7777;
    writeFileSync(compiledSchemePath(api), JSON.stringify(compiled));
    const viaCompiled = await urfaclient(core, ['-api', api, '-a', 'core_version']);
    assert.equal(viaCompiled.code, 6);
    assert.match(viaCompiled.stderr, /the core does not know function 0x7777/);
    // Edited after compiling: the XML is parsed again, whatever the compiled form says.
    writeFileSync(api, readFileSync(api, 'utf8').replace('<urfa>', '<urfa>\n<!-- edited -->'));
    const edited = await urfaclient(core, ['-api', api, '-a', 'core_version']);
    assert.equal(edited.code, 0, edited.stderr);
    assert.equal(value(edited.stdout, 'core_version'), 'UTM5-TS 0.1.0');
  });
});
