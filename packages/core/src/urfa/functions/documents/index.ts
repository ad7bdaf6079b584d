import { badInput } from '../../../billing/billing-error';
import { DOC_TYPES, FILE_TYPES, L, type LayoutNode } from '@utm5/protocol';
import type { InvoiceEntryRecord, InvoiceRecord } from '../../../documents/invoicing';
import { defineFunction, guarded, type CoreFunction, type HandlerContext } from '../../core-function';
import { micro, money } from '../billing/common';

const bin = (name: string): LayoutNode => ({ tag: 'binary', name });

type Call = Parameters<CoreFunction['handler']>[0];

/** A change answered result 0 (done, journaled) or 1 (refused: the reason is logged). */
async function change(call: Call, ctx: HandlerContext, what: string, action: string, fn: () => Promise<void>) {
  const result = await guarded(
    ctx,
    call,
    what,
    async () => {
      await fn();
      ctx.journal(call.principal, call.peer, action, what);
      return 0;
    },
    () => 1,
  );
  return { result };
}

/** The document a call asks for (doc_type, base_id, file_type), rendered or as kept. */
async function documentOf(call: Call, ctx: HandlerContext) {
  const a = call.args;
  const fileType = FILE_TYPES[a.int('file_type')];
  if (!fileType) throw badInput(`file_type ${a.int('file_type')}: 0 (ODT) or 1 (PDF)`);
  return ctx.documents.render(a.int('doc_type'), a.int('base_id'), fileType);
}
const at = (index: string) => ({ index });

/** Invoices with their entries and payment, grouped by account, as rpcf_get_invoices_list answers them. */
async function invoicesByAccount(ctx: HandlerContext, invoices: readonly InvoiceRecord[]) {
  const groups: InvoiceRecord[][] = [];
  for (const inv of invoices) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.accountId === inv.accountId) last.push(inv);
    else groups.push([inv]);
  }
  const ids = invoices.map((i) => i.id);
  const entries = await ctx.documents.invoicing.entriesOf(ids);
  const paid = await ctx.documents.invoicing.paymentsOf(ids);
  const names = new Map<number, string>();
  for (const inv of invoices)
    if (!names.has(inv.userId)) names.set(inv.userId, (await ctx.billing.users.get(inv.userId))?.full_name ?? '');
  const col = <T>(fn: (i: InvoiceRecord) => T) => groups.map((g) => g.map(fn));
  const ent = <T>(fn: (e: InvoiceEntryRecord) => T) => groups.map((g) => g.map((i) => entries.get(i.id)!.map(fn)));
  return {
    groups,
    entries,
    values: {
      accts_size: groups.length,
      count_of_invoice_array: groups.map((g) => g.length),
      currency_id: groups.map(() => 810),
      currency_name: groups.map(() => 'RUB'),
      payment_rule: groups.map((g) => (g[0]!.isPrepaid ? 'prepaid' : 'postpaid')),
      id: col((i) => i.id),
      ext_num: col((i) => i.extNum),
      invoice_date: col((i) => i.invoiceDate),
      uid: col((i) => i.userId),
      payment_transaction_id: col((i) => paid.get(i.id)?.id ?? 0),
      expire_date: col((i) => i.expireDate),
      is_payed: col((i) => (paid.get(i.id) ? 1 : 0)),
      is_printed: col((i) => (i.isPrinted ? 1 : 0)),
      account_id: col((i) => i.accountId),
      full_name: col((i) => names.get(i.userId) ?? ''),
      accInvcInfo_id: col((i) => paid.get(i.id)?.id ?? 0),
      accInvcInfo_date: col((i) => paid.get(i.id)?.date ?? 0),
      accInvcInfo_payed_date: col((i) => paid.get(i.id)?.date ?? 0),
      payment_ext_number: col((i) => paid.get(i.id)?.extNumber ?? ''),
      entry_size_array: col((i) => entries.get(i.id)!.length),
      name: ent((e) => e.name),
      invoice_id: ent((e) => e.invoiceId),
      slink_id: ent((e) => e.slinkId),
      service_type: ent((e) => e.serviceType),
      discount_period_id: ent((e) => e.periodId),
      date: ent((e) => e.date),
      qnt: ent((e) => e.qnt),
      base: ent((e) => money(e.baseCost)),
      sum: ent((e) => money(e.sumCost)),
      tax: ent((e) => money(e.taxAmount)),
      total_sum: col((i) => money(i.totalSum)),
      total_tax: col((i) => money(i.totalTax)),
      total_sum_plus_total_tax: col((i) => money(i.totalSum + i.totalTax)),
    },
  };
}

