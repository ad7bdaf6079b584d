import type { Micro } from '@utm5/common';

/**
 * The variable groups of the manual's "Template variables", as the core hands them to the renderer. Names are the
 * manual's, so a template written for UTM5 reads the same fields ({d.user.full_name}, {d.bill_entry[i].name}).
 * Money is Micro (as everywhere inside UTM5-TS) and dates are unix seconds; the renderer turns money into currency
 * units before carbone sees it, so a template prints 1234.5 and the formatters take doubles as the manual says.
 * Every group is optional: a template only uses the groups of its type (invoice, receipt, memo, ...).
 */
export type UnixTime = number;

export interface DocumentGroup {
  readonly number: number;
  /** Already formatted with the company's "Number format" (see formatAltNumber). */
  readonly alt_number?: string;
  readonly date: UnixTime;
}

export interface ContactGroup {
  readonly email?: string;
  readonly full_name?: string;
  readonly short_name?: string;
  readonly position?: string;
  readonly reason?: string;
  readonly telephone?: string;
}

export interface UserGroup {
  readonly id: number;
  readonly full_name: string;
  readonly login: string;
  readonly password?: string;
  readonly actual_address?: string;
  readonly juridical_address?: string;
  readonly home_telephone?: string;
  readonly work_telephone?: string;
  readonly mobile_telephone?: string;
  readonly tax_number?: string;
  readonly kpp_number?: string;
  readonly icq_number?: string;
  readonly web_page?: string;
  readonly district?: string;
  readonly building?: string;
  readonly entrance?: string;
  readonly floor?: string;
  readonly flat_number?: string;
  readonly personal_manager?: string;
  readonly basic_account?: number;
  readonly passport?: string;
  readonly email?: string;
  readonly comments?: string;
  readonly bank_account?: string;
  readonly bank_name?: string;
  readonly bank_city?: string;
  readonly bank_bic?: string;
  readonly bank_corr_account?: string;
  readonly currency_short_name?: string;
  readonly currency_full_name?: string;
  readonly currency_code?: number;
  readonly connect_date?: UnixTime;
  /** user.params.{param_id}: additional parameters by their integer id. */
  readonly params?: Readonly<Record<number, string>>;
  /** user.contacts.{headman|booker|1..n} */
  readonly contacts?: Readonly<Record<string, ContactGroup>>;
}

export interface AccountGroup {
  readonly account_id: number;
  readonly external_id?: string;
  readonly balance: Micro;
  readonly credit: Micro;
  /** percent; negative means "no VAT": the renderer hides the tax figures then, as UTM5 does. */
  readonly vat_rate: number;
  readonly sale_tax_rate?: number;
  readonly access_card_number?: string;
}

export interface ProviderGroup {
  readonly full_name: string;
  readonly short_name?: string;
  readonly juridical_address?: string;
  readonly actual_address?: string;
  readonly tax_number?: string;
  readonly kpp_number?: string;
  readonly chief_full_name?: string;
  readonly chief_short_name?: string;
  readonly booker_full_name?: string;
  readonly booker_short_name?: string;
  readonly bank_account?: string;
  readonly bank_name?: string;
  readonly bank_city?: string;
  readonly bank_bic?: string;
  readonly bank_corr_account?: string;
}

export interface ContractEntry {
  readonly number: number | string;
  readonly name: string;
  readonly date: UnixTime;
}

/** contract.number/name/date are the first contract; contract.{1..n} (here `list`) every contract of the user. */
export interface ContractGroup extends ContractEntry {
  readonly list?: readonly ContractEntry[];
}

export interface PaymentGroup {
  readonly id: number;
  readonly amount_in_currency: Micro;
  readonly amount_absolute: Micro;
  readonly date: { readonly actual: UnixTime; readonly enter: UnixTime; readonly burn?: UnixTime };
  readonly document_number?: string;
  readonly comments?: { readonly user?: string; readonly admin?: string };
  readonly hash?: string;
  readonly currency_rate?: number;
  readonly currency_short_name?: string;
  readonly currency_full_name?: string;
  readonly currency_code?: number;
}

