import { readFile } from 'node:fs/promises';
import { resolve, extname } from 'node:path';
import { UtmError, type Clock, type Logger, type Service, type TimerHandle } from '@utm5/common';
import { SYSTEM_PARAMETERS, type Database, type Knex } from '@utm5/db';
import type { BillingEvent, BillingEvents } from '../events/billing-events';
import type { Scheduler } from '../scheduler/scheduler';
import type { SystemParameterService } from '../settings/system-parameters';
import type { DocumentsModule } from '../documents/documents-module';
import { mailLang, mailModifiers } from './mail-modifiers';
import { renderMailText } from './mail-template';
import { accountFacts, addPaymentFacts } from './mail-variables';
import { Outbox, type MailKind, type MailRow } from './outbox';
import { SmtpRelay, sendFailure, type OutgoingMail, type SendFailure } from './smtp-relay';

export class MailError extends UtmError {}

export interface MailModuleDeps {
  readonly db: Database;
  /** Payment and balance-border events queue their notifications here, in the event's transaction. */
  readonly events: BillingEvents;
  readonly scheduler: Scheduler;
  /** The e-mail system parameters (SMTP host, port, FQDN, sender) and the notification settings. */
  readonly params: Pick<SystemParameterService, 'get'>;
  /** Invoice mail attaches the invoice's file rendered by documents (PDF, or the ODT without LibreOffice). */
  readonly documents: Pick<DocumentsModule, 'invoiceFile'>;
  readonly clock: Clock;
  readonly timezone: string;
  /** utm5.cfg doc_path: a template parameter `file:mail/payment.txt` names a file under it. */
  readonly docPath: string;
  readonly log: Logger;
}

/** Each kind's subject and body parameters (the manual's "E-mail notifications"). */
const KIND_PARAMS: Record<MailKind, { readonly subject: string; readonly body: string }> = {
  payment: { subject: 'payment_notification_subject', body: 'payment_notification_message' },
  balance: { subject: 'notification_message_subject', body: 'notification_message' },
  invoice: { subject: 'invoice_subject', body: 'invoice_text' },
};

/** Mails read from the outbox per query while sending. */
const BATCH = 100;
/** The first retry after a failed send, doubling per attempt up to MAX_BACKOFF (seconds). */
const FIRST_BACKOFF = 60;
const MAX_BACKOFF = 3600;
/** After this many failed attempts a mail still queued is logged as an error (it keeps being retried). */
const ALARM_ATTEMPTS = 5;
/** How long a template file read through `file:` is kept before it is read again (ms). */
const FILE_CACHE_MS = 30_000;

/** The wait before the next try of a mail that failed `attempts` times (seconds). */
export function retryDelay(attempts: number): number {
  return Math.min(FIRST_BACKOFF * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF);
}

/** nodemailer's codes for a relay that cannot be reached or dropped the connection. */
const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

type Failure = SendFailure & { readonly connection: boolean };

export interface SendResult {
  readonly sent: number;
  readonly failed: number;
}

/**
 * E-mail notifications (the manual's "E-mail notifications"): an outbox written in the event's own transaction, so a
 * mail is queued once per event even across restarts, and sent over SMTP with retries; a failed send is reported.
 *
 * A mail the relay accepted is marked sent right after; a crash between the two sends it again on restart, with the
 * same Message-ID, so the rare duplicate can be told apart (an outbox cannot be exactly-once against SMTP).
 */
export class MailModule implements Service {
  readonly name = 'mail';
  readonly outbox: Outbox;
  private timer: TimerHandle | undefined;
  private running: Promise<SendResult> | undefined;
  private arming: Promise<void> | undefined;
  private again = false;
  private stopping = true;
  private readonly files = new Map<string, { text: string; at: number }>();

