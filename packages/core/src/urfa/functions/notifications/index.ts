import { L } from '@utm5/protocol';
import { badInput } from '../../../billing/billing-error';
import { MAIL_STATUSES, OUTBOX_LIST_MAX } from '../../../notifications/outbox';
import { actorOf, defineFunction, guarded, type CoreFunction } from '../../core-function';

const ROW = { index: 'i' };

export const addPaymentForAccountNotify = defineFunction(
  'rpcf_add_payment_for_account_notify',
  0x3113,
  {
    comment:
      'rpcf_add_payment_for_account with the payment notification by e-mail (notify 1): the mail is queued with the ' +
      'payment; the hash input is not used (the core makes its own)',
    input: [
      L.int('account_id'),
      L.int('param', { default: '0' }),
      L.double('payment_incurrency'),
      L.int('currency_id', { default: '810' }),
      L.int('actual_date', { default: 'now()' }),
      L.int('burn_time', { default: '0' }),
      L.int('method', { default: '1' }),
      L.str('admin_comment', { default: '' }),
      L.str('comment', { default: '' }),
      L.str('payment_ext_number', { default: '' }),
      L.int('payment_to_invoice', { default: '0' }),
      L.int('turn_on_inet', { default: '1' }),
      L.int('notify', { default: '1' }),
      L.str('hash', { default: '' }),
    ],
    output: [
      L.int('payment_transaction_id'),
      L.if('payment_transaction_id', 'eq', '0', [L.error('13', 'payment failed (the core log says why)')]),
    ],
    docs: {
      account_id: 'account to credit',
      param: 'not used',
      payment_incurrency: 'amount in the payment currency',
      currency_id: 'ISO 4217 code of the payment currency',
      actual_date: 'when the money was paid (unix time)',
      burn_time: 'unix time the payment expires (mandatory for credit payments); 0 for none',
      method: 'payment method id (1 cash, 2 wire transfer, 3 card, 4 credit ...)',
      admin_comment: 'comment for administrators',
      comment: 'comment for the customer',
      payment_ext_number: 'external payment number: a retry with the same number and method credits nothing',
      payment_to_invoice: 'invoice the payment settles (0 none)',
      turn_on_inet: '1 turns the Internet on when the funds allow',
      notify: '1 mails the customer the payment notification (payment_notification_message)',
      hash: 'not used',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    return guarded(
      ctx,
      call,
      `payment to account ${a.int('account_id')}`,
      async () => {
        const r = await ctx.billing.payments.add(actorOf(call), {
          accountId: a.int('account_id'),
          amount: a.double('payment_incurrency'),
          currencyId: a.int('currency_id'),
          paymentDate: a.int('actual_date'),
          burnDate: a.int('burn_time'),
          method: a.int('method'),
          adminComment: a.str('admin_comment'),
          comment: a.str('comment'),
          extNumber: a.str('payment_ext_number'),
          toInvoice: a.int('payment_to_invoice'),
          turnOnInet: a.int('turn_on_inet') !== 0,
          notify: a.int('notify') !== 0,
        });
        return { payment_transaction_id: r.id };
      },
      () => ({ payment_transaction_id: 0 }),
    );
  },
);

export const mailOutbox = defineFunction(
  'utm5ts_mail_outbox',
  0x600000e0,
  {
    comment:
      'UTM5-TS extension: the e-mail notifications queued in a time window (created_at), newest first (at most ' +
      `${OUTBOX_LIST_MAX}), with a status filter ('' all, ${MAIL_STATUSES.join(', ')}): recipient, subject, ` +
      'attempts, next try, sent time and the last error of each',
    input: [
      L.int('time_start'),
      L.int('time_end', { default: 'now()' }),
      L.str('status', { default: '' }),
      L.int('account_id', { default: '0' }),
    ],
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.long('id', ROW),
        L.str('kind', ROW),
        L.int('account_id', ROW),
        L.int('invoice_id', ROW),
        L.str('recipient', ROW),
        L.str('subject', ROW),
        L.str('status', ROW),
        L.int('attempts', ROW),
        L.int('created_at', ROW),
        L.int('next_try_at', ROW),
        L.int('sent_at', ROW),
        L.str('last_error', ROW),
      ]),
    ],
    docs: {
      time_start: 'unix time: mails queued at or after it',
      time_end: 'unix time: mails queued at or before it',
      status: `'' every status, or one of ${MAIL_STATUSES.join(', ')} (failed: refused by the relay, not retried)`,
      account_id: 'only the mails of this account (0 every account)',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const status = a.str('status');
    if (status && !(MAIL_STATUSES as readonly string[]).includes(status))
      throw badInput(`utm5ts_mail_outbox: status '${status}': '' or one of ${MAIL_STATUSES.join(', ')}`);
    const rows = await ctx.mail.outbox.list({
      from: a.int('time_start'),
      to: a.int('time_end'),
      status,
      accountId: a.int('account_id'),
    });
    return {
      count: rows.length,
      id: rows.map((r) => r.id),
      kind: rows.map((r) => r.kind),
      account_id: rows.map((r) => r.accountId),
      invoice_id: rows.map((r) => r.invoiceId),
      recipient: rows.map((r) => r.recipient),
      subject: rows.map((r) => r.subject),
      status: rows.map((r) => r.status),
      attempts: rows.map((r) => r.attempts),
      created_at: rows.map((r) => r.createdAt),
      next_try_at: rows.map((r) => r.nextTryAt),
      sent_at: rows.map((r) => r.sentAt),
      last_error: rows.map((r) => r.lastError),
    };
  },
);

export const mailRetry = defineFunction(
  'utm5ts_mail_retry',
  0x600000e1,
  {
    comment:
      'UTM5-TS extension: tries a queued or refused mail again now (id 0: every one), e.g. once the relay is fixed, ' +
      'and says how many were sent and how many failed again',
    input: [L.long('id', { default: '0' })],
    output: [L.int('requeued'), L.int('sent'), L.int('failed')],
    docs: { id: 'the mail (utm5ts_mail_outbox), 0 every queued and refused mail' },
  },
  async (call, ctx) => {
    const r = await ctx.mail.retryNow(call.args.long('id'));
    return { requeued: r.requeued, sent: r.sent, failed: r.failed };
  },
);

/** The URFA functions of e-mail notifications. */
export const MAIL_FUNCTIONS: readonly CoreFunction[] = [addPaymentForAccountNotify, mailOutbox, mailRetry];