export interface BillGroup {
  readonly sum_without_tax: Micro;
  readonly sum_with_tax: Micro;
  /** Number of entries; the renderer fills it from bill_entry when absent. */
  readonly size?: number;
  readonly period_start: UnixTime;
  readonly period_end: UnixTime;
  readonly balance_when_created?: Micro;
  readonly debt?: Micro;
  readonly payment_amount?: Micro;
  readonly payment_amount_with_tax?: Micro;
  readonly date: UnixTime;
}

export interface BillEntry {
  /** 1-based; the renderer numbers the entries when absent. */
  readonly id?: number;
  readonly name: string;
  readonly price: Micro;
  readonly quantity: number;
  readonly sum_with_tax: Micro;
  readonly sum_without_tax: Micro;
  readonly tax: Micro;
  readonly tax_rate: number;
  readonly unit_name?: string;
  readonly unit_code?: string;
  readonly alt?: {
    readonly price?: Micro;
    readonly quantity?: number;
    readonly unit_name?: string;
    readonly unit_code?: string;
  };
}

export interface CallClassSummary {
  readonly charges: Micro;
  readonly count: number;
  /** seconds */
  readonly duration: number;
}

export interface CallSummary {
  readonly periodic_fee: Micro;
  readonly total_fee: Micro;
  readonly other_fee: Micro;
  readonly local: CallClassSummary;
  readonly innerzone: CallClassSummary;
  readonly intercity: CallClassSummary;
  readonly international: CallClassSummary;
}

export interface CallEntry {
  readonly id: number;
  readonly zone?: string;
  readonly direction?: string;
  readonly date: UnixTime;
  readonly calling_number: string;
  readonly called_number: string;
  readonly called_prefix?: string;
  /** seconds */
  readonly duration: number;
  /** a replacement key (translate it in the template) */
  readonly type?: string;
  readonly cost: Micro;
}

export interface IptvGroup {
  readonly access_card_number: number | string;
  readonly activation_code?: {
    readonly part1?: string;
    readonly part2?: string;
    readonly part3?: string;
    readonly part4?: string;
    readonly part5?: string;
    readonly part6?: string;
  };
}

export interface IpGroupEntry {
  readonly login: string;
  readonly password?: string;
  readonly mac?: string;
  readonly ip: string;
  readonly mask?: string;
  readonly gateway?: string;
}

export interface TariffEntry {
  readonly name: string;
  readonly cost: Micro;
  readonly account_id: number;
}

export interface DialupEntry {
  readonly login: string;
  readonly password?: string;
  readonly cid?: string;
  readonly csid?: string;
}

export interface HotspotEntry {
  readonly login: string;
  readonly password?: string;
}

export interface TelephonyEntry {
  readonly login?: string;
  readonly password?: string;
  readonly number: string;
  readonly incoming_trunk?: string;
  readonly outgoing_trunk?: string;
  readonly pbx?: string;
  readonly cid?: string;
}

export interface DocumentData {
  readonly document?: DocumentGroup;
  readonly user?: UserGroup;
  readonly account?: AccountGroup;
  readonly provider?: ProviderGroup;
  readonly contract?: ContractGroup;
  readonly payment?: PaymentGroup;
  readonly bill?: BillGroup;
  readonly summary?: CallSummary;
  readonly iptv?: IptvGroup;
  // The iterators: an empty or absent list removes the template's row.
  readonly bill_entry?: readonly BillEntry[];
  readonly call?: readonly CallEntry[];
  readonly ipgroup?: readonly IpGroupEntry[];
  readonly tariff?: readonly TariffEntry[];
  readonly dialup?: readonly DialupEntry[];
  readonly hotspot?: readonly HotspotEntry[];
  readonly telephony?: readonly TelephonyEntry[];
}

/** The template kinds of the manual's table, each with the groups it may use. */
export type TemplateKind =
  'invoice' | 'vat_invoice' | 'acceptance_report' | 'receipt' | 'user_memo' | 'contract' | 'call_details';
