import { UtmError, type Clock, type Logger } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import { formatAltNumber, isAltNumberFormat } from '@utm5/documents';
import type { EventSink } from '../events/event-sink';
import type { Period, PeriodHook, SLink } from '../tariffication/model';
import { invoiceKey, parseInvoiceRule, type InvoiceLineKey, type InvoiceRule } from './invoice-rules';

export class InvoiceError extends UtmError {
  constructor(message: string) {
    super('UTM_INVOICE', message);
  }
}

export interface InvoiceRecord {
  readonly id: number;
  readonly number: number;
  readonly extNum: string;
  readonly accountId: number;
  readonly userId: number;
  readonly apId: number;
  readonly invoiceDate: number;
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly balanceOnSet: number;
  /** Without tax, micro. */
  readonly totalSum: number;
  readonly totalTax: number;
  readonly isPrepaid: boolean;
  readonly isManual: boolean;
  readonly isPrinted: boolean;
  readonly paymentTransactionId: number;
  readonly expireDate: number;
}

export interface InvoiceEntryRecord {
  readonly id: number;
  readonly invoiceId: number;
  readonly slinkId: number;
  readonly serviceId: number;
  readonly serviceType: number;
  readonly tariffLinkId: number;
  readonly periodId: number;
  readonly date: number;
  readonly name: string;
  readonly qnt: number;
  readonly baseCost: number;
  readonly sumCost: number;
  readonly taxAmount: number;
}

export interface ManualEntry {
  readonly name: string;
  readonly qnt: number;
  /** Micro, without tax. */
  readonly baseCost: number;
  readonly sumCost: number;
}

export interface InvoicingDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly param: (name: string) => string | undefined;
  readonly events: EventSink;
  readonly log: Logger;
}

interface Line extends InvoiceLineKey {
  readonly ledgerIds: number[];
  sum: number;
  tax: number;
  date: number;
}

const toInvoice = (r: Record<string, unknown>): InvoiceRecord => ({
  id: Number(r['id']),
  number: Number(r['number']),
  extNum: String(r['ext_num']),
  accountId: Number(r['account_id']),
  userId: Number(r['user_id']),
  apId: Number(r['ap_id']),
  invoiceDate: Number(r['invoice_date']),
  periodStart: Number(r['period_start']),
  periodEnd: Number(r['period_end']),
  balanceOnSet: Number(r['balance_on_set']),
  totalSum: Number(r['total_sum']),
  totalTax: Number(r['total_tax']),
  isPrepaid: Boolean(Number(r['is_prepaid'])),
  isManual: Boolean(Number(r['is_manual'])),
  isPrinted: Boolean(Number(r['is_printed'])),
  paymentTransactionId: Number(r['payment_transaction_id']),
  expireDate: Number(r['expire_date']),
});

const toEntry = (r: Record<string, unknown>): InvoiceEntryRecord => ({
  id: Number(r['id']),
  invoiceId: Number(r['invoice_id']),
  slinkId: Number(r['slink_id']),
  serviceId: Number(r['service_id']),
  serviceType: Number(r['service_type']),
  tariffLinkId: Number(r['tariff_link_id']),
  periodId: Number(r['accounting_period_id']),
  date: Number(r['date']),
  name: String(r['name']),
  qnt: Number(r['qnt']),
  baseCost: Number(r['base_cost']),
  sumCost: Number(r['sum_cost']),
  taxAmount: Number(r['tax_amount']),
});

/**
 * Invoices (the manual's "Documents"): issued per account at the end of each accounting period from the period's
 * charges, or at its start for the start-of-period fees of an account with "Payment in advance"; grouped into
 * invoices by the aggregation rule (invoice_rules, prepaid_invoice_rules); numbered from one counter row updated in
 * the issuing transaction, so numbers have no gap and no repeat whatever crashes, and each charge is billed once
 * (invoice_entry_details holds its ledger row as key). Manual invoices do not touch the balance.
 */
export class Invoicing implements PeriodHook {
  constructor(private readonly d: InvoicingDeps) {}

  private rule(name: 'invoice_rules' | 'prepaid_invoice_rules'): InvoiceRule {
    const text = this.d.param(name) ?? (name === 'invoice_rules' ? 'default' : 'single');
    try {
      return parseInvoiceRule(text);
    } catch (err) {
      // A bad rule must not stop a period close: the manual's default applies and the log says why.
      this.d.log.error(`${(err as Error).message}; system parameter ${name} ignored, 'default' used`);
      return parseInvoiceRule('default');
    }
  }

