import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { waitFor } from '@utm5/common/testing';
import { onEveryBackend } from '@utm5/db/testing';
import { rfwTestCore, type RfwTestCore } from '../testing/rfw-fixture';
import { smtpSink, type ReceivedMail, type SmtpSink } from '../testing/smtp-sink';
import { ADMIN } from '../testing/billing-fixture';
import { INIT } from '../testing/core-fixture';
import { urfaInjector } from '../urfa/inject';
import { retryDelay } from './mail-module';
import type { MailRow } from './outbox';

onEveryBackend('e-mail notifications: queued with their event, sent over SMTP, retried, never twice', (backend) => {
  let f: RfwTestCore;
  let smtp: SmtpSink;
  const pdfs = new Map<number, Buffer>();

  /** Invoice PDFs come from documents: a stub here, so the attachment is known byte for byte. */
  const stubDocuments = () => {
    f.core.documents.invoiceFile = async (id: number) => {
      const bytes = pdfs.get(id);
      if (!bytes) throw new Error(`invoice ${id} has no PDF`);
      return { path: `/nonexistent/invoice-${id}.pdf`, bytes };
    };
  };
  const setParams = async (p: Record<string, string>) => {
    for (const [k, v] of Object.entries(p)) await f.core.params.set(k, v);
  };
  const outbox = async (): Promise<MailRow[]> =>
    (await f.core.mail.outbox.list({ from: 0, to: 2 ** 31, status: '', accountId: 0 })).reverse();
  const to = (addr: string) => smtp.mails.filter((m) => m.to.includes(addr));
  /** The mails to `addr` once `n` of them have arrived. */
  const arrived = (addr: string, n = 1) =>
    waitFor(() => to(addr).length >= n && to(addr), 20_000, `${n} mail(s) to ${addr}`) as Promise<ReceivedMail[]>;
  const sentRow = (key: string) =>
    waitFor(
      async () => (await outbox()).find((r) => r.eventKey === key && r.status === 'sent'),
      20_000,
      `${key} marked sent`,
    ) as Promise<MailRow>;
  const pay = (accountId: number, amount: number, more: { notify?: boolean; extNumber?: string } = {}) =>
    f.core.billing.payments.add(ADMIN, {
      accountId,
      amount,
      currencyId: 810,
      paymentDate: f.clock.now(),
      burnDate: 0,
      method: 1,
      adminComment: 'adm',
      comment: 'thanks',
      extNumber: more.extNumber ?? '',
      toInvoice: 0,
      turnOnInet: false,
      ...(more.notify === undefined ? {} : { notify: more.notify }),
    });

  before(async () => {
    smtp = await smtpSink();
    f = await rfwTestCore(backend(), 'mail');
    stubDocuments();
    await setParams({
      smtp_host: '127.0.0.1',
      smtp_port: String(smtp.port),
      smtp_fqdn: 'billing.example.net',
      notification_sender: 'billing',
      // No border crossed by the payments of these tests unless a test sets them.
      notification_borders: '',
      payment_notification_subject: 'Payment {payment.id} to account {account.id}',
      payment_notification_message:
        'Dear {user.full_name}, {payment.amount} was credited to account {account.id} ({payment.comments.user}); ' +
        'balance {account.balance}. {no.such.variable}',
    });
  });
  after(async () => {
    await f.done();
    await smtp.stop();
  });

  test('a payment with notify mails its notification: subject, recipient, sender and body by the parameters', async () => {
    const u = await f.user({ email: 'ivanov@example.org', fullName: 'Ivan Ivanov' });
    const p = await pay(u.accountId, 150.5, { notify: true });
    const [m] = await arrived('ivanov@example.org');
    assert.deepEqual(m!.to, ['ivanov@example.org']);
    assert.equal(m!.from, 'billing@billing.example.net');
    assert.equal(m!.header('subject'), `Payment ${p.id} to account ${u.accountId}`);
    assert.match(m!.header('message-id'), new RegExp(`payment\\.${p.id}@billing\\.example\\.net>$`));
    assert.equal(
      m!.text.trim(),
      `Dear Ivan Ivanov, 150.50 was credited to account ${u.accountId} (thanks); balance 150.50. {no.such.variable}`,
    );
    const row = await sentRow(`payment:${p.id}`);
    assert.equal(row.attempts, 1);
    assert.equal(row.sentAt, f.clock.now());
    assert.ok(
      f.warnings.some((w) => w.includes('no.such.variable')),
      'an unknown variable is logged',
    );
  });

  test('no notify, no address, a rolled back payment: nothing is queued; external payments follow the parameter', async () => {
    const u = await f.user({ email: 'petrov@example.org' });
    const nomail = await f.user({ email: '' });
    const n = (await outbox()).length;
    await pay(u.accountId, 10);
    await pay(u.accountId, 10, { notify: false });
    await pay(nomail.accountId, 10, { notify: true });
    await f.emit({ kind: 'payment', accountId: u.accountId, amount: 1, method: 1, paymentId: 999, notify: true }, true);
    await pay(u.accountId, 10, { extNumber: 'ext-1' });
    assert.equal((await outbox()).length, n, 'nothing queued');
    await setParams({ external_payment_notify: '1' });
    await pay(u.accountId, 10);
    assert.equal((await outbox()).length, n, 'a payment without an external number is no external payment');
    const ext = await pay(u.accountId, 10, { extNumber: 'ext-2' });
    await setParams({ external_payment_notify: '0' });
    const rows = await outbox();
    assert.equal(rows.length, n + 1);
    assert.equal(rows.at(-1)!.eventKey, `payment:${ext.id}`);
  });

  test('a balance falling past a border mails notification_message, with notification_copy_email as Bcc', async () => {
    await setParams({
      notification_borders: '100',
      notification_copy_email: 'noc@example.net',
      notification_message_subject: 'Balance of {account.id} passed {balance.border}',
      notification_message: 'Balance {account.balance}, border {balance.border}.',
    });
    const u = await f.user({ email: 'sidorov@example.org' });
    await pay(u.accountId, 120);
    await pay(u.accountId, -30);
    await setParams({ notification_borders: '' });
    const [m] = await arrived('sidorov@example.org');
    assert.deepEqual([...m!.to].sort(), ['noc@example.net', 'sidorov@example.org']);
    assert.equal(m!.header('subject'), `Balance of ${u.accountId} passed 100.00`);
    assert.equal(m!.header('bcc'), '', 'the copy is not shown to the customer');
    assert.equal(m!.text.trim(), 'Balance 90.00, border 100.00.');
    await sentRow(`balance:${u.accountId}:100000000:${f.clock.now()}:90000000`);
    assert.equal(to('sidorov@example.org').length, 1, 'rising past the border mailed nothing');
  });

  test('an issued invoice is mailed with its PDF attached, to users who want invoices by e-mail, once', async () => {
    await setParams({ invoice_subject: 'Invoice {invoice.id}', invoice_text: 'Dear {user.full_name}, your invoice.' });
    const u = await f.user({ email: 'kuznetsov@example.org', fullName: 'Kuznetsov' });
    const no = await f.user({ email: 'no-invoices@example.org' });
    await f.core.db.knex('users').where({ id: u.userId }).update({ is_send_invoice: true });
    pdfs.set(41, Buffer.from('%PDF-1.4 invoice 41 \u0000\u00ff binary'));
    const n = (await outbox()).length;
    await f.emit({ kind: 'invoice', accountId: no.accountId, invoiceId: 40 });
    await f.emit({ kind: 'invoice', accountId: u.accountId, invoiceId: 41 });
    await f.emit({ kind: 'invoice', accountId: u.accountId, invoiceId: 41 });
    const [m] = await arrived('kuznetsov@example.org');
    assert.deepEqual(m!.to, ['kuznetsov@example.org']);
    assert.equal(m!.header('subject'), 'Invoice 41');
    assert.equal(m!.text.trim(), 'Dear Kuznetsov, your invoice.');
    assert.equal(m!.attachments.length, 1);
    assert.equal(m!.attachments[0]!.filename, 'invoice-41.pdf');
    assert.deepEqual(m!.attachments[0]!.content, pdfs.get(41));
    assert.equal((await outbox()).length, n + 1, 'the same invoice event queues one mail');
    await sentRow('invoice:41');
    assert.equal(to('kuznetsov@example.org').length, 1);
    assert.equal(to('no-invoices@example.org').length, 0);
  });

  test('an invoice whose PDF cannot be made waits and is retried, reported in the outbox', async () => {
    const u = await f.user({ email: 'late-pdf@example.org' });
    await f.core.db.knex('users').where({ id: u.userId }).update({ is_send_invoice: true });
    await f.emit({ kind: 'invoice', accountId: u.accountId, invoiceId: 50 });
    const row = (await waitFor(
      async () => (await outbox()).find((r) => r.invoiceId === 50 && r.attempts >= 1),
      20_000,
      'the failed attempt',
    ))!;
    assert.equal(row.status, 'queued');
    assert.match(row.lastError, /invoice 50 has no PDF/);
    pdfs.set(50, Buffer.from('%PDF late'));
    await f.core.mail.settled();
    await f.clock.advance(retryDelay(1));
    const [m] = await arrived('late-pdf@example.org');
    assert.equal(m!.attachments[0]!.filename, 'invoice-50.pdf');
  });

  test('an SMTP outage delays mails and loses none; each arrives once when the relay is back', async () => {
    const u = await f.user({ email: 'outage@example.org' });
    await smtp.stop();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await pay(u.accountId, 1 + i, { notify: true })).id);
    const failing = (await waitFor(
      async () => {
        const rows = (await outbox()).filter((r) => ids.some((id) => r.eventKey === `payment:${id}`));
        return rows.length === 3 && rows.every((r) => r.attempts >= 1) && rows;
      },
      30_000,
      'the failed attempts',
    )) as MailRow[];
    for (const r of failing) {
      assert.equal(r.status, 'queued');
      assert.notEqual(r.lastError, '');
      assert.ok(r.nextTryAt > f.clock.now(), 'the next try is later');
    }
    await waitFor(
      () => f.warnings.some((w) => w.includes('outage@example.org') && w.includes('not sent')),
      20_000,
      'the failure logged',
    );
    // Still down at the first retry: tried again, still kept.
    await f.core.mail.settled();
    await f.clock.advance(retryDelay(1));
    await waitFor(
      async () => (await outbox()).filter((r) => r.recipient === 'outage@example.org' && r.attempts >= 2).length === 3,
      30_000,
      'the second attempts',
    );
    await smtp.start();
    await f.core.mail.settled();
    await f.clock.advance(retryDelay(2));
    const got = await arrived('outage@example.org', 3);
    assert.deepEqual(
      got.map((m) => m.header('subject')).sort(),
      ids.map((id) => `Payment ${id} to account ${u.accountId}`).sort(),
    );
    for (const id of ids) await sentRow(`payment:${id}`);
    await f.core.mail.sendDue();
    assert.equal(to('outage@example.org').length, 3, 'nothing twice');
  });

  test('across a core restart: a queued mail goes out after it, a sent one is not sent again', async () => {
    const u = await f.user({ email: 'restart@example.org' });
    const sentBefore = await pay(u.accountId, 5, { notify: true });
    await sentRow(`payment:${sentBefore.id}`);
    await smtp.stop();
    const queued = await pay(u.accountId, 6, { notify: true });
    await waitFor(async () => (await outbox()).find((r) => r.eventKey === `payment:${queued.id}`)!.attempts >= 1);
    await f.restart();
    stubDocuments();
    await smtp.start();
    await f.core.mail.retryNow(0);
    const got = await arrived('restart@example.org', 2);
    await sentRow(`payment:${queued.id}`);
    await f.core.mail.sendDue();
    assert.equal(to('restart@example.org').length, 2, 'one mail per payment across the restart');
    assert.equal(got[1]!.header('subject'), `Payment ${queued.id} to account ${u.accountId}`);
    // The same event raised again after the restart queues nothing.
    await f.emit({ kind: 'payment', accountId: u.accountId, amount: 1, method: 1, paymentId: queued.id, notify: true });
    assert.equal((await outbox()).filter((r) => r.eventKey === `payment:${queued.id}`).length, 1);
  });

  test('a recipient the relay refuses is failed for good, reported, and can be retried through URFA', async () => {
    const inject = urfaInjector(f.core);
    const u = await f.user({ email: 'gone@example.org' });
    smtp.refuse(/^gone@/);
    const p = await pay(u.accountId, 7, { notify: true });
    const row = (await waitFor(
      async () => (await outbox()).find((r) => r.eventKey === `payment:${p.id}` && r.status === 'failed'),
      20_000,
      'the refusal',
    ))!;
    assert.match(row.lastError, /550/);
    await waitFor(() => f.warnings.some((w) => w.includes('refused by the relay')), 20_000, 'the refusal logged');
    const list = await inject('utm5ts_mail_outbox', { time_start: 0, time_end: 2 ** 31 - 1, status: 'failed' }, INIT);
    assert.equal(list.get('count'), '1');
    assert.equal(list.get('recipient', 0), 'gone@example.org');
    assert.equal(list.get('last_error', 0), row.lastError);
    smtp.refuse(undefined);
    const r = await inject('utm5ts_mail_retry', { id: row.id }, INIT);
    assert.deepEqual([r.get('requeued'), r.get('sent'), r.get('failed')], ['1', '1', '0']);
    await arrived('gone@example.org');
    assert.equal((await f.core.mail.outbox.byId(row.id))!.status, 'sent');
    await assert.rejects(inject('utm5ts_mail_retry', { id: 999_999 }, INIT), /no mail 999999/);
  });

  test('the shipped templates/mail texts (file: parameters) render every variable they name, in their language', async () => {
    const dir = join(__dirname, '..', '..', '..', '..', 'templates', 'mail');
    for (const lang of ['en', 'ru']) {
      await setParams({
        payment_notification_message: `file:${join(dir, `payment.${lang}.txt`)}`,
        notification_message: `file:${join(dir, `balance.${lang}.txt`)}`,
        invoice_text: `file:${join(dir, `invoice.${lang}.txt`)}`,
        notification_borders: '1000',
      });
      const u = await f.user({ email: `shipped-${lang}@example.org`, fullName: `Shipped ${lang}` });
      await f.core.db.knex('users').where({ id: u.userId }).update({ is_send_invoice: true });
      const warned = f.warnings.length;
      await pay(u.accountId, 1234.5, { notify: true });
      await pay(u.accountId, -500);
      pdfs.set(900 + u.accountId, Buffer.from('%PDF'));
      await f.emit({ kind: 'invoice', accountId: u.accountId, invoiceId: 900 + u.accountId });
      const got = await arrived(`shipped-${lang}@example.org`, 3);
      await setParams({ notification_borders: '' });
      assert.deepEqual(f.warnings.slice(warned), [], 'no unknown variable, no unreadable file');
      for (const m of got) {
        assert.doesNotMatch(m.text, /[{}]/, 'every variable substituted');
        assert.match(m.text, new RegExp(`Shipped ${lang}`));
      }
      const words = lang === 'ru' ? /Одна тысяча двести тридцать четыре рубля 50 копеек/ : /One thousand two hundred/;
      assert.ok(
        got.some((m) => words.test(m.text)),
        `the sum in words (${lang})`,
      );
    }
  });

  test('rpcf_add_payment_for_account_notify (0x3113) credits the payment and queues its mail when notify is 1', async () => {
    const inject = urfaInjector(f.core);
    const u = await f.user({ email: 'urfa@example.org' });
    const r = await inject(
      0x3113,
      { account_id: u.accountId, payment_incurrency: 42, currency_id: 810, actual_date: f.clock.now(), notify: 1 },
      INIT,
    );
    const id = Number(r.get('payment_transaction_id'));
    assert.ok(id > 0);
    const [m] = await arrived('urfa@example.org');
    assert.equal(m!.header('subject'), `Payment ${id} to account ${u.accountId}`);
    await inject(0x3113, { account_id: u.accountId, payment_incurrency: 1, notify: 0 }, INIT);
    assert.ok(!(await outbox()).some((x) => x.eventKey === `payment:${id + 1}`));
  });
});
