/**
 * Document types (doc_type of the document URFA functions), declared once for the core and its clients
 * (utm5_document): the stock template's file name under doc_path and what the document is of (its base_id): an
 * invoice, a payment or a user.
 */
export const DOC_TYPES = [
  { id: 1, name: 'invoice', base: 'invoice', title: 'Invoice' },
  { id: 2, name: 'vat_invoice', base: 'invoice', title: 'VAT invoice' },
  { id: 3, name: 'acceptance_report', base: 'invoice', title: 'Acceptance report' },
  { id: 4, name: 'receipt', base: 'payment', title: 'Receipt' },
  { id: 5, name: 'user_memo', base: 'user', title: 'User memo' },
  { id: 6, name: 'contract', base: 'user', title: 'Contract' },
  { id: 7, name: 'call_details', base: 'invoice', title: 'Call details' },
] as const;

export type DocType = (typeof DOC_TYPES)[number];
export type DocBase = DocType['base'];

/** file_type of rpcf_get_document: 0 the ODT, 1 the PDF. */
export const FILE_TYPES = ['odt', 'pdf'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export function docType(idOrName: number | string): DocType | undefined {
  return DOC_TYPES.find((t) => t.id === idOrName || t.name === idOrName);
}
