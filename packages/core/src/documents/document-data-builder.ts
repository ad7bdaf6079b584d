import type {
  AccountGroup,
  BillEntry,
  CallEntry,
  DocumentData,
  PaymentGroup,
  ProviderGroup,
  UserGroup,
} from '@utm5/documents';
import type { Knex } from '@utm5/db';
import type { InvoiceEntryRecord, InvoiceRecord } from './invoicing';

/**
 * The manual's template variables from the database: one builder per group, so each document type takes the
 * groups it prints. Money stays micro (the renderer converts), dates unix seconds.
 */
export class DocumentDataBuilder {
  constructor(
    private readonly k: Knex,
    private readonly param: (name: string) => string | undefined,
  ) {}

  provider(): ProviderGroup {
    const p = (n: string) => this.param(`provider_${n}`) ?? '';
    return {
      full_name: p('full_name'),
      short_name: p('short_name'),
      juridical_address: p('juridical_address'),
      actual_address: p('actual_address'),
      tax_number: p('tax_number'),
      kpp_number: p('kpp_number'),
      chief_full_name: p('chief_full_name'),
      booker_full_name: p('booker_full_name'),
      bank_account: p('bank_account'),
      bank_name: p('bank_name'),
      bank_city: p('bank_city'),
      bank_bic: p('bank_bic'),
      bank_corr_account: p('bank_corr_account'),
    };
  }

  async user(userId: number): Promise<UserGroup & { readonly currencyCode: string }> {
    const u = await this.k('users as u')
      .leftJoin('currencies as c', 'c.id', 'u.currency_id')
      .where('u.id', userId)
      .first('u.*', 'c.short_name as currency_short_name', 'c.full_name as currency_full_name');
    if (!u) throw new Error(`user ${userId} does not exist`);
    const params = await this.k('user_params').where({ user_id: userId }).select('param_id', 'value');
    const s = (n: string) => String(u[n] ?? '');
    return {
      id: userId,
      login: s('login'),
      full_name: s('full_name'),
      actual_address: s('act_address'),
      juridical_address: s('jur_address'),
      home_telephone: s('home_tel'),
      work_telephone: s('work_tel'),
      mobile_telephone: s('mob_tel'),
      tax_number: s('tax_number'),
      kpp_number: s('kpp_number'),
      icq_number: s('icq_number'),
      web_page: s('web_page'),
      district: s('district'),
      building: s('building'),
      entrance: s('entrance'),
      floor: s('floor'),
      flat_number: s('flat_number'),
      personal_manager: s('personal_manager'),
      basic_account: Number(u['basic_account'] ?? 0),
      passport: s('passport'),
      email: s('email'),
      comments: s('comments'),
      bank_account: s('bank_account'),
      currency_short_name: s('currency_short_name'),
      currency_full_name: s('currency_full_name'),
      currency_code: Number(u['currency_id'] ?? 0),
      connect_date: Number(u['connect_date'] ?? 0),
      params: Object.fromEntries(params.map((p) => [Number(p['param_id']), String(p['value'])])),
      currencyCode: s('currency_short_name') || 'RUB',
    };
  }

  async account(accountId: number): Promise<AccountGroup & { readonly userId: number }> {
    const a = await this.k('accounts').where({ id: accountId }).first();
    if (!a) throw new Error(`account ${accountId} does not exist`);
    const vat = Number(a['vat_rate_e6']) / 1e6;
    return {
      account_id: accountId,
      external_id: String(a['external_id'] ?? ''),
      balance: Number(a['balance']),
      credit: Number(a['credit']),
      vat_rate: vat,
      sale_tax_rate: Number(a['sale_tax_rate_e6']) / 1e6,
      userId: Number(a['user_id']),
    };
  }

