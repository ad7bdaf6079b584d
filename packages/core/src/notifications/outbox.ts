import type { Database, Knex } from '@utm5/db';

export const MAIL_KINDS = ['payment', 'balance', 'invoice'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export const MAIL_STATUSES = ['queued', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** At most this many rows in one outbox listing (the newest). */
export const OUTBOX_LIST_MAX = 1000;

export interface NewMail {
  readonly eventKey: string;
  readonly kind: MailKind;
  readonly accountId: number;
  readonly userId: number;
  readonly invoiceId: number;
  readonly sender: string;
  readonly recipient: string;
  readonly copyTo: string;
  readonly subject: string;
  readonly body: string;
}

export interface MailRow extends NewMail {
  readonly id: number;
  readonly status: MailStatus;
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextTryAt: number;
  readonly sentAt: number;
  readonly lastError: string;
}

function toRow(r: Record<string, unknown>): MailRow {
  return {
    id: Number(r['id']),
    eventKey: String(r['event_key']),
    kind: String(r['kind']) as MailKind,
    accountId: Number(r['account_id']),
    userId: Number(r['user_id']),
    invoiceId: Number(r['invoice_id']),
    sender: String(r['sender']),
    recipient: String(r['recipient']),
    copyTo: String(r['copy_to']),
    subject: String(r['subject']),
    body: String(r['body']),
    status: String(r['status']) as MailStatus,
    attempts: Number(r['attempts']),
    createdAt: Number(r['created_at']),
    nextTryAt: Number(r['next_try_at']),
    sentAt: r['sent_at'] === null || r['sent_at'] === undefined ? 0 : Number(r['sent_at']),
    lastError: String(r['last_error']),
  };
}

/** The mail_outbox table: the notifications to send, their attempts and how they ended. */
export class Outbox {
  constructor(private readonly db: Database) {}

  /** Queues a mail in the event's transaction; false when a mail of that event is already queued (or sent). */
  async queue(trx: Knex.Transaction, m: NewMail, now: number): Promise<boolean> {
    const before = await trx('mail_outbox').where({ event_key: m.eventKey }).first('id');
    if (before) return false;
    await trx('mail_outbox')
      .insert({
        event_key: m.eventKey.slice(0, 128),
        kind: m.kind,
        account_id: m.accountId,
        user_id: m.userId,
        invoice_id: m.invoiceId,
        sender: m.sender.slice(0, 255),
        recipient: m.recipient.slice(0, 255),
        copy_to: m.copyTo.slice(0, 255),
        subject: m.subject.slice(0, 255),
        body: m.body,
        status: 'queued',
        attempts: 0,
        created_at: now,
        next_try_at: now,
        last_error: '',
      })
      .onConflict('event_key')
      .ignore();
    return true;
  }

  /** Queued mails whose next try is due, oldest first. */
  async due(now: number, limit: number): Promise<MailRow[]> {
    const rows = await this.db
      .knex('mail_outbox')
      .where({ status: 'queued' })
      .where('next_try_at', '<=', now)
      .orderBy('id')
      .limit(limit);
    return rows.map(toRow);
  }

  /** The earliest next try of the queued mails (undefined when none waits). */
  async nextTry(): Promise<number | undefined> {
    const r = await this.db.knex('mail_outbox').where({ status: 'queued' }).min({ t: 'next_try_at' }).first();
    return r?.t === null || r?.t === undefined ? undefined : Number(r.t);
  }

  async sent(id: number, now: number): Promise<void> {
    await this.db
      .knex('mail_outbox')
      .where({ id })
      .update({ status: 'sent', sent_at: now, attempts: this.db.knex.raw('attempts + 1'), last_error: '' });
  }

  /** A failed attempt: tried again at nextTry, or 'failed' for good when the relay refused the mail itself. */
  async attemptFailed(id: number, error: string, nextTry: number, permanent: boolean): Promise<number> {
    await this.db
      .knex('mail_outbox')
      .where({ id })
      .update({
        status: permanent ? 'failed' : 'queued',
        next_try_at: nextTry,
        attempts: this.db.knex.raw('attempts + 1'),
        last_error: error.slice(0, 255),
      });
    const r = await this.db.knex('mail_outbox').where({ id }).first('attempts');
    return Number(r?.attempts ?? 0);
  }

  /** Makes every queued mail due now (at a start: a restart is often the fix of the relay), returns how many. */
  async queuedDueNow(now: number): Promise<number> {
    return this.db
      .knex('mail_outbox')
      .where({ status: 'queued' })
      .where('next_try_at', '>', now)
      .update({ next_try_at: now });
  }

  /** Makes queued and failed mails (one, or every one when id is 0) due now; returns how many. */
  async retryNow(id: number, now: number): Promise<number> {
    const q = this.db.knex('mail_outbox').whereIn('status', ['queued', 'failed']);
    if (id !== 0) q.where({ id });
    return q.update({ status: 'queued', next_try_at: now });
  }

  /** Of these invoices, the ones whose invoice mail was delivered. */
  async invoicesMailed(invoiceIds: readonly number[]): Promise<Set<number>> {
    if (invoiceIds.length === 0) return new Set();
    const rows = await this.db
      .knex('mail_outbox')
      .whereIn('invoice_id', invoiceIds)
      .andWhere({ kind: 'invoice', status: 'sent' })
      .distinct('invoice_id');
    return new Set(rows.map((r: Record<string, unknown>) => Number(r['invoice_id'])));
  }

  async byId(id: number): Promise<MailRow | undefined> {
    const r = await this.db.knex('mail_outbox').where({ id }).first();
    return r ? toRow(r) : undefined;
  }

  /** Mails queued in [from, to] (to inclusive: a default of now() lists this second's), newest first, filtered. */
  async list(f: { from: number; to: number; status: string; accountId: number }): Promise<MailRow[]> {
    const q = this.db
      .knex('mail_outbox')
      .where('created_at', '>=', f.from)
      .where('created_at', '<=', f.to)
      .orderBy('id', 'desc')
      .limit(OUTBOX_LIST_MAX);
    if (f.status) q.where({ status: f.status });
    if (f.accountId) q.where({ account_id: f.accountId });
    return (await q).map(toRow);
  }

  /** How many mails are in each status (the outbox service's one-line result). */
  async counts(): Promise<Record<MailStatus, number>> {
    const out: Record<MailStatus, number> = { queued: 0, sent: 0, failed: 0 };
    const rows: { status: string; n: number }[] = await this.db
      .knex('mail_outbox')
      .groupBy('status')
      .select('status')
      .count({ n: '*' });
    for (const r of rows)
      if ((MAIL_STATUSES as readonly string[]).includes(r.status)) out[r.status as MailStatus] = Number(r.n);
    return out;
  }
}
