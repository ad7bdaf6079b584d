import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@utm5/db';
import { sqliteSettings } from '@utm5/db/testing';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { runProgram, startProgram } from './helpers/process';

const API = join(ROOT, 'xml', 'api.xml');

describe('utm5_payment_tool --batch against utm5_core', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  let dir: string;
  const pt = (args: string[], input?: string) =>
    runProgram('utm5_payment_tool', ['-h', '127.0.0.1', '-P', String(core.urfaPort), ...args], {
      cwd: ROOT,
      ...(input !== undefined ? { input } : {}),
      timeoutMs: 120_000,
    });
  const balance = async (acc: string) => (await api.call('rpcf_get_accountinfo', { account_id: acc })).get('balance');
  const newAccount = async (login: string) =>
    (await api.call('rpcf_add_user_new', { login, password: 'pw' })).get('basic_account')!;
  const connect = () => UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });

  before(async () => {
    core = await createCore();
    api = await connect();
    dir = mkdtempSync(join(tmpdir(), 'pt-batch-'));
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  test('good, bad-amount, unknown-account, negative and duplicate lines: one answer a line, exit 1; a re-run credits nothing', async () => {
    const acc = await newAccount('batch1');
    const file = join(dir, 'day.csv');
    writeFileSync(
      file,
      [
        'account,amount,external_number,method,comment',
        `${acc},100,GW-1,1,first`,
        `${acc},50.50,GW-2,,"second, with a comma"`,
        `${acc},ten,GW-3,1,bad amount`,
        '999999,5,GW-4,1,unknown account',
        `${acc},-5,GW-5,1,negative`,
        '# a comment line, and a blank one',
        '',
        `${acc},7,GW-1,1,the first line's number again`,
      ].join('\n') + '\n',
    );
    const r = await pt(['--batch', file]);
    assert.equal(r.code, 1, 'a refused line makes the exit status 1');
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 6, r.stdout);
    const [l2, l3, l4, l5, l6, l9] = lines.map((l) => l.split('\t'));
    assert.deepEqual([l2![0], l2![1]], ['2', 'credited']);
    assert.deepEqual([l3![0], l3![1]], ['3', 'credited']);
    assert.match(l2![2]!, /^\d+$/);
    assert.notEqual(l2![2], l3![2]);
    assert.deepEqual(l4, [
      '4',
      'refused',
      "bad amount 'ten' (amount): give a non-zero decimal number such as 100 or 99.50",
    ]);
    assert.deepEqual(l5, ['5', 'refused', 'payment refused: no account 999999']);
    assert.equal(l6![0], '6');
    assert.equal(l6![1], 'refused');
    assert.match(l6![2]!, /^negative amount '-5'/);
    assert.deepEqual(l9, ['9', 'duplicate', l2![2]], 'the first transaction id of GW-1');
    assert.equal(r.stderr, 'utm5_payment_tool: 6 lines: 2 credited, 1 already credited, 3 refused\n');
    assert.equal(await balance(acc), '150.5');

    const again = await pt(['--batch', file]);
    assert.equal(again.code, 1);
    const ids = again.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    assert.deepEqual(ids[0], ['2', 'duplicate', l2![2]]);
    assert.deepEqual(ids[1], ['3', 'duplicate', l3![2]]);
    assert.deepEqual(ids[5], ['9', 'duplicate', l2![2]]);
    assert.equal(await balance(acc), '150.5', 're-running the file credits nothing twice');
  });

  test('standard input with -; the other keys fill the columns a file leaves out; a bad header is a usage error', async () => {
    const acc = await newAccount('batch2');
    const r = await pt(['--batch', '-', '-L', 'from the gateway'], `account,amount,ext_number\n${acc},12,S-1\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^2\tcredited\t\d+\n$/);
    assert.equal(await balance(acc), '12');
    const bad = await pt(['--batch', '-'], 'account,amount,colour\n1,2,3\n');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--batch -: line 1: unknown column 'colour'/);
    const noExt = await pt(['--batch', '-'], `account,amount\n${acc},2\n`);
    assert.equal(noExt.code, 2);
    assert.match(noExt.stderr, /the header needs the columns account, amount and external_number/);
    assert.equal(await balance(acc), '12');
  });

  test('a batch cut by a kill -9 of the core, re-sent after the restart, credits each number once', async () => {
    const acc = await newAccount('batch3');
    const n = 1500;
    let csv = 'account,amount,external_number\n';
    for (let i = 1; i <= n; i++) csv += `${acc},1,K-${i}\n`;
    const file = join(dir, 'kill.csv');
    writeFileSync(file, csv);
    const run = startProgram('utm5_payment_tool', ['-h', '127.0.0.1', '-P', String(core.urfaPort), '--batch', file], {
      cwd: ROOT,
    });
    await run.waitForOutput(/\n101\tcredited\t/, 120_000);
    await api.close();
    process.kill(core.proc.pid, 'SIGKILL'); // only the core this test started
    await core.proc.exited;
    const cut = await run.exited;
    assert.notEqual(cut, 0);
    assert.match(run.output(), /batch stopped at line \d+: that line and the ones after it may not be credited/);
    const answered = (run.output().match(/\tcredited\t/g) ?? []).length;
    assert.ok(answered < n, 'the kill came before the end of the file');

    await core.start();
    api = await connect();
    const resent = await pt(['--batch', file]);
    assert.equal(resent.code, 0, resent.stderr);
    const answers = resent.stdout.trimEnd().split('\n');
    assert.equal(answers.length, n);
    assert.ok(answers.every((l) => /^\d+\t(credited|duplicate)\t\d+$/.test(l)));
    assert.ok(answers.filter((l) => l.includes('\tduplicate\t')).length >= answered);

    const db = await openDatabase(sqliteSettings(join(core.dir, 'utm5.db')));
    try {
      const rows = (await db
        .knex('payment_transactions')
        .where('payment_ext_number', 'like', 'K-%')
        .groupBy('payment_ext_number')
        .select('payment_ext_number')
        .count({ n: '*' })) as { payment_ext_number: string; n: number }[];
      assert.equal(rows.length, n, 'every number credited');
      assert.deepEqual(
        rows.filter((r) => Number(r.n) !== 1),
        [],
        'no number credited twice',
      );
    } finally {
      await db.close();
    }
    assert.equal(await balance(acc), String(n));
  });
});