  async settled(trx: Knex.Transaction, accountId: number, p: Period, now: number): Promise<void> {
    await this.issue(trx, accountId, p, now, false);
  }

  async opened(trx: Knex.Transaction, accountId: number, next: Period, now: number): Promise<void> {
    const acc = await trx('accounts as a')
      .join('users as u', 'u.id', 'a.user_id')
      .where('a.id', accountId)
      .first('u.advance_payment');
    if (!acc || !Number(acc['advance_payment'])) return;
    await this.issue(trx, accountId, next, now, true);
  }

  /** A one-time charge is invoiced at once, by the invoice rule, as an invoice of its own date. */
  async onceCharged(trx: Knex.Transaction, link: SLink, now: number): Promise<void> {
    const p = { id: 0, start: now, end: now } as Period;
    await this.issue(trx, link.accountId, p, now, false, link.id);
  }

  /** The period's charges (of one link, or all) not invoiced yet, by service link, as invoice lines. */
  private async lines(trx: Knex.Transaction, accountId: number, periodId: number, slinkId?: number): Promise<Line[]> {
    const rows = (await trx('account_ledger as l')
      .leftJoin('service_links as sl', 'sl.id', 'l.slink_id')
      .leftJoin('services as s', 's.id', 'l.service_id')
      .leftJoin('tariff_links as tl', 'tl.id', 'sl.tariff_link_id')
      .leftJoin('tariffs as t', 't.id', 'tl.tariff_current')
      .where({ 'l.account_id': accountId, 'l.period_id': periodId })
      .whereIn('l.kind', ['charge', 'repay'])
      .where('l.slink_id', '>', 0)
      .modify((q) => {
        if (slinkId !== undefined) q.where('l.slink_id', slinkId);
      })
      .whereNotExists(function () {
        this.select(trx.raw('1')).from('invoice_entry_details as d').whereRaw('d.ledger_id = l.id');
      })
      .orderBy('l.id')
      .select(
        'l.id',
        'l.amount',
        'l.tax',
        'l.ts',
        'l.slink_id',
        'l.service_id',
        'l.service_type',
        's.name as service_name',
        's.supplier_id',
        'sl.tariff_link_id',
        'tl.tariff_current as tariff_id',
        't.name as tariff_name',
      )) as Record<string, unknown>[];
    const bySlink = new Map<number, Line>();
    for (const r of rows) {
      const slinkId = Number(r['slink_id']);
      let line = bySlink.get(slinkId);
      if (!line) {
        line = {
          slinkId,
          serviceId: Number(r['service_id']),
          serviceType: Number(r['service_type']),
          serviceName: String(r['service_name'] ?? `service ${String(r['service_id'])}`),
          tariffLinkId: Number(r['tariff_link_id'] ?? 0),
          tariffId: Number(r['tariff_id'] ?? 0),
          tariffName: String(r['tariff_name'] ?? ''),
          companyId: Number(r['supplier_id'] ?? 0),
          companyName: '',
          ledgerIds: [],
          sum: 0,
          tax: 0,
          date: 0,
        };
        bySlink.set(slinkId, line);
      }
      // Ledger amounts take from the balance and include the tax; an invoice shows what was charged.
      const tax = Number(r['tax']);
      line.sum += -Number(r['amount']) - tax;
      line.tax += tax;
      line.date = Math.max(line.date, Number(r['ts']));
      line.ledgerIds.push(Number(r['id']));
    }
    return [...bySlink.values()];
  }