  constructor(private readonly d: MailModuleDeps) {
    this.outbox = new Outbox(d.db);
    d.events.on(this.onEvent);
    d.scheduler.register({
      name: 'mail_outbox',
      title: 'Send the queued e-mail notifications whose next try is due (failed sends are retried with backoff)',
      // A safety net: mails are sent when their transaction commits and retried on their own timer.
      schedule: { kind: 'periodic', periodMin: 5, alignMin: 0 },
      enabled: true,
      runGroups: [],
      run: async () => {
        const r = await this.sendDue();
        const c = await this.outbox.counts();
        return `${r.sent} sent, ${r.failed} failed now; ${c.queued} queued, ${c.failed} refused for good`;
      },
    });
  }

  async start(): Promise<void> {
    this.stopping = false;
    // Mails left queued by the previous run go out now, without waiting for their backoff.
    const n = await this.outbox.queuedDueNow(this.d.clock.now());
    if (n > 0) this.d.log.notice(`mail: ${n} notification(s) left queued are sent again now`);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** The BillingEvents listener: queues the event's notification in its transaction. */
  readonly onEvent = async (trx: Knex.Transaction, ev: BillingEvent, now: number): Promise<void> => {
    if (ev.kind === 'payment') await this.onPayment(trx, ev, now);
    // Low-balance notifications (as the parameters call them): a balance rising past a border mails nothing.
    else if (ev.kind === 'balance' && ev.balance < ev.border)
      await this.queue(trx, 'balance', ev.accountId, `balance:${ev.accountId}:${ev.border}:${now}:${ev.balance}`, now, {
        extra: new Map([
          ['balance.border', (ev.border / 1e6).toFixed(2)],
          ['balance.value', (ev.balance / 1e6).toFixed(2)],
        ]),
        copyTo: (this.d.params.get('notification_copy_email') ?? '').trim(),
      });
    else if (ev.kind === 'invoice')
      await this.queue(trx, 'invoice', ev.accountId, `invoice:${ev.invoiceId}`, now, { invoiceId: ev.invoiceId });
  };

  /**
   * The "Send by e-mail" of the invoices report: queues the invoice's mail again (whatever the user's "send invoices
   * by e-mail" flag says); false when the account has no user with an e-mail address.
   */
  async sendInvoice(accountId: number, invoiceId: number): Promise<boolean> {
    const now = this.d.clock.now();
    return this.d.db.tx((trx) =>
      this.queue(trx, 'invoice', accountId, `invoice:${invoiceId}:manual:${now}`, now, { invoiceId, manual: true }),
    );
  }

  private async onPayment(
    trx: Knex.Transaction,
    ev: Extract<BillingEvent, { kind: 'payment' }>,
    now: number,
  ): Promise<void> {
    if (ev.paymentId === undefined) return;
    let notify = ev.notify;
    if (notify === undefined) {
      // A payment from an external system (it has an external number): the external_payment_notify parameter.
      if (this.d.params.get('external_payment_notify') !== '1') return;
      const p = await trx('payment_transactions').where({ id: ev.paymentId }).first('payment_ext_number');
      notify = Boolean(p?.payment_ext_number);
    }
    if (!notify) return;
    await this.queue(trx, 'payment', ev.accountId, `payment:${ev.paymentId}`, now, { paymentId: ev.paymentId });
  }

  private async queue(
    trx: Knex.Transaction,
    kind: MailKind,
    accountId: number,
    eventKey: string,
    now: number,
    o: {
      invoiceId?: number;
      paymentId?: number;
      extra?: ReadonlyMap<string, string>;
      copyTo?: string;
      manual?: boolean;
    },
  ): Promise<boolean> {
    const facts = await accountFacts(trx, accountId);
    if (!facts) return false;
    if (kind === 'invoice' && !o.manual && !facts.sendInvoices) return false;
    if (!facts.email) {
      this.d.log.debug(`no ${kind} mail for account ${accountId}: its user ${facts.userId} has no e-mail address`);
      return false;
    }
    const values = facts.values;
    for (const [k, v] of o.extra ?? []) values.set(k, v);
    if (o.paymentId !== undefined) await addPaymentFacts(trx, values, o.paymentId);
    if (o.invoiceId !== undefined) values.set('invoice.id', String(o.invoiceId));
    values.set('document.date', String(now));
    const p = KIND_PARAMS[kind];
    const subjectText = await this.template(p.subject);
    const bodyText = await this.template(p.body);
    const modifiers = mailModifiers(
      mailLang(subjectText + bodyText),
      this.d.timezone,
      this.d.params.get('system_currency') ?? '810',
    );
    const subject = renderMailText(subjectText, values, modifiers);
    const body = renderMailText(bodyText, values, modifiers);
    const unknown = [...new Set([...subject.unknown, ...body.unknown])];
    if (unknown.length)
      this.d.log.warn(`${kind} mail: ${p.subject}/${p.body} name what has no value: ${unknown.join(', ')}`);
    const queued = await this.outbox.queue(
      trx,
      {
        eventKey,
        kind,
        accountId,
        userId: facts.userId,
        invoiceId: o.invoiceId ?? 0,
        sender: this.sender(),
        recipient: facts.email,
        copyTo: o.copyTo ?? '',
        subject: subject.text.replace(/[\r\n]+/g, ' ').trim(),
        body: body.text,
      },
      now,
    );
    if (queued)
      trx.executionPromise.then(
        () => this.kick(),
        () => undefined,
      );
    return queued;
  }

  /** A template parameter's text; `file:<path>` reads the file (under doc_path when relative). */
  private async template(param: string): Promise<string> {
    const v = this.d.params.get(param) ?? SYSTEM_PARAMETERS.find((s) => s.name === param)?.default ?? '';
    if (!v.startsWith('file:')) return v;
    const path = resolve(this.d.docPath, v.slice(5).trim());
    const hit = this.files.get(path);
    if (hit && Date.now() - hit.at < FILE_CACHE_MS) return hit.text;
    try {
      const text = await readFile(path, 'utf8');
      this.files.set(path, { text, at: Date.now() });
      return text;
    } catch (err) {
      // Failing here would roll the payment back: the mail goes out with the parameter's default text instead.
      this.d.log.error(
        `${param}: cannot read the template ${path} (${(err as Error).message}); the default text is used`,
      );
      return SYSTEM_PARAMETERS.find((s) => s.name === param)?.default ?? '';
    }
  }

  /** notification_sender, with smtp_fqdn added when it is a bare name (UTM5's default is 'admin'). */
  private sender(): string {
    const s = (this.d.params.get('notification_sender') ?? '').trim() || 'admin';
    return s.includes('@') ? s : `${s}@${this.fqdn()}`;
  }

  private fqdn(): string {
    return (this.d.params.get('smtp_fqdn') ?? '').trim() || 'localhost';
  }

  /** Sends what is due soon, in the background. */
  /** Of these invoices, the ones whose mail went out (rpcf_get_invoices_doc_list's is_pdf_mailed). */
  invoicesMailed(invoiceIds: readonly number[]): Promise<Set<number>> {
    return this.outbox.invoicesMailed(invoiceIds);
  }

  kick(): void {
    if (this.stopping) return;
    this.sendDue().catch((err: unknown) => this.d.log.error(`mail: sending the outbox failed: ${String(err)}`));
  }

  /** Sends every queued mail whose next try is due; one run at a time (a kick during a run runs again after it). */
  sendDue(): Promise<SendResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<SendResult> => {
      let sent = 0;
      let failed = 0;
      do {
        this.again = false;
        const r = await this.pass();
        sent += r.sent;
        failed += r.failed;
      } while (this.again && !this.stopping);
      return { sent, failed };
    };
    this.running = run().finally(() => {
      this.running = undefined;
      this.arming = this.arm();
    });
    return this.running;
  }

