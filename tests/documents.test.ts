import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readZip, writeZip } from '@utm5/documents';
import { openDatabase, type Database, type DbSettings } from '@utm5/db';
import { mariaDbUnavailable, sqliteSettings, startMariaDb, type MariaDbServer } from '@utm5/db/testing';
import { UrfaApi } from '@utm5/urfaclient';
import { smtpSink, type SmtpSink } from '@utm5/core/testing';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { runProgram } from './helpers/process';

const DAY = 86400;
/** A UTC midnight 40 days ago: the first monthly period has ended by the wall clock, the second has not. */
const T0 = Math.floor(Date.now() / 1000 / DAY) * DAY - 40 * DAY;
const SOFFICE = '/usr/bin/soffice';

interface Session {
  core: CoreInstance;
  api: UrfaApi;
  call: (name: string, inputs?: Parameters<UrfaApi['call']>[1]) => ReturnType<UrfaApi['call']>;
  db: Database;
  dbSettings: DbSettings;
  close(): Promise<void>;
}

async function session(db: DbSettings | undefined, time: number): Promise<Session> {
  const core = await createCore({
    config: { test_clock: 'enable', timezone: 'UTC', doc_path: join(ROOT, 'templates') },
    ...(db ? { db } : {}),
  });
  const api = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
    host: '127.0.0.1',
    port: core.urfaPort,
    login: 'init',
    password: 'init',
    timeoutMs: 300_000,
  });
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => api.call(name, inputs);
  await call('utm5ts_set_time', { time });
  const dbSettings = db ?? sqliteSettings(join(core.dir, 'utm5.db'));
  const dbh = await openDatabase(dbSettings);
  return {
    core,
    api,
    call,
    db: dbh,
    dbSettings,
    async close() {
      await api.close().catch(() => undefined);
      await dbh.close();
      await core.cleanup();
    },
  };
}

async function billingSetup(call: Session['call']) {
  const period = Number(
    (await call('rpcf_add_discount_period_return', { start_date: T0, periodic_type: 3 })).get('discount_period_id'),
  );
  const service = async (name: string, cost: number, method: number) =>
    Number(
      (
        await call('rpcf_add_periodic_service_ex', {
          parent_id: 0,
          tariff_id: 0,
          service_name: name,
          comment: '',
          link_by_default: 0,
          contract_type: 0,
          cost,
          discount_method: method,
          scheme_id: 0,
        })
      ).get('service_id'),
    );
  return { period, internet: await service('Internet 100', 100, 1), tv: await service('TV 50', 50, 2) };
}

async function addUser(call: Session['call'], login: string, fullName: string, advance = 0, email = '') {
  const u = await call('rpcf_add_user_new', {
    login,
    password: 'pw',
    full_name: fullName,
    balance: 1000,
    advance_payment: advance,
    email,
    is_send_invoice: email ? 1 : 0,
  });
  return { userId: Number(u.get('user_id')), accountId: Number(u.get('basic_account')) };
}

async function link(
  call: Session['call'],
  u: { userId: number; accountId: number },
  serviceId: number,
  period: number,
) {
  await call('rpcf_add_periodic_slink_ex', {
    user_id: u.userId,
    account_id: u.accountId,
    service_id: serviceId,
    discount_period_id: period,
    policy_id: 0,
    start_date: T0,
  });
}

interface Row {
  id: number;
  number: number;
  account_id: number;
  is_prepaid: number | boolean;
  total_sum: number;
}