  /** Invoice, VAT invoice, acceptance report: the invoice with its entries; call details also its calls. */
  async invoice(inv: InvoiceRecord, entries: readonly InvoiceEntryRecord[], withCalls: boolean): Promise<DocumentData> {
    const [user, account] = await Promise.all([this.user(inv.userId), this.account(inv.accountId)]);
    const bill_entry: BillEntry[] = entries.map((e, i) => ({
      id: i + 1,
      name: e.name,
      price: e.baseCost,
      quantity: e.qnt,
      sum_without_tax: e.sumCost,
      tax: e.taxAmount,
      tax_rate: account.vat_rate,
      sum_with_tax: e.sumCost + e.taxAmount,
    }));
    const total = inv.totalSum + inv.totalTax;
    const data: DocumentData = {
      document: { number: inv.number, alt_number: inv.extNum, date: inv.invoiceDate },
      user,
      account,
      provider: this.provider(),
      bill: {
        sum_without_tax: inv.totalSum,
        sum_with_tax: total,
        size: bill_entry.length,
        period_start: inv.periodStart,
        period_end: inv.periodEnd,
        balance_when_created: inv.balanceOnSet,
        debt: inv.balanceOnSet < 0 ? -inv.balanceOnSet : 0,
        payment_amount: inv.totalSum,
        payment_amount_with_tax: total,
        date: inv.invoiceDate,
      },
      bill_entry,
    };
    if (!withCalls) return data;
    const calls = await this.k('tel_calls as c')
      .leftJoin('tel_zones as z', 'z.id', 'c.zone_id')
      .leftJoin('tel_directions as d', 'd.id', 'c.dir_id')
      .where('c.account_id', inv.accountId)
      .andWhere('c.start_time', '>=', inv.periodStart)
      .andWhere('c.start_time', '<', inv.periodEnd || Number.MAX_SAFE_INTEGER)
      .orderBy('c.start_time')
      .select(
        'c.id',
        'c.start_time',
        'c.calling',
        'c.called',
        'c.rounded',
        'c.charged',
        'z.name as zone',
        'd.name as direction',
      );
    const call: CallEntry[] = calls.map((c) => ({
      id: Number(c['id']),
      zone: String(c['zone'] ?? ''),
      direction: String(c['direction'] ?? ''),
      date: Number(c['start_time']),
      calling_number: String(c['calling']),
      called_number: String(c['called']),
      duration: Number(c['rounded']),
      cost: Number(c['charged']),
    }));
    return { ...data, call };
  }

  /** Receipt: the payment with its account, user and provider. */
  async payment(paymentId: number): Promise<{ data: DocumentData; userId: number; currency: string }> {
    const p = await this.k('payment_transactions as p')
      .leftJoin('currencies as c', 'c.id', 'p.currency_id')
      .where('p.id', paymentId)
      .first('p.*', 'c.short_name as currency_short_name', 'c.full_name as currency_full_name');
    if (!p) throw new Error(`payment ${paymentId} does not exist`);
    const account = await this.account(Number(p['account_id']));
    const user = await this.user(account.userId);
    const payment: PaymentGroup = {
      id: paymentId,
      amount_in_currency: Number(p['payment_incurrency']),
      amount_absolute: Number(p['payment_absolute']),
      date: {
        actual: Number(p['actual_date']),
        enter: Number(p['payment_enter_date']),
        burn: Number(p['burn_date'] ?? 0),
      },
      document_number: String(p['payment_ext_number'] ?? ''),
      comments: { user: String(p['comment'] ?? ''), admin: String(p['admin_comment'] ?? '') },
      currency_short_name: String(p['currency_short_name'] ?? ''),
      currency_full_name: String(p['currency_full_name'] ?? ''),
      currency_code: Number(p['currency_id']),
    };
    return {
      data: {
        document: { number: paymentId, date: Number(p['payment_enter_date']) },
        user,
        account,
        provider: this.provider(),
        payment,
      },
      userId: account.userId,
      currency: String(p['currency_short_name'] || user.currencyCode),
    };
  }

  /** User memo and contract: the user, its basic account, its links' logins and its tariffs. */
  async userDocument(userId: number, now: number): Promise<DocumentData> {
    const user = await this.user(userId);
    const accountId = user.basic_account ?? 0;
    const account = accountId ? await this.account(accountId).catch(() => undefined) : undefined;
    const tariffs = await this.k('tariff_links as tl')
      .join('tariffs as t', 't.id', 'tl.tariff_current')
      .where({ 'tl.user_id': userId, 'tl.is_deleted': false })
      .select('t.name', 'tl.account_id');
    return {
      document: { number: userId, date: now },
      user,
      ...(account ? { account } : {}),
      provider: this.provider(),
      contract: { number: user.login, name: user.full_name, date: user.connect_date ?? now },
      tariff: tariffs.map((t) => ({ name: String(t['name']), cost: 0, account_id: Number(t['account_id']) })),
    };
  }
}
