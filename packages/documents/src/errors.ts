import { UtmError } from '@utm5/common';

export class TemplateError extends UtmError {
  constructor(templateFile: string, reason: string, options?: { cause?: unknown }) {
    super('UTM_DOC_TEMPLATE', `document template ${templateFile}: ${reason}`, options);
  }
}

export class PdfUnavailableError extends UtmError {
  constructor(libreofficePath: string | undefined) {
    super(
      'UTM_DOC_PDF_UNAVAILABLE',
      libreofficePath
        ? `no PDF: libreoffice_path ${libreofficePath} is not an executable; install libreoffice-writer-nogui or fix the path`
        : 'no PDF: libreoffice_path is not set; set it in utm5.cfg to the soffice executable',
    );
  }
}

export class PdfConversionError extends UtmError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super('UTM_DOC_PDF_CONVERT', `PDF conversion failed: ${reason}`, options);
  }
}

export class AltNumberFormatError extends UtmError {
  constructor(format: string) {
    super(
      'UTM_DOC_ALT_NUMBER',
      `alternative number format '${format}' needs one {alt_number(N)} with N from 1 to 20, e.g. ABC#{alt_number(5)}-DE`,
    );
  }
}