/** The part of an invoice row both invoice lists share: the customer, the payment, the entries and the totals. */
const invoiceTail: LayoutNode[] = [
  L.str('full_name', at('i,j')),
  L.if('tmp_is_payed', 'ne', '0', [
    L.int('accInvcInfo_id', at('i,j')),
    L.int('accInvcInfo_date', at('i,j')),
    L.int('accInvcInfo_payed_date', at('i,j')),
    L.str('payment_ext_number', at('i,j')),
    L.int('is_printed', at('i,j')),
  ]),
  L.if('tmp_is_payed', 'eq', '0', [
    L.set({ dst: 'accInvcInfo_id', dstIndex: 'i,j', value: '0' }),
    L.set({ dst: 'accInvcInfo_date', dstIndex: 'i,j', value: '0' }),
    L.set({ dst: 'accInvcInfo_payed_date', dstIndex: 'i,j', value: '0' }),
    L.set({ dst: 'payment_ext_number', dstIndex: 'i,j', value: '' }),
    L.set({ dst: 'is_printed', dstIndex: 'i,j', value: '0' }),
  ]),
  L.int('entry_size'),
  L.set({ dst: 'entry_size_array', src: 'entry_size', dstIndex: 'i,j' }),
  L.for('x', '0', 'entry_size', [
    L.str('name', at('i,j,x')),
    L.int('invoice_id', at('i,j,x')),
    L.int('slink_id', at('i,j,x')),
    L.int('service_type', at('i,j,x')),
    L.int('discount_period_id', at('i,j,x')),
    L.int('date', at('i,j,x')),
    L.double('qnt', at('i,j,x')),
    L.double('base', at('i,j,x')),
    L.double('sum', at('i,j,x')),
    L.double('tax', at('i,j,x')),
  ]),
  L.if('entry_size', 'ne', '0', [
    L.double('total_sum', at('i,j')),
    L.double('total_tax', at('i,j')),
    L.double('total_sum_plus_total_tax', at('i,j')),
  ]),
];

/**
 * rpcf_get_invoices_list's output, shared by rpcf_get_invoices_doc_list: accounts, each with its invoices; `altNum`
 * adds alt_num before ext_num and `docs` the document fields after account_id.
 */
function invoiceListOutput(altNum: boolean, docs: LayoutNode[]): LayoutNode[] {
  return [
    L.int('accts_size'),
    L.for('i', '0', 'accts_size', [
      L.int('count_of_invoice'),
      L.set({ dst: 'count_of_invoice_array', src: 'count_of_invoice', dstIndex: 'i' }),
      L.if('count_of_invoice', 'ne', '0', [
        L.int('currency_id', at('i')),
        L.str('currency_name', at('i')),
        L.str('payment_rule', at('i')),
      ]),
      L.for('j', '0', 'count_of_invoice', [
        L.int('id', at('i,j')),
        ...(altNum ? [L.str('alt_num', at('i,j'))] : []),
        L.str('ext_num', at('i,j')),
        L.int('invoice_date', at('i,j')),
        L.int('uid', at('i,j')),
        L.int('payment_transaction_id', at('i,j')),
        L.int('expire_date', at('i,j')),
        L.int('tmp_is_payed'),
        L.set({ src: 'tmp_is_payed', dst: 'is_payed', dstIndex: 'i,j' }),
        L.int('is_printed', at('i,j')),
        L.int('account_id', at('i,j')),
        ...docs,
        ...invoiceTail,
      ]),
    ]),
  ];
}

export const getInvoicesList = defineFunction(
  'rpcf_get_invoices_list',
  0x8001,
  {
    comment: 'invoices dated in [time_start, time_end) of one account (aid), or of every account (aid 0); gid not used',
    input: [L.int('aid'), L.int('time_start'), L.int('time_end'), L.int('gid', { default: '0' })],
    output: invoiceListOutput(false, []),
  },
  async (call, ctx) => {
    const a = call.args;
    const list = await ctx.documents.invoicing.list({
      accountId: a.int('aid'),
      from: a.int('time_start'),
      to: a.int('time_end'),
    });
    return (await invoicesByAccount(ctx, list)).values;
  },
);