  private async issue(
    trx: Knex.Transaction,
    accountId: number,
    p: Period,
    now: number,
    prepaid: boolean,
    slinkId?: number,
  ): Promise<void> {
    const lines = await this.lines(trx, accountId, p.id, slinkId);
    if (lines.length === 0) return;
    const rule = this.rule(prepaid ? 'prepaid_invoice_rules' : 'invoice_rules');
    const groups = new Map<string, Line[]>();
    for (const l of lines) {
      const k = invoiceKey(rule, l);
      groups.set(k, [...(groups.get(k) ?? []), l]);
    }
    const onZero = this.d.param('invoice_on_zero_charge') === '1';
    for (const group of groups.values()) {
      const sum = group.reduce((a, l) => a + l.sum, 0);
      const tax = group.reduce((a, l) => a + l.tax, 0);
      if (sum + tax === 0 && !onZero) continue;
      const id = await this.insertInvoice(
        trx,
        {
          accountId,
          apId: p.id,
          invoiceDate: now,
          periodStart: p.start,
          periodEnd: p.end,
          totalSum: sum,
          totalTax: tax,
          isPrepaid: prepaid,
          isManual: false,
        },
        group[0]!.companyId,
      );
      for (const l of group) {
        const [entryId] = await trx('invoice_entry').insert({
          invoice_id: id,
          slink_id: l.slinkId,
          service_id: l.serviceId,
          service_type: l.serviceType,
          tariff_link_id: l.tariffLinkId,
          accounting_period_id: p.id,
          date: l.date,
          name: l.serviceName.slice(0, 255),
          qnt: 1,
          base_cost: l.sum,
          sum_cost: l.sum,
          tax_amount: l.tax,
        });
        for (const ledgerId of l.ledgerIds)
          await trx('invoice_entry_details').insert({
            ledger_id: ledgerId,
            entry_id: entryId,
            invoice_id: id,
            date: now,
          });
      }
      await this.d.events.emit(trx, { kind: 'invoice', accountId, invoiceId: id }, now);
    }
  }

  /** The next number of a counter: its row is updated in the caller's transaction (a crash rolls both back). */
  private async nextNumber(trx: Knex.Transaction, name: string): Promise<number> {
    // The counter row exists but for a provider's first alternative number: an insert is tried only then.
    if ((await trx('document_counters').where({ name }).increment('value', 1)) === 0) {
      await trx('document_counters').insert({ name, value: 1 });
      return 1;
    }
    const row = await trx('document_counters').where({ name }).first('value');
    return Number(row!['value']);
  }

  /**
   * The alternative number (the manual's "Use an alternative document number"): with provider_number_format set, a
   * numbering of its own per service provider (company.id), formatted prefix{alt_number(N)}postfix; else the number.
   */
  private async altNumber(trx: Knex.Transaction, number: number, companyId: number): Promise<string> {
    const format = (this.d.param('provider_number_format') ?? '').trim();
    if (format === '') return String(number);
    if (!isAltNumberFormat(format)) {
      this.d.log.error(
        `provider_number_format '${format}' is not prefix{alt_number(N)}postfix; the plain number is used`,
      );
      return String(number);
    }
    return formatAltNumber(format, await this.nextNumber(trx, `invoice_alt:${companyId}`));
  }

  private async insertInvoice(
    trx: Knex.Transaction,
    i: Pick<
      InvoiceRecord,
      | 'accountId'
      | 'apId'
      | 'invoiceDate'
      | 'periodStart'
      | 'periodEnd'
      | 'totalSum'
      | 'totalTax'
      | 'isPrepaid'
      | 'isManual'
    >,
    companyId = 0,
  ): Promise<number> {
    const acc = await trx('accounts').where({ id: i.accountId }).first('user_id', 'balance');
    if (!acc) throw new InvoiceError(`account ${i.accountId} does not exist`);
    const number = await this.nextNumber(trx, 'invoice');
    const [id] = await trx('invoices').insert({
      number,
      ext_num: await this.altNumber(trx, number, companyId),
      account_id: i.accountId,
      user_id: Number(acc['user_id']),
      ap_id: i.apId,
      invoice_date: i.invoiceDate,
      period_start: i.periodStart,
      period_end: i.periodEnd,
      balance_on_set: Number(acc['balance']),
      total_sum: i.totalSum,
      total_tax: i.totalTax,
      is_prepaid: i.isPrepaid,
      is_manual: i.isManual,
    });
    return Number(id);
  }