  /** Resolves once no run is going on and the timer of the next try is armed (a clock moved before that is missed). */
  async settled(): Promise<void> {
    while (this.running || this.arming) {
      const arming = this.arming;
      await this.running?.catch(() => undefined);
      await arming;
      if (!this.running && this.arming === arming) this.arming = undefined;
    }
  }

  /** Retries mails now (one, or every queued and refused one when id is 0), then sends them. */
  async retryNow(id: number): Promise<SendResult & { readonly requeued: number }> {
    if (id !== 0 && !(await this.outbox.byId(id)))
      throw new MailError('UTM_MAIL_NOT_FOUND', `no mail ${id} in the outbox (see utm5ts_mail_outbox)`);
    // A pass in flight writes its failures (and their later next try) first: requeued after it, nothing is undone.
    await this.running?.catch(() => undefined);
    const requeued = await this.outbox.retryNow(id, this.d.clock.now());
    return { requeued, ...(await this.sendDue()) };
  }

  private async pass(): Promise<SendResult> {
    let relay: SmtpRelay | undefined;
    let sent = 0;
    let failed = 0;
    try {
      for (;;) {
        const now = this.d.clock.now();
        const rows = await this.outbox.due(now, BATCH);
        if (rows.length === 0 || this.stopping) break;
        relay ??= new SmtpRelay({
          host: (this.d.params.get('smtp_host') ?? '').trim() || '127.0.0.1',
          port: Number(this.d.params.get('smtp_port')) || 25,
          fqdn: this.fqdn(),
        });
        let down: Failure | undefined;
        for (const row of rows) {
          if (this.stopping) break;
          // The relay did not answer: the rest of the batch waits for the next try too, without a connection each.
          const f = down ?? (await this.sendOne(relay, row));
          if (f === undefined) {
            sent++;
            continue;
          }
          failed++;
          await this.failed(row, f.message, f.permanent);
          if (f.connection) down = f;
        }
      }
    } finally {
      relay?.close();
    }
    return { sent, failed };
  }