export const getInvoicesDocList = defineFunction(
  'rpcf_get_invoices_doc_list',
  0x8030,
  {
    comment:
      'rpcf_get_invoices_list with the documents of doc_type made of each invoice: odt/pdf status 1 when kept, when ' +
      'made, and whether the invoice mail went out',
    input: [
      L.int('aid'),
      L.int('time_start'),
      L.int('time_end'),
      L.int('gid', { default: '0' }),
      L.int('doc_type', { default: '1' }),
    ],
    output: invoiceListOutput(true, [
      L.int('odt_status', at('i,j')),
      L.int('odt_created', at('i,j')),
      L.int('odt_modified', at('i,j')),
      L.int('is_odt_mailed', at('i,j')),
      L.int('pdf_status', at('i,j')),
      L.int('pdf_created', at('i,j')),
      L.int('pdf_modified', at('i,j')),
      L.int('is_pdf_mailed', at('i,j')),
    ]),
  },
  async (call, ctx) => {
    const a = call.args;
    const list = await ctx.documents.invoicing.list({
      accountId: a.int('aid'),
      from: a.int('time_start'),
      to: a.int('time_end'),
    });
    const v = (await invoicesByAccount(ctx, list)).values;
    const ids = list.map((i) => i.id);
    const kept = await ctx.documents.kept(a.int('doc_type'), ids);
    const mailed = await ctx.mail.invoicesMailed(ids);
    const per = <T>(fn: (id: number) => T) => v.id.map((row) => row.map(fn));
    // The mail attaches the PDF (the ODT where no LibreOffice is installed): mailed counts for the file kept.
    return {
      ...v,
      alt_num: v.ext_num,
      odt_status: per((id) => (kept.get(id)?.odt ? 1 : 0)),
      odt_created: per((id) => kept.get(id)?.odt ?? 0),
      odt_modified: per((id) => kept.get(id)?.odt ?? 0),
      is_odt_mailed: per((id) => (mailed.has(id) && !kept.get(id)?.pdf && kept.get(id)?.odt ? 1 : 0)),
      pdf_status: per((id) => (kept.get(id)?.pdf ? 1 : 0)),
      pdf_created: per((id) => kept.get(id)?.pdf ?? 0),
      pdf_modified: per((id) => kept.get(id)?.pdf ?? 0),
      is_pdf_mailed: per((id) => (mailed.has(id) && kept.get(id)?.pdf ? 1 : 0)),
    };
  },
);

export const getDocInvoicesEntries = defineFunction(
  'rpcf_get_doc_invoices_entries',
  0x7040,
  {
    input: [L.int('invoice_id')],
    output: [
      L.int('size'),
      L.for('i', '0', 'size', [
        L.int('id', at('i')),
        L.int('invoice_id', at('i')),
        L.int('accounting_period_id', at('i')),
        L.int('slink_id', at('i')),
        L.int('version', at('i')),
        L.int('service_type', at('i')),
        L.double('qnt', at('i')),
        L.double('base_cost', at('i')),
        L.double('sum_cost', at('i')),
        L.double('tax_amount', at('i')),
        L.str('name', at('i')),
        L.int('det_size', at('i')),
        L.for('j', '0', 'det_size', [L.int('type', at('i,j')), L.int('value', at('i,j'))]),
      ]),
    ],
  },
  async (call, ctx) => {
    const e = await ctx.documents.invoicing.entries(call.args.int('invoice_id'));
    return {
      size: e.length,
      id: e.map((x) => x.id),
      invoice_id: e.map((x) => x.invoiceId),
      accounting_period_id: e.map((x) => x.periodId),
      slink_id: e.map((x) => x.slinkId),
      version: e.map(() => 0),
      service_type: e.map((x) => x.serviceType),
      qnt: e.map((x) => x.qnt),
      base_cost: e.map((x) => money(x.baseCost)),
      sum_cost: e.map((x) => money(x.sumCost)),
      tax_amount: e.map((x) => money(x.taxAmount)),
      name: e.map((x) => x.name),
      // The detail pairs (type 1: the service id, type 2: the tariff link id) of each entry.
      det_size: e.map(() => 2),
      type: e.map(() => [1, 2]),
      value: e.map((x) => [x.serviceId, x.tariffLinkId]),
    };
  },
);

