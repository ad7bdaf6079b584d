import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { waitFor } from '@utm5/common/testing';
import { smtpSink, type ReceivedMail, type SmtpSink } from '@utm5/core/testing';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';
import { urfaclient, value } from './helpers/urfa';

const API = join(ROOT, 'xml', 'api.xml');

/**
 * E-mail notifications from the real utm5_core process to a real SMTP server on loopback: the payment notification
 * of rpcf_add_payment_for_account_notify arrives; with the relay down the mails wait in the outbox, survive kill -9
 * of the core, and each arrives once after the restart.
 */
describe('e-mail notifications from utm5_core over SMTP', () => {
  let core: CoreInstance;
  let api: UrfaApi;
  let smtp: SmtpSink;
  let account = '';
  const connect = () => UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });
  const to = (addr: string) => smtp.mails.filter((m) => m.to.includes(addr));
  const outbox = async () => {
    const r = await api.call('utm5ts_mail_outbox', { time_start: 0, time_end: 2 ** 31 - 1 });
    const n = Number(r.get('count'));
    return Array.from({ length: n }, (_, i) => ({
      id: Number(r.get('id', [i])),
      subject: r.get('subject', [i])!,
      status: r.get('status', [i])!,
      attempts: Number(r.get('attempts', [i])),
      lastError: r.get('last_error', [i])!,
    }));
  };
  const pay = async (amount: number) =>
    Number(
      (
        await api.call('rpcf_add_payment_for_account_notify', {
          account_id: account,
          payment_incurrency: amount,
          currency_id: 810,
          actual_date: Math.floor(Date.now() / 1000),
          method: 1,
          notify: 1,
        })
      ).get('payment_transaction_id'),
    );

  before(async () => {
    smtp = await smtpSink();
    core = await createCore();
    api = await connect();
    for (const [name, v] of Object.entries({
      smtp_host: '127.0.0.1',
      smtp_port: String(smtp.port),
      smtp_fqdn: 'isp.example.net',
      notification_sender: 'billing@isp.example.net',
      // Only the payment notifications here: no balance border.
      notification_borders: '',
      payment_notification_subject: 'Payment {payment.id}',
      payment_notification_message: 'Dear {user.full_name}, {payment.amount} was credited to {account.id}.',
    }))
      await api.call('utm5ts_set_system_parameter', { name, value: v });
    const u = await api.call('rpcf_add_user_new', {
      login: 'mailuser',
      password: 'pw',
      full_name: 'Mail User',
      email: 'customer@example.org',
    });
    account = u.get('basic_account')!;
  });
  after(async () => {
    await api.close();
    await core.cleanup();
    await smtp.stop();
  });

  test('rpcf_add_payment_for_account_notify: the notification arrives with its subject, sender and recipient', async () => {
    const id = await pay(100);
    assert.ok(id > 0);
    const [m] = (await waitFor(
      () => to('customer@example.org').length === 1 && to('customer@example.org'),
      30_000,
    )) as ReceivedMail[];
    assert.equal(m!.header('subject'), `Payment ${id}`);
    assert.equal(m!.from, 'billing@isp.example.net');
    assert.equal(m!.text.trim(), `Dear Mail User, 100.00 was credited to ${account}.`);
    await waitFor(async () => (await outbox()).some((r) => r.subject === `Payment ${id}` && r.status === 'sent'));
  });

  test('the relay down: mails wait in the outbox, survive kill -9 of the core, and arrive once after it', async () => {
    await smtp.stop();
    const ids = [await pay(1), await pay(2), await pay(3)];
    const subjects = ids.map((id) => `Payment ${id}`);
    await waitFor(
      async () => {
        const rows = (await outbox()).filter((r) => subjects.includes(r.subject));
        return rows.length === 3 && rows.every((r) => r.status === 'queued' && r.attempts >= 1 && r.lastError);
      },
      30_000,
      'the failed attempts in the outbox',
    );
    const listed = await urfaclient(core, ['-a', 'mail_outbox', '-time_start', '0', '-status', 'queued']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(value(listed.stdout, 'count'), '3', 'the action script lists the waiting mails');
    await api.close();
    core.proc.child.kill('SIGKILL');
    assert.equal(await core.proc.exited, 'SIGKILL');
    await smtp.start();
    await core.start();
    api = await connect();
    // The restarted core sends what was left queued on its own.
    const got = (await waitFor(
      () => to('customer@example.org').length >= 4 && to('customer@example.org'),
      30_000,
    )) as ReceivedMail[];
    assert.deepEqual(
      got
        .slice(1)
        .map((m) => m.header('subject'))
        .sort(),
      [...subjects].sort(),
    );
    await waitFor(async () => (await outbox()).every((r) => r.status === 'sent'), 30_000, 'every mail marked sent');
    const again = await api.call('utm5ts_mail_retry', { id: 0 });
    assert.equal(again.get('requeued'), '0', 'nothing is left to send');
    assert.equal(to('customer@example.org').length, 4, 'no mail twice');
  });
});