  /** rpcf_new_invoice: a manual invoice, with its entries as given; it does not touch the balance (the manual). */
  async createManual(
    accountId: number,
    invoiceDate: number,
    apId: number,
    entries: readonly ManualEntry[],
  ): Promise<number> {
    if (entries.length === 0) throw new InvoiceError('a manual invoice needs at least one entry');
    for (const e of entries) {
      if (e.name.trim() === '') throw new InvoiceError('an invoice entry needs a name');
      if (!Number.isFinite(e.qnt) || e.qnt <= 0)
        throw new InvoiceError(`invoice entry '${e.name}': quantity ${e.qnt} is not positive`);
    }
    const now = this.d.clock.now();
    return this.d.db.tx(async (trx) => {
      const p =
        apId > 0 ? await trx('discount_periods').where({ id: apId }).first('start_date', 'end_date') : undefined;
      if (apId > 0 && !p) throw new InvoiceError(`accounting period ${apId} does not exist`);
      const id = await this.insertInvoice(trx, {
        accountId,
        apId,
        invoiceDate: invoiceDate || now,
        periodStart: p ? Number(p['start_date']) : 0,
        periodEnd: p ? Number(p['end_date']) : 0,
        totalSum: entries.reduce((a, e) => a + e.sumCost, 0),
        totalTax: 0,
        isPrepaid: false,
        isManual: true,
      });
      for (const e of entries)
        await trx('invoice_entry').insert({
          invoice_id: id,
          accounting_period_id: apId,
          date: invoiceDate || now,
          name: e.name.slice(0, 255),
          qnt: e.qnt,
          base_cost: e.baseCost,
          sum_cost: e.sumCost,
          tax_amount: 0,
        });
      await this.d.events.emit(trx, { kind: 'invoice', accountId, invoiceId: id }, now);
      return id;
    });
  }

  async get(id: number): Promise<InvoiceRecord | undefined> {
    const r = await this.d.db.knex('invoices').where({ id }).first();
    return r ? toInvoice(r) : undefined;
  }

  async entries(invoiceId: number): Promise<InvoiceEntryRecord[]> {
    return (await this.d.db.knex('invoice_entry').where({ invoice_id: invoiceId }).orderBy('id')).map(toEntry);
  }

  /** Invoices dated in [from, to) of one account, or of every account when accountId is 0. */
  async list(o: { accountId?: number; userId?: number; from: number; to: number }): Promise<InvoiceRecord[]> {
    const q = this.d.db
      .knex('invoices')
      .where('invoice_date', '>=', o.from)
      .andWhere('invoice_date', '<', o.to)
      .orderBy(['account_id', 'id']);
    if (o.accountId) q.andWhere('account_id', o.accountId);
    if (o.userId) q.andWhere('user_id', o.userId);
    return (await q).map(toInvoice);
  }

  /** The entries of many invoices in one query a chunk (reports), by invoice id. */
  async entriesOf(invoiceIds: readonly number[]): Promise<Map<number, InvoiceEntryRecord[]>> {
    const out = new Map<number, InvoiceEntryRecord[]>(invoiceIds.map((id) => [id, []]));
    for (let i = 0; i < invoiceIds.length; i += 500) {
      const rows = await this.d.db
        .knex('invoice_entry')
        .whereIn('invoice_id', invoiceIds.slice(i, i + 500))
        .orderBy('id');
      for (const r of rows) out.get(Number(r['invoice_id']))?.push(toEntry(r));
    }
    return out;
  }

  /** The payment that settled each invoice (payment_to_invoice, not rolled back), by invoice id. */
  async paymentsOf(
    invoiceIds: readonly number[],
  ): Promise<Map<number, { id: number; date: number; extNumber: string }>> {
    const out = new Map<number, { id: number; date: number; extNumber: string }>();
    for (let i = 0; i < invoiceIds.length; i += 500) {
      const rows = await this.d.db
        .knex('payment_transactions')
        .whereIn('payment_to_invoice', invoiceIds.slice(i, i + 500))
        .andWhere({ cancel_id: 0 })
        .whereNot('kind', 'rollback')
        .orderBy('id')
        .select('id', 'payment_to_invoice', 'payment_enter_date', 'payment_ext_number');
      for (const p of rows) {
        const inv = Number(p['payment_to_invoice']);
        if (!out.has(inv))
          out.set(inv, {
            id: Number(p['id']),
            date: Number(p['payment_enter_date']),
            extNumber: String(p['payment_ext_number'] ?? ''),
          });
      }
    }
    return out;
  }

  async markPrinted(id: number): Promise<void> {
    await this.d.db.knex('invoices').where({ id }).update({ is_printed: true });
  }

  /**
   * rpcf_delete_invoice: the invoice and its entries go; its charges become billable again (the next period close of
   * that period would not see them, so an administrator reissues by hand). Its number is not reused.
   */
  async remove(id: number): Promise<void> {
    await this.d.db.tx(async (trx) => {
      const n = await trx('invoices').where({ id }).delete();
      if (n === 0) throw new InvoiceError(`invoice ${id} does not exist`);
      await trx('invoice_entry').where({ invoice_id: id }).delete();
      await trx('invoice_entry_details').where({ invoice_id: id }).delete();
      await trx('documents').where({ doc_type: 1, base_id: id }).delete();
    });
  }
}