export const deleteInvoice = defineFunction(
  'rpcf_delete_invoice',
  0x7042,
  {
    comment: 'removes an invoice and its entries (its number is not reused); result 0 removed',
    input: [L.int('invoice_id')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('18', 'invoice not removed (the core log says why)')]),
    ],
  },
  async (call, ctx) =>
    change(call, ctx, `delete invoice ${call.args.int('invoice_id')}`, 'invoice', () =>
      ctx.documents.invoicing.remove(call.args.int('invoice_id')),
    ),
);

export const newInvoice = defineFunction(
  'rpcf_new_invoice',
  0x10205,
  {
    comment: 'a manual invoice (it does not change the balance); returns its id',
    input: [
      L.int('account_id'),
      L.int('gen_date', { default: 'now()' }),
      L.int('ap_id', { default: '0' }),
      L.int('count', { default: 'size(name)' }),
      L.for('i', '0', 'count', [
        L.str('name', at('i')),
        L.double('qnt', at('i')),
        L.double('base_cost', at('i')),
        L.double('sum_cost', at('i')),
      ]),
    ],
    output: [L.int('id'), L.if('id', 'eq', '0', [L.error('19', 'invoice not created (the core log says why)')])],
  },
  async (call, ctx) => {
    const a = call.args;
    const n = a.int('count');
    const entries = Array.from({ length: n }, (_, i) => ({
      name: a.str('name', i),
      qnt: a.double('qnt', i),
      baseCost: micro(a.double('base_cost', i)),
      sumCost: micro(a.double('sum_cost', i)),
    }));
    const id = await guarded(
      ctx,
      call,
      `manual invoice for account ${a.int('account_id')}`,
      async () => {
        const id = await ctx.documents.invoicing.createManual(
          a.int('account_id'),
          a.int('gen_date'),
          a.int('ap_id'),
          entries,
        );
        ctx.journal(call.principal, call.peer, 'invoice', `manual invoice ${id} for account ${a.int('account_id')}`);
        return id;
      },
      () => 0,
    );
    return { id };
  },
);

export const getDocument = defineFunction(
  'rpcf_get_document',
  0x4620,
  {
    comment:
      `the document of doc_type (${DOC_TYPES.map((t) => `${t.id} ${t.name} of a ${t.base}`).join(', ')}) for base_id, ` +
      'file_type 0 ODT or 1 PDF; result 0 with doc_data, else 1 (the core log says why). user_id 0: any',
    input: [
      L.int('user_id', { default: '0' }),
      L.int('doc_type'),
      L.int('base_id'),
      L.int('file_type', { default: '0' }),
    ],
    output: [
      L.int('result'),
      bin('doc_data'),
      L.if('result', 'ne', '0', [L.error('20', 'no document (the core log says why)')]),
    ],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      `document type ${call.args.int('doc_type')} of ${call.args.int('base_id')}`,
      async () => ({ result: 0, doc_data: (await documentOf(call, ctx)).bytes.toString('base64') }),
      () => ({ result: 1, doc_data: '' }),
    ),
);

export const renderDocument = defineFunction(
  'utm5ts_render_document',
  0x600000c0,
  {
    comment:
      'UTM5-TS extension: rpcf_get_document with the reason of a refusal (error) instead of a bare result; ' +
      'doc_type by name or id as in rpcf_get_document, file_type 0 ODT or 1 PDF. utm5_document calls it',
    input: [L.int('doc_type'), L.int('base_id'), L.int('file_type', { default: '1' })],
    output: [L.int('result'), L.str('error'), L.str('path'), bin('doc_data')],
  },
  async (call, ctx) =>
    guarded(
      ctx,
      call,
      `document type ${call.args.int('doc_type')} of ${call.args.int('base_id')}`,
      async () => {
        const doc = await documentOf(call, ctx);
        return { result: 0, error: '', path: doc.path, doc_data: doc.bytes.toString('base64') };
      },
      (err) => ({ result: 1, error: err.message, path: '', doc_data: '' }),
    ),
);

export const getDocumentTemplatesList = defineFunction(
  'rpcf_get_document_templates_list',
  0x4606,
  {
    output: [
      L.int('cnt'),
      L.for('i', '0', 'cnt', [
        L.int('template_id_array', at('i')),
        L.int('doc_type_array', at('i')),
        L.int('created_array', at('i')),
        L.int('modified_array', at('i')),
        L.str('name_array', at('i')),
        L.str('path_array', at('i')),
      ]),
    ],
  },
  async (_c, ctx) => {
    const t = await ctx.documents.templates();
    return {
      cnt: t.length,
      template_id_array: t.map((x) => x.id),
      doc_type_array: t.map((x) => x.docType),
      created_array: t.map((x) => x.created),
      modified_array: t.map((x) => x.modified),
      name_array: t.map((x) => x.name),
      path_array: t.map((x) => x.path),
    };
  },
);

