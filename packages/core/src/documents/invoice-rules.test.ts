import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvoiceRuleError, invoiceKey, parseInvoiceRule, type InvoiceLineKey } from './invoice-rules';
import { ServiceType } from '../tariffication/model';

const line = (o: Partial<InvoiceLineKey>): InvoiceLineKey => ({
  slinkId: 1,
  serviceId: 1,
  serviceType: ServiceType.PERIODIC,
  serviceName: 's',
  tariffLinkId: 0,
  tariffId: 0,
  tariffName: '',
  companyId: 0,
  companyName: '',
  ...o,
});

/** How many invoices the lines make under a rule. */
const invoices = (rule: string, lines: InvoiceLineKey[]) =>
  new Set(lines.map((l) => invoiceKey(parseInvoiceRule(rule), l))).size;

test("the manual's example: company.id puts IP traffic and hotspot of provider 1 together, telephony of 2 apart", () => {
  const lines = [
    line({ slinkId: 1, serviceType: ServiceType.IPTRAFFIC, companyId: 1 }),
    line({ slinkId: 2, serviceType: ServiceType.HOTSPOT, companyId: 1 }),
    line({ slinkId: 3, serviceType: ServiceType.TELEPHONY, companyId: 2 }),
  ];
  assert.equal(invoices('company.id', lines), 2);
});

test('presets: single is one invoice, separate splits tariff plan and common services, default splits common ones per link', () => {
  const lines = [
    line({ slinkId: 1, tariffLinkId: 7 }),
    line({ slinkId: 2, tariffLinkId: 7 }),
    line({ slinkId: 3 }),
    line({ slinkId: 4 }),
  ];
  assert.equal(invoices('single', lines), 1);
  assert.equal(invoices('', lines), 1);
  assert.equal(invoices('separate', lines), 2);
  assert.equal(invoices(':', lines), 2);
  // default = tariff.link_id,company.id:service.link_id: the plan's two lines together, each common one alone.
  assert.equal(invoices('default', lines), 3);
  assert.equal(invoices('tariff.link_id,company.id:service.link_id', lines), 3);
});

test('telephony stays apart even under single', () => {
  assert.equal(invoices('single', [line({ slinkId: 1 }), line({ slinkId: 2, serviceType: ServiceType.TELEPHONY })]), 2);
});

test('an unknown field or a second colon is refused, naming it', () => {
  assert.throws(
    () => parseInvoiceRule('tariff.id,company.nmae'),
    (e: Error) => e instanceof InvoiceRuleError && /company\.nmae/.test(e.message),
  );
  assert.throws(() => parseInvoiceRule('a:b:c'), InvoiceRuleError);
});
