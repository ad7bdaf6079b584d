import { UtmError } from '@utm5/common';
import { ServiceType } from '../tariffication/model';

/** What an invoice line is of: the fields the manual's aggregation rules name. */
export interface InvoiceLineKey {
  readonly slinkId: number;
  readonly serviceId: number;
  readonly serviceType: number;
  readonly serviceName: string;
  /** 0 for a common service (not of a tariff plan). */
  readonly tariffLinkId: number;
  readonly tariffId: number;
  readonly tariffName: string;
  /** The service provider (services.supplier_id). */
  readonly companyId: number;
  readonly companyName: string;
}

const FIELDS = {
  'tariff.link_id': (l: InvoiceLineKey) => l.tariffLinkId,
  'tariff.id': (l: InvoiceLineKey) => l.tariffId,
  'tariff.name': (l: InvoiceLineKey) => l.tariffName,
  'service.link_id': (l: InvoiceLineKey) => l.slinkId,
  'service.type': (l: InvoiceLineKey) => l.serviceType,
  'service.id': (l: InvoiceLineKey) => l.serviceId,
  'service.name': (l: InvoiceLineKey) => l.serviceName,
  'company.id': (l: InvoiceLineKey) => l.companyId,
  'company.name': (l: InvoiceLineKey) => l.companyName,
} as const;

export type InvoiceRuleField = keyof typeof FIELDS;

/** The manual's preset rules ("Configure invoice document settings"). */
const PRESETS: Record<string, string> = {
  default: 'tariff.link_id,company.id:service.link_id',
  single: '',
  separate: ':',
};

export class InvoiceRuleError extends UtmError {
  constructor(message: string) {
    super('UTM_INVOICE_RULE', message);
  }
}

/**
 * An aggregation rule: lines whose named fields are equal share an invoice. With a colon, the fields before it apply
 * to tariff plan services and those after it to common services, and the two never share an invoice.
 */
export interface InvoiceRule {
  readonly text: string;
  readonly split: boolean;
  readonly tariff: readonly InvoiceRuleField[];
  readonly common: readonly InvoiceRuleField[];
}

function fields(part: string, whole: string): InvoiceRuleField[] {
  return part
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)
    .map((f) => {
      if (!(f in FIELDS))
        throw new InvoiceRuleError(
          `invoice rule '${whole}': unknown field '${f}' (allowed: ${Object.keys(FIELDS).join(', ')}, or default, single, separate)`,
        );
      return f as InvoiceRuleField;
    });
}

export function parseInvoiceRule(text: string): InvoiceRule {
  const t = text.trim();
  const expanded = PRESETS[t] ?? t;
  const colon = expanded.indexOf(':');
  if (colon < 0) {
    const all = fields(expanded, t);
    return { text: t, split: false, tariff: all, common: all };
  }
  if (expanded.indexOf(':', colon + 1) >= 0) throw new InvoiceRuleError(`invoice rule '${t}': more than one ':'`);
  return {
    text: t,
    split: true,
    tariff: fields(expanded.slice(0, colon), t),
    common: fields(expanded.slice(colon + 1), t),
  };
}

/**
 * The invoice a line goes to, as a key: equal keys share an invoice. Telephony stays apart from the rest (the manual:
 * "with the exception of telephony services, which remain separated").
 */
export function invoiceKey(rule: InvoiceRule, l: InvoiceLineKey): string {
  const tariff = l.tariffLinkId > 0;
  const parts: string[] = [l.serviceType === ServiceType.TELEPHONY ? 'tel' : 'svc'];
  if (rule.split) parts.push(tariff ? 'tariff' : 'common');
  for (const f of tariff ? rule.tariff : rule.common) parts.push(`${f}=${String(FIELDS[f](l))}`);
  return parts.join('|');
}