export const getDocumentTemplate = defineFunction(
  'rpcf_get_document_template',
  0x4605,
  {
    input: [L.int('template_id')],
    output: [L.int('doc_type'), L.int('created'), L.int('modified'), L.str('name'), L.str('path'), bin('odt_data')],
  },
  async (call, ctx) => {
    const id = call.args.int('template_id');
    const t = await ctx.documents.template(id);
    if (!t) throw badInput(`document template ${id} does not exist`);
    const odt = await ctx.documents.templateBytes(t);
    return {
      doc_type: t.docType,
      created: t.created,
      modified: t.modified,
      name: t.name,
      path: t.path,
      odt_data: odt.toString('base64'),
    };
  },
);

export const createDocumentTemplate = defineFunction(
  'rpcf_create_document_template',
  0x4602,
  {
    comment: 'uploads an ODT template; result: its id, 0 when refused (the core log says why)',
    input: [L.int('doc_type'), L.str('name'), bin('odt_data')],
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('21', 'template not created (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    const result = await guarded(
      ctx,
      call,
      `upload of template '${a.str('name')}'`,
      async () => {
        const id = await ctx.documents.createTemplate(
          a.int('doc_type'),
          a.str('name'),
          Buffer.from(a.str('odt_data'), 'base64'),
        );
        ctx.journal(call.principal, call.peer, 'document_template', `template ${id} '${a.str('name')}' uploaded`);
        return id;
      },
      () => 0,
    );
    return { result };
  },
);

export const editDocumentTemplate = defineFunction(
  'rpcf_edit_document_template',
  0x4603,
  {
    comment: 'changes a template: its type, name and (when odt_data is not empty) its file; result 0 changed',
    input: [L.int('template_id'), L.int('doc_type'), L.str('name'), bin('odt_data')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('22', 'template not changed (the core log says why)')]),
    ],
  },
  async (call, ctx) =>
    change(call, ctx, `edit of template ${call.args.int('template_id')}`, 'document_template', () => {
      const odt = Buffer.from(call.args.str('odt_data'), 'base64');
      return ctx.documents.editTemplate(
        call.args.int('template_id'),
        call.args.int('doc_type'),
        call.args.str('name'),
        odt.length > 0 ? odt : undefined,
      );
    }),
);

export const removeDocumentTemplate = defineFunction(
  'rpcf_remove_document_template',
  0x4604,
  {
    comment: 'removes a template; result 0 removed',
    input: [L.int('template_id')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('23', 'template not removed (the core log says why)')]),
    ],
  },
  async (call, ctx) =>
    change(call, ctx, `removal of template ${call.args.int('template_id')}`, 'document_template', () =>
      ctx.documents.removeTemplate(call.args.int('template_id')),
    ),
);

const profileInput = [
  L.str('name'),
  L.int('count', { default: 'size(doc_type_array)' }),
  L.for('i', '0', 'count', [L.int('doc_type_array', at('i')), L.int('template_id_array', at('i'))]),
];

function profileTemplates(call: Call) {
  const a = call.args;
  return Array.from({ length: a.int('count') }, (_, i) => ({
    docType: a.int('doc_type_array', i),
    templateId: a.int('template_id_array', i),
  }));
}

export const createDocumentProfile = defineFunction(
  'rpcf_create_document_profile',
  0x4607,
  {
    comment:
      'a document profile: a template per document type, given to users with set_document_profile_for_user; result: its id',
    input: profileInput,
    output: [
      L.int('result'),
      L.if('result', 'eq', '0', [L.error('24', 'profile not created (the core log says why)')]),
    ],
  },
  async (call, ctx) => ({
    result: await guarded(
      ctx,
      call,
      `document profile '${call.args.str('name')}'`,
      async () => {
        const id = await ctx.documents.saveProfile(0, call.args.str('name'), profileTemplates(call));
        ctx.journal(call.principal, call.peer, 'document_profile', `profile ${id} '${call.args.str('name')}' created`);
        return id;
      },
      () => 0,
    ),
  }),
);