function scenario(title: string, backend: () => DbSettings | undefined): void {
  describe(title, () => {
    let s: Session;
    let alice: { userId: number; accountId: number };
    let bob: { userId: number; accountId: number };
    let out: string;
    let smtp: SmtpSink;
    before(async () => {
      s = await session(backend(), T0 + 3600);
      smtp = await smtpSink();
      await s.call('utm5ts_set_system_parameter', { name: 'smtp_host', value: '127.0.0.1' });
      await s.call('utm5ts_set_system_parameter', { name: 'smtp_port', value: String(smtp.port) });
      out = mkdtempSync(join(tmpdir(), 'utm5-docs-'));
      const b = await billingSetup(s.call);
      alice = await addUser(s.call, 'alice', 'Alice Liddell', 0, 'alice@example.net');
      bob = await addUser(s.call, 'bob', 'Bob Prepaid', 1);
      for (const u of [alice, bob]) {
        await link(s.call, u, b.internet, b.period);
        await link(s.call, u, b.tv, b.period);
      }
      const p = await s.call('rpcf_get_discount_period', { discount_period_id: b.period });
      await s.call('utm5ts_set_time', { time: Number(p.get('end_date')) + 60 });
    });
    after(async () => {
      await s?.close();
      await smtp?.stop();
      if (out) rmSync(out, { recursive: true, force: true });
    });

    test('the period end issues invoices by the default rule, numbered without gaps, and prepaid ones for the next period', async () => {
      const rows = (await s.db.knex('invoices').orderBy('number')) as Row[];
      // default = tariff.link_id,company.id:service.link_id: each common service in its own invoice. Bob pays in
      // advance: the next period's start fee (Internet) is invoiced at once, by the prepaid rule (single).
      const of = (a: number) => rows.filter((r) => r.account_id === a);
      assert.equal(of(alice.accountId).length, 2);
      assert.equal(of(bob.accountId).length, 3);
      assert.equal(of(bob.accountId).filter((r) => Boolean(Number(r.is_prepaid))).length, 1);
      assert.deepEqual(
        rows.map((r) => Number(r.number)),
        [1, 2, 3, 4, 5],
      );
      const list = await s.call('rpcf_get_invoices_list', {
        aid: alice.accountId,
        time_start: T0,
        time_end: T0 + 400 * DAY,
        gid: 0,
      });
      assert.equal(list.get('accts_size'), '1');
      assert.equal(list.get('count_of_invoice_array', [0]), '2');
      const names = [list.get('name', [0, 0, 0]), list.get('name', [0, 1, 0])].sort();
      assert.deepEqual(names, ['Internet 100', 'TV 50']);
      const sums = [list.get('total_sum_plus_total_tax', [0, 0]), list.get('total_sum_plus_total_tax', [0, 1])]
        .map(Number)
        .sort((a, b) => a - b);
      assert.deepEqual(sums, [50, 100]);
      assert.equal(list.get('full_name', [0, 0]), 'Alice Liddell');
    });

    test('each invoice of a user with "send invoices by e-mail" is mailed with the invoice attached', async () => {
      const ids = (await s.db.knex('invoices').where({ account_id: alice.accountId }).select('id')).map((r) =>
        Number(r['id']),
      );
      for (let i = 0; i < 300 && smtp.mails.length < ids.length; i++) await new Promise((r) => setTimeout(r, 100));
      const mine = smtp.mails.filter((m) => m.to.includes('alice@example.net'));
      assert.equal(mine.length, ids.length, 'one mail per invoice');
      for (const m of mine) {
        assert.equal(m.header('subject'), 'UTM invoice');
        const a = m.attachments[0]!;
        assert.match(a.filename, /^invoice-\d+\.(pdf|odt)$/);
        assert.ok(ids.includes(Number(/\d+/.exec(a.filename)![0])), 'the invoice of that mail');
        assert.equal(a.content.subarray(0, 4).toString('latin1'), existsSync(SOFFICE) ? '%PDF' : 'PK\x03\x04');
      }
      assert.equal(smtp.mails.filter((m) => !m.to.includes('alice@example.net')).length, 0, 'bob asked for no mail');
    });

    test('utm5_document renders an invoice as ODT with the customer, the entries and the total; the stored copy comes back', async () => {
      const inv = (await s.db.knex('invoices').where({ account_id: alice.accountId }).orderBy('number').first()) as Row;
      const cfg = join(out, 'urfaclient.cfg');
      writeFileSync(cfg, `core_host=127.0.0.1\ncore_port=${s.core.urfaPort}\ncore_login=init\ncore_password=init\n`);
      const file = join(out, 'inv.odt');
      const r = await runProgram('utm5_document', [
        '-c',
        cfg,
        'render',
        '--template',
        'invoice',
        '--invoice',
        String(inv.id),
        '-o',
        file,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), file);
      const content = readZip(readFileSync(file)).get('content.xml')!.toString('utf8');
      assert.match(content, /Alice Liddell/);
      assert.ok(/Internet 100/.test(content) || /TV 50/.test(content), 'the entry');
      const stored = await s.db.knex('documents').where({ doc_type: 1, base_id: inv.id, file_type: 'odt' }).first();
      assert.ok(stored && existsSync(String(stored['path'])), 'kept under doc_storage_dir');
      const again = join(out, 'again.odt');
      const r2 = await runProgram('utm5_document', [
        '-c',
        cfg,
        'render',
        '--template',
        'invoice',
        '--invoice',
        String(inv.id),
        '-o',
        again,
      ]);
      assert.equal(r2.code, 0, r2.stderr);
      assert.deepEqual(readFileSync(again), readFileSync(file), 'issued once: the same document again');
      const bad = await runProgram('utm5_document', [
        '-c',
        cfg,
        'render',
        '--template',
        'invoice',
        '--invoice',
        '99999',
        '-o',
        join(out, 'x.odt'),
      ]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /^utm5_document: invoice of invoice 99999: invoice 99999 does not exist/);
      const receipt = await runProgram('utm5_document', [
        '-c',
        cfg,
        'render',
        '--template',
        'receipt',
        '--invoice',
        '1',
      ]);
      assert.equal(receipt.code, 2);
      assert.match(receipt.stderr, /--template receipt needs --payment ID/);
    });

    test('a PDF through LibreOffice shows the customer and the total', async (t) => {
      if (!existsSync(SOFFICE)) {
        t.skip(`no LibreOffice at ${SOFFICE} (apt-get install libreoffice-writer-nogui poppler-utils)`);
        return;
      }
      const inv = (await s.db
        .knex('invoices')
        .where({ account_id: alice.accountId })
        .orderBy('number', 'desc')
        .first()) as Row;
      const r = await s.call('utm5ts_render_document', { doc_type: 1, base_id: inv.id, file_type: 1 });
      assert.equal(r.get('result'), '0', r.get('error'));
      const pdf = join(out, 'inv.pdf');
      writeFileSync(pdf, Buffer.from(r.require('doc_data'), 'base64'));
      const text = spawnSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
      assert.equal(text.status, 0, text.stderr);
      assert.match(text.stdout, /Alice Liddell/);
      // The total in figures and in words (document_language ru, the default).
      assert.match(text.stdout, /Итого с налогом: (100|50)\.00/);
      assert.match(text.stdout, /Сумма прописью: (Сто|Пятьдесят) рублей 00 копеек/);
    });

    test('a profile gives a user its own template; replacements reach the replace modifier; an upload stands for the document', async () => {
      // A template of our own: the stock invoice with a marker and a field through the replace modifier.
      const stock = readZip(readFileSync(join(ROOT, 'templates', 'invoice.odt')));
      const content = stock
        .get('content.xml')!
        .toString('utf8')
        .replace('</office:text>', '<text:p>PROFILE-X {d.user.full_name:replace}</text:p></office:text>');
      const odt = writeZip(
        [...stock].map(([name, data]) => ({ name, data: name === 'content.xml' ? Buffer.from(content) : data })),
      );
      const tpl = Number(
        (
          await s.call('rpcf_create_document_template', {
            doc_type: 1,
            name: 'invoice B',
            odt_data: odt.toString('base64'),
          })
        ).get('result'),
      );
      assert.ok(tpl > 0, 'template uploaded');
      const listed = await s.call('rpcf_get_document_templates_list');
      assert.ok(Number(listed.get('cnt')) >= 8, 'the seven stock templates and ours');
      const prof = Number(
        (
          await s.call('rpcf_create_document_profile', {
            name: 'B',
            count: 1,
            doc_type_array: [1],
            template_id_array: [tpl],
          })
        ).get('result'),
      );
      assert.ok(prof > 0);
      assert.equal(
        (await s.call('rpcf_set_document_profile_for_user', { user_id: bob.userId, profile_id: prof })).get('result'),
        '0',
      );
      assert.equal(
        (await s.call('rpcf_get_document_profile_for_user', { user_id: bob.userId })).get('profile_id'),
        String(prof),
      );
      await s.call('rpcf_set_document_replacement', { key: 'Prepaid', value: 'P.' });
      const reps = await s.call('rpcf_get_document_replacement_list');
      assert.deepEqual([reps.get('key_array', [0]), reps.get('value_array', [0])], ['Prepaid', 'P.']);
      const text = async (base: number) => {
        const r = await s.call('rpcf_get_document', { user_id: 0, doc_type: 1, base_id: base, file_type: 0 });
        assert.equal(r.get('result'), '0');
        return readZip(Buffer.from(r.require('doc_data'), 'base64'))
          .get('content.xml')!
          .toString('utf8');
      };
      const bobs = (await s.db.knex('invoices').where({ account_id: bob.accountId }).orderBy('number').first()) as Row;
      assert.match(await text(bobs.id), /PROFILE-X Bob P\./, "bob's profile template, with the replacement");
      const alices = (await s.db
        .knex('invoices')
        .where({ account_id: alice.accountId })
        .orderBy('number', 'desc')
        .first()) as Row;
      assert.doesNotMatch(await text(alices.id), /PROFILE-X/, 'alice keeps the default template');
      // An upload (a signed copy) is what rpcf_get_document returns from then on; reverting renders it again.
      await s.call('rpcf_upload_document', {
        user_id: bob.userId,
        doc_type: 1,
        base_id: bobs.id,
        odt_data: odt.toString('base64'),
      });
      assert.match(await text(bobs.id), /PROFILE-X \{d\.user\.full_name:replace\}/, 'the uploaded file as it was');
      assert.equal(
        (await s.call('rpcf_revert_document', { user_id: 0, doc_type: 1, base_id: bobs.id })).get('result'),
        '0',
      );
      assert.match(await text(bobs.id), /PROFILE-X Bob P\./);
      const refused = await s
        .call('rpcf_create_document_template', {
          doc_type: 1,
          name: 'junk',
          odt_data: Buffer.from('not a zip').toString('base64'),
        })
        .catch((e: Error) => e);
      assert.ok(
        refused instanceof Error && /template not created/.test(refused.message),
        'a non-ODT upload is refused',
      );
    });

    test('customers see their own invoices only; a manual invoice takes the next number and leaves the balance', async () => {
      const cust = await UrfaApi.open(join(ROOT, 'xml', 'api.xml'), {
        host: '127.0.0.1',
        port: s.core.urfaPort,
        login: 'alice',
        password: 'pw',
        loginType: 0,
      });
      try {
        const mine = await cust.call('rpcf_user5_get_invoices_list', { time_start: T0, time_end: T0 + 400 * DAY });
        assert.equal(mine.get('accts_size'), '1');
        assert.equal(mine.get('count_of_invoice_array', [0]), '2');
        await s.call('utm5ts_set_system_parameter', { name: 'provider_bank_bic', value: '044525225' });
        const slip = await cust.call('rpcf_user5_get_invoice_data_new');
        assert.deepEqual([slip.get('basic_account'), slip.get('bank_bic')], [String(alice.accountId), '044525225']);
        const bobs = (await s.db.knex('invoices').where({ account_id: bob.accountId }).first()) as Row;
        assert.equal((await cust.call('rpcf_user5_get_invoice', { invoice_id: bobs.id })).get('invoice_id'), '0');
      } finally {
        await cust.close();
      }
      const before = await s.db.knex('accounts').where({ id: alice.accountId }).first('balance');
      const m = await s.call('rpcf_new_invoice', {
        account_id: alice.accountId,
        gen_date: 0,
        ap_id: 0,
        name: ['Installation'],
        qnt: [1],
        base_cost: [300],
        sum_cost: [300],
      });
      const id = Number(m.get('id'));
      const row = (await s.db.knex('invoices').where({ id }).first()) as Row;
      assert.equal(Number(row.number), 6);
      assert.deepEqual(await s.db.knex('accounts').where({ id: alice.accountId }).first('balance'), before);
      const e = await s.call('rpcf_get_doc_invoices_entries', { invoice_id: id });
      assert.deepEqual([e.get('size'), e.get('name', [0]), e.get('sum_cost', [0])], ['1', 'Installation', '300']);
      assert.equal((await s.call('rpcf_delete_invoice', { invoice_id: id })).get('result'), '0');
      // The alternative number: a numbering of its own per provider, in the format's width.
      await s.call('utm5ts_set_system_parameter', { name: 'provider_number_format', value: 'ABC#{alt_number(5)}-DE' });
      const alt = Number(
        (
          await s.call('rpcf_new_invoice', {
            account_id: alice.accountId,
            gen_date: 0,
            ap_id: 0,
            name: ['Router'],
            qnt: [1],
            base_cost: [10],
            sum_cost: [10],
          })
        ).get('id'),
      );
      const altRow = await s.db.knex('invoices').where({ id: alt }).first();
      assert.equal(altRow?.['ext_num'], 'ABC#00001-DE');
      await s.call('utm5ts_set_system_parameter', { name: 'provider_number_format', value: '' });
      assert.equal(await s.db.knex('invoices').where({ id }).first(), undefined);
    });

    test('a one-time service is invoiced as soon as it is charged', async () => {
      const svc = Number(
        (
          await s.call('rpcf_add_once_service_ex', {
            parent_id: 0,
            tariff_id: 0,
            service_name: 'Installation fee',
            comment: '',
            link_by_default: 0,
            contract_type: 0,
            cost: 30,
            drop_from_group: 0,
          })
        ).get('service_id'),
      );
      const last = Number((await s.db.knex('invoices').max({ n: 'number' }))[0]!['n']);
      const now = Number((await s.call('utm5ts_get_time')).get('now'));
      await s.call('rpcf_add_once_slink_ex', {
        user_id: alice.userId,
        account_id: alice.accountId,
        service_id: svc,
        discount_date: now,
      });
      const inv = (await s.db.knex('invoices').where('number', '>', last).orderBy('number')) as Row[];
      assert.equal(inv.length, 1, 'one invoice, at once');
      assert.equal(Number(inv[0]!.number), last + 1);
      const e = await s.call('rpcf_get_doc_invoices_entries', { invoice_id: inv[0]!.id });
      assert.deepEqual([e.get('name', [0]), e.get('sum_cost', [0])], ['Installation fee', '30']);
    });

    test('utm5_document invoices renders a window of invoices into a directory; old documents are cleaned after doc_keep_days', async () => {
      const cfg = join(out, 'urfaclient.cfg');
      const dir = join(out, 'batch');
      const all = await s.db.knex('invoices').count({ n: '*' });
      const r = await runProgram('utm5_document', [
        '-c',
        cfg,
        'invoices',
        '--from',
        String(T0),
        '--to',
        String(T0 + 400 * DAY),
        '--format',
        'odt',
        '-d',
        dir,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const paths = r.stdout.trim().split('\n');
      assert.equal(paths.length, Number(all[0]!['n']));
      for (const p of paths) assert.ok(existsSync(p) && /invoice-\d+\.odt$/.test(p), p);
      assert.match(r.stderr, new RegExp(`${paths.length} of ${paths.length} invoices written`));
      const one = await runProgram('utm5_document', [
        '-c',
        cfg,
        'invoices',
        '--from',
        String(T0),
        '--to',
        String(T0 + 400 * DAY),
        '--account',
        String(bob.accountId),
        '--format',
        'odt',
        '-d',
        dir,
      ]);
      assert.equal(one.stdout.trim().split('\n').length, 3, "bob's three invoices");
      const bad = await runProgram('utm5_document', ['-c', cfg, 'invoices', '--from', '10', '--to', '5']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--to 5 is not after --from 10/);
      // The invoices report with documents: what is kept of each and whether its mail went out.
      const docs = await s.call('rpcf_get_invoices_doc_list', {
        aid: alice.accountId,
        time_start: T0,
        time_end: T0 + 400 * DAY,
        gid: 0,
        doc_type: 1,
      });
      const n = Number(docs.get('count_of_invoice_array', [0]));
      assert.ok(n >= 2);
      for (let j = 0; j < n; j++) {
        assert.equal(docs.get('odt_status', [0, j]), '1', 'each was rendered as ODT just now');
        const mailed = Number(docs.get('is_pdf_mailed', [0, j])) + Number(docs.get('is_odt_mailed', [0, j]));
        const id = Number(docs.get('id', [0, j]));
        const wasMailed = smtp.mails.some((m) => m.attachments.some((a) => a.filename.startsWith(`invoice-${id}.`)));
        assert.equal(mailed, wasMailed ? 1 : 0, `invoice ${id} mailed`);
      }
      // doc_keep_days: the daily documents_cleaner removes what is older, files and rows.
      const kept = (await s.db.knex('documents').select('path')).map((x) => String(x['path']));
      assert.ok(kept.length > 0 && kept.every((p) => existsSync(p)));
      await s.call('utm5ts_set_system_parameter', { name: 'doc_keep_days', value: '1' });
      await s.call('utm5ts_advance_time', { seconds: 2 * DAY });
      const ran = await s.call('utm5ts_system_service_run', { name: 'documents_cleaner' });
      assert.equal(ran.get('result'), '0', ran.get('error'));
      assert.equal(Number((await s.db.knex('documents').count({ n: '*' }))[0]!['n']), 0);
      assert.ok(
        kept.every((p) => !existsSync(p)),
        'the files are gone too',
      );
    });
  });
}

scenario('invoices and documents (SQLite)', () => undefined);

describe(
  'invoices and documents on MariaDB',
  { skip: process.env['UTM5_SKIP_MARIADB'] ? 'UTM5_SKIP_MARIADB is set' : (mariaDbUnavailable() ?? false) },
  () => {
    let server: MariaDbServer;
    before(async () => {
      server = await startMariaDb();
    });
    after(async () => {
      await server?.stop();
    });
    scenario('the same invoices', () => server.settings('utm5_documents'));
  },
);

describe('invoice numbering across kill -9 of the core in the middle of a period end', () => {
  const ACCOUNTS = 1000;
  let s: Session;
  before(async () => {
    s = await session(undefined, T0 + 3600);
    await s.call('utm5ts_set_system_parameter', { name: 'invoice_rules', value: 'single' });
    const b = await billingSetup(s.call);
    for (let i = 0; i < ACCOUNTS; i++) await link(s.call, await addUser(s.call, `u${i}`, `User ${i}`), b.tv, b.period);
  });
  after(async () => {
    await s?.close();
  });

  test('no gap, no repeat, every account invoiced once after the restart finishes the close', async () => {
    const p = (await s.db.knex('discount_periods').orderBy('id').first())!;
    // The close runs while this call waits; the core is killed once its first batches have committed.
    const closing = s.call('utm5ts_set_time', { time: Number(p['end_date']) + 60 }).catch(() => undefined);
    const count = async () => Number((await s.db.knex('invoices').count({ n: '*' }))[0]!['n']);
    let seen = 0;
    for (let i = 0; i < 3000 && seen === 0; i++) {
      seen = await count();
      if (seen === 0) await new Promise((r) => setTimeout(r, 10));
    }
    process.kill(s.core.proc.pid, 'SIGKILL');
    await closing;
    await s.core.proc.exited;
    const atKill = await count();
    assert.ok(atKill > 0 && atKill < ACCOUNTS, `killed in the middle (${atKill} of ${ACCOUNTS} invoiced)`);
    // Restarted, the core (its clock back on the wall clock, past the period's end) finishes the interrupted close.
    await s.core.start();
    for (let i = 0; i < 600 && (await count()) < ACCOUNTS; i++) await new Promise((r) => setTimeout(r, 100));
    const rows = (await s.db.knex('invoices').orderBy('number').select('number', 'account_id')) as Row[];
    assert.equal(rows.length, ACCOUNTS);
    assert.deepEqual(
      rows.map((r) => Number(r.number)),
      Array.from({ length: ACCOUNTS }, (_, i) => i + 1),
      'numbers 1..N',
    );
    assert.equal(new Set(rows.map((r) => r.account_id)).size, ACCOUNTS, 'one invoice per account');
  });
});