  /** Sends one mail and marks it sent; undefined when sent, otherwise why not. */
  private async sendOne(relay: SmtpRelay, row: MailRow): Promise<Failure | undefined> {
    let mail: OutgoingMail;
    try {
      mail = await this.compose(row);
    } catch (err) {
      return { message: (err as Error).message, permanent: false, connection: false };
    }
    try {
      await relay.send(mail);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      return { ...sendFailure(err), connection: CONNECTION_ERRORS.has(code) };
    }
    await this.outbox.sent(row.id, this.d.clock.now());
    this.d.log.info(`mail ${row.id} (${row.kind}, account ${row.accountId}) sent to ${row.recipient}`);
    return undefined;
  }

  private async compose(row: MailRow): Promise<OutgoingMail> {
    const attachments: { filename: string; content: Buffer }[] = [];
    if (row.invoiceId) {
      const file = await this.d.documents.invoiceFile(row.invoiceId);
      attachments.push({ filename: `invoice-${row.invoiceId}${extname(file.path) || '.pdf'}`, content: file.bytes });
    }
    return {
      messageId: `<utm5-mail-${row.id}.${row.eventKey.replace(/[^A-Za-z0-9.-]/g, '.')}@${this.fqdn()}>`,
      from: row.sender,
      to: row.recipient,
      bcc: row.copyTo,
      subject: row.subject,
      text: row.body,
      attachments,
    };
  }

  private async failed(row: MailRow, message: string, permanent: boolean): Promise<void> {
    const now = this.d.clock.now();
    const attempts = await this.outbox.attemptFailed(row.id, message, now + retryDelay(row.attempts + 1), permanent);
    const what = `mail ${row.id} (${row.kind}, account ${row.accountId}) to ${row.recipient}`;
    if (permanent)
      this.d.log.error(`${what} refused by the relay: ${message}; fix the address and retry it (utm5ts_mail_retry)`);
    else if (attempts >= ALARM_ATTEMPTS)
      this.d.log.error(
        `${what} still not sent after ${attempts} attempts: ${message}; check smtp_host/smtp_port (next try in ` +
          `${retryDelay(attempts)} s)`,
      );
    else this.d.log.warn(`${what} not sent (attempt ${attempts}): ${message}; next try in ${retryDelay(attempts)} s`);
  }

  /** Arms the timer of the earliest next try. */
  private async arm(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.stopping) return;
    const next = await this.outbox.nextTry().catch(() => undefined);
    if (next === undefined || this.stopping) return;
    // A row due already was queued during the pass and its commit kicks a run: never spin on it here.
    const at = Math.max(next, this.d.clock.now() + 1);
    this.timer = this.d.clock.at(at, () => this.kick());
  }
}