export const editDocumentProfile = defineFunction(
  'rpcf_edit_document_profile',
  0x4608,
  {
    comment: 'replaces a profile name and templates; result 0 changed',
    input: [L.int('profile_id'), ...profileInput],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('25', 'profile not changed (the core log says why)')]),
    ],
  },
  async (call, ctx) =>
    change(call, ctx, `edit of document profile ${call.args.int('profile_id')}`, 'document_profile', async () => {
      await ctx.documents.saveProfile(call.args.int('profile_id'), call.args.str('name'), profileTemplates(call));
    }),
);

export const removeDocumentProfile = defineFunction(
  'rpcf_remove_document_profile',
  0x4609,
  {
    comment: 'removes a profile (its users go back to the default templates); result 0 removed',
    input: [L.int('profile_id')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('26', 'profile not removed (the core log says why)')]),
    ],
  },
  async (call, ctx) =>
    change(call, ctx, `removal of document profile ${call.args.int('profile_id')}`, 'document_profile', () =>
      ctx.documents.removeProfile(call.args.int('profile_id')),
    ),
);

export const getDocumentProfile = defineFunction(
  'rpcf_get_document_profile',
  0x460d,
  {
    comment: 'result 0 found (1: no such profile)',
    input: [L.int('profile_id')],
    output: [
      L.int('result'),
      L.str('name'),
      L.int('created'),
      L.int('modified'),
      L.int('count'),
      L.for('i', '0', 'count', [L.int('doc_type_array', at('i')), L.int('template_id_array', at('i'))]),
    ],
  },
  async (call, ctx) => {
    const p = await ctx.documents.profile(call.args.int('profile_id'));
    if (!p) return { result: 1, name: '', created: 0, modified: 0, count: 0 };
    return {
      result: 0,
      name: p.name,
      created: p.created,
      modified: p.modified,
      count: p.templates.length,
      doc_type_array: p.templates.map((t) => t.docType),
      template_id_array: p.templates.map((t) => t.templateId),
    };
  },
);

export const getDocumentProfilesList = defineFunction(
  'rpcf_get_document_profiles_list',
  0x460e,
  {
    output: [
      L.int('cnt'),
      L.for('i', '0', 'cnt', [
        L.int('profile_id_array', at('i')),
        L.str('name_array', at('i')),
        L.int('created_array', at('i')),
        L.int('modified_array', at('i')),
      ]),
    ],
  },
  async (_c, ctx) => {
    const p = await ctx.documents.profiles();
    return {
      cnt: p.length,
      profile_id_array: p.map((x) => x.id),
      name_array: p.map((x) => x.name),
      created_array: p.map((x) => x.created),
      modified_array: p.map((x) => x.modified),
    };
  },
);

export const setDocumentProfileForUser = defineFunction(
  'rpcf_set_document_profile_for_user',
  0x460f,
  {
    comment: "the user's documents render with the profile's templates (profile_id 0: the defaults); result 0 set",
    input: [L.int('user_id'), L.int('profile_id')],
    output: [L.int('result'), L.if('result', 'ne', '0', [L.error('27', 'profile not set (the core log says why)')])],
  },
  async (call, ctx) =>
    change(
      call,
      ctx,
      `document profile ${call.args.int('profile_id')} for user ${call.args.int('user_id')}`,
      'document_profile',
      () => ctx.documents.setUserProfile(call.args.int('user_id'), call.args.int('profile_id')),
    ),
);

export const getDocumentProfileForUser = defineFunction(
  'rpcf_get_document_profile_for_user',
  0x4610,
  { input: [L.int('user_id')], output: [L.int('profile_id')] },
  async (call, ctx) => ({ profile_id: await ctx.documents.userProfile(call.args.int('user_id')) }),
);

export const getDocumentReplacementList = defineFunction(
  'rpcf_get_document_replacement_list',
  0x460a,
  {
    comment: 'the replacements the translate and replace template modifiers use',
    output: [L.int('rcnt'), L.for('i', '0', 'rcnt', [L.str('key_array', at('i')), L.str('value_array', at('i'))])],
  },
  async (_c, ctx) => {
    const r = [...(await ctx.documents.replacements())];
    return { rcnt: r.length, key_array: r.map(([k]) => k), value_array: r.map(([, v]) => v) };
  },
);

export const setDocumentReplacement = defineFunction(
  'rpcf_set_document_replacement',
  0x460b,
  { input: [L.str('key'), L.str('value')] },
  async (call, ctx) => {
    await ctx.documents.setReplacement(call.args.str('key'), call.args.str('value'));
    ctx.journal(call.principal, call.peer, 'document_replacement', `replacement '${call.args.str('key')}' set`);
    return {};
  },
);

