/**
 * The catalogue of error codes raised by @utm5/documents. Every one names a file or a program the sysadmin can check.
 */
export const DocumentErrorCodes = {
  UTM_DOC_TEMPLATE: 'a document template cannot be read or rendered (missing file, not an ODT, a bad marker)',
  UTM_DOC_PDF_UNAVAILABLE: 'a PDF was asked for but libreoffice_path names no LibreOffice executable',
  UTM_DOC_PDF_CONVERT: 'LibreOffice could not convert a rendered document to PDF, or the converter died',
  UTM_DOC_ALT_NUMBER: 'an alternative number format has no {alt_number(N)} part or N is out of range',
} as const;

export type DocumentErrorCode = keyof typeof DocumentErrorCodes;