export const unsetDocumentReplacement = defineFunction(
  'rpcf_unset_document_replacement',
  0x460c,
  { input: [L.str('key')] },
  async (call, ctx) => {
    await ctx.documents.unsetReplacement(call.args.str('key'));
    ctx.journal(call.principal, call.peer, 'document_replacement', `replacement '${call.args.str('key')}' removed`);
    return {};
  },
);

export const uploadDocument = defineFunction(
  'rpcf_upload_document',
  0x4621,
  {
    comment:
      'an ODT that stands for the document of doc_type and base_id from now on (a signed contract); result 0 kept',
    input: [L.int('user_id'), L.int('doc_type'), L.int('base_id'), bin('odt_data')],
    output: [
      L.int('result'),
      L.if('result', 'ne', '0', [L.error('28', 'document not uploaded (the core log says why)')]),
    ],
  },
  async (call, ctx) => {
    const a = call.args;
    return change(call, ctx, `upload of document type ${a.int('doc_type')} of ${a.int('base_id')}`, 'document', () =>
      ctx.documents.upload(
        a.int('user_id'),
        a.int('doc_type'),
        a.int('base_id'),
        Buffer.from(a.str('odt_data'), 'base64'),
      ),
    );
  },
);

/** rpcf_remove_document and rpcf_revert_document: the kept copies go; result 0 when there were any. */
function forgetFunction(name: string, id: number, what: string): CoreFunction {
  return defineFunction(
    name,
    id,
    {
      comment: `${what}; result 0 done, 1 nothing was kept`,
      input: [L.int('user_id', { default: '0' }), L.int('doc_type'), L.int('base_id')],
      output: [L.int('result')],
    },
    async (call, ctx) => {
      const n = await ctx.documents.forget(call.args.int('doc_type'), call.args.int('base_id'));
      if (n > 0)
        ctx.journal(
          call.principal,
          call.peer,
          'document',
          `${name}: type ${call.args.int('doc_type')} of ${call.args.int('base_id')}`,
        );
      return { result: n > 0 ? 0 : 1 };
    },
  );
}

export const removeDocument = forgetFunction(
  'rpcf_remove_document',
  0x4622,
  'removes the kept document (rendered or uploaded); the next request renders it anew',
);
export const revertDocument = forgetFunction(
  'rpcf_revert_document',
  0x4623,
  'drops an uploaded document so the document is rendered from its template again',
);

export const user5GetInvoicesList = defineFunction(
  'rpcf_user5_get_invoices_list',
  -0x4047,
  {
    input: [L.int('time_start'), L.int('time_end')],
    output: [
      L.int('currency_id'),
      L.str('currency_name'),
      L.int('accts_size'),
      L.for('i', '0', 'accts_size', [
        L.int('count_of_invoice'),
        L.set({ dst: 'count_of_invoice_array', src: 'count_of_invoice', dstIndex: 'i' }),
        L.for('j', '0', 'count_of_invoice', [
          L.int('id', at('i,j')),
          L.str('ext_num', at('i,j')),
          L.int('invoice_date', at('i,j')),
          L.int('is_payed', at('i,j')),
          L.int('account_id', at('i,j')),
          L.double('total_sum', at('i,j')),
          L.double('total_tax', at('i,j')),
          L.double('total_sum_plus_total_tax', at('i,j')),
        ]),
      ]),
    ],
  },
  async (call, ctx) => {
    const list = await ctx.documents.invoicing.list({
      userId: call.principal.id,
      from: call.args.int('time_start'),
      to: call.args.int('time_end'),
    });
    const v = (await invoicesByAccount(ctx, list)).values;
    return {
      currency_id: 810,
      currency_name: 'RUB',
      accts_size: v.accts_size,
      count_of_invoice_array: v.count_of_invoice_array,
      id: v.id,
      ext_num: v.ext_num,
      invoice_date: v.invoice_date,
      is_payed: v.is_payed,
      account_id: v.account_id,
      total_sum: v.total_sum,
      total_tax: v.total_tax,
      total_sum_plus_total_tax: v.total_sum_plus_total_tax,
    };
  },
);

export const user5GetInvoice = defineFunction(
  'rpcf_user5_get_invoice',
  -0x15033,
  {
    comment: "one of the customer's invoices; invoice_id 0 when it is not the customer's or does not exist",
    input: [L.int('invoice_id')],
    output: [
      L.int('invoice_id'),
      L.if('invoice_id', 'ne', '0', [
        L.int('account_id'),
        L.int('invoice_date'),
        L.int('period_start'),
        L.int('period_end'),
        L.double('balance_on_set'),
        L.int('entries_size'),
        L.for('i', '0', 'entries_size', [
          L.str('ent_name', at('i')),
          L.double('qnt', at('i')),
          L.double('base_cost', at('i')),
          L.double('sum_cost', at('i')),
          L.double('tax_amount', at('i')),
        ]),
      ]),
    ],
  },
  async (call, ctx) => {
    const inv = await ctx.documents.invoicing.get(call.args.int('invoice_id'));
    // Another customer's invoice is answered as a missing one: its existence is not told.
    if (!inv || inv.userId !== call.principal.id) return { invoice_id: 0 };
    const e = await ctx.documents.invoicing.entries(inv.id);
    return {
      invoice_id: inv.id,
      account_id: inv.accountId,
      invoice_date: inv.invoiceDate,
      period_start: inv.periodStart,
      period_end: inv.periodEnd,
      balance_on_set: money(inv.balanceOnSet),
      entries_size: e.length,
      ent_name: e.map((x) => x.name),
      qnt: e.map((x) => x.qnt),
      base_cost: e.map((x) => money(x.baseCost)),
      sum_cost: e.map((x) => money(x.sumCost)),
      tax_amount: e.map((x) => money(x.taxAmount)),
    };
  },
);

/** The bank details a cabinet prints on a payment slip: the provider's (provider_* parameters), the customer's account. */
async function invoiceData(call: Call, ctx: HandlerContext) {
  const p = ctx.documents.provider();
  const u = await ctx.billing.users.get(call.principal.id);
  return {
    full_name: p.full_name,
    actual_address: p.actual_address ?? '',
    juridical_address: p.juridical_address ?? '',
    basic_account: Number(u?.basicAccount ?? 0),
    payment_recv: p.short_name || p.full_name,
    inn: p.tax_number ?? '',
    kpp: p.kpp_number ?? '',
    bank_account: p.bank_account ?? '',
    bank_name: p.bank_name ?? '',
    bank_city: p.bank_city ?? '',
    bank_bic: p.bank_bic ?? '',
    bank_ks: p.bank_corr_account ?? '',
  };
}

const invoiceDataOut = (kpp: boolean) => [
  L.str('full_name'),
  L.str('actual_address'),
  L.str('juridical_address'),
  L.int('basic_account'),
  L.str('payment_recv'),
  L.str('inn'),
  ...(kpp ? [L.str('kpp')] : []),
  L.str('bank_account'),
  L.str('bank_name'),
  L.str('bank_city'),
  L.str('bank_bic'),
  L.str('bank_ks'),
];

export const user5GetInvoiceData = defineFunction(
  'rpcf_user5_get_invoice_data',
  -0x4022,
  {
    comment: "the provider's bank details and the customer's basic account, for a payment slip",
    output: invoiceDataOut(false),
  },
  (call, ctx) => invoiceData(call, ctx),
);

export const user5GetInvoiceDataNew = defineFunction(
  'rpcf_user5_get_invoice_data_new',
  -0x4041,
  { comment: 'rpcf_user5_get_invoice_data with the KPP', output: invoiceDataOut(true) },
  (call, ctx) => invoiceData(call, ctx),
);

/** The URFA functions of documents, with UTM5 5.3's ids and layouts. */
export const DOCUMENTS_FUNCTIONS: readonly CoreFunction[] = [
  getInvoicesList,
  getInvoicesDocList,
  getDocInvoicesEntries,
  deleteInvoice,
  newInvoice,
  getDocument,
  renderDocument,
  getDocumentTemplatesList,
  getDocumentTemplate,
  createDocumentTemplate,
  editDocumentTemplate,
  removeDocumentTemplate,
  createDocumentProfile,
  editDocumentProfile,
  removeDocumentProfile,
  getDocumentProfile,
  getDocumentProfilesList,
  setDocumentProfileForUser,
  getDocumentProfileForUser,
  getDocumentReplacementList,
  setDocumentReplacement,
  unsetDocumentReplacement,
  uploadDocument,
  removeDocument,
  revertDocument,
  user5GetInvoicesList,
  user5GetInvoice,
  user5GetInvoiceData,
  user5GetInvoiceDataNew,
];
