import { access, constants } from 'node:fs/promises';
import carbone from 'carbone';
import { errorLine, nullLogger, type Logger } from '@utm5/common';
import type { DocumentData } from './document-data';
import { TemplateError, PdfUnavailableError } from './errors';
import { FORMAT_CONTEXT, UTM5_FORMATTERS, type FormatContext } from './formatters/carbone-formatters';
import type { Lang } from './formatters/sum-to-string';
import { OfficeConverter, officeAvailable } from './office-converter';
import { toView } from './view';

export interface RenderOptions {
  readonly lang?: Lang;
  /** ISO code of the currency sum_to_string names (RUB by default). */
  readonly currency?: string;
  /** The billing time zone the date modifiers print in (UTC by default). */
  readonly timezone?: string;
  /** The document profile's replacement list, for the translate and replace modifiers. */
  readonly replacements?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
}

let formattersAdded = false;

function addFormatters(): void {
  if (formattersAdded) return;
  carbone.addFormatters(UTM5_FORMATTERS);
  formattersAdded = true;
}

function renderCarbone(templateFile: string, data: object, complement: object, o: RenderOptions): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    carbone.render(
      templateFile,
      data,
      { lang: o.lang ?? 'ru', timezone: o.timezone ?? 'UTC', complement },
      (err, result) => {
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else if (!Buffer.isBuffer(result)) reject(new Error('carbone returned no document'));
        else resolve(result);
      },
    );
  });
}

/**
 * Renders the manual's document templates: an .odt with carbone markers ({d.user.full_name},
 * {d.bill_entry[i].name}, {d.bill.sum_with_tax:sum_to_string}) filled from DocumentData, and the result turned into
 * PDF by one long-lived LibreOffice when libreoffice_path exists. It knows no billing and no database: the core
 * gathers the data, picks the template and stores the file.
 */
export class DocumentRenderer {
  readonly pdfAvailable: boolean;
  private readonly log: Logger;
  private converter: OfficeConverter | null = null;

  constructor(private readonly opts: { tmpPath: string; libreofficePath?: string; log?: Logger }) {
    this.log = opts.log ?? nullLogger;
    this.pdfAvailable = officeAvailable(opts.libreofficePath);
    addFormatters();
    carbone.set({ tempPath: opts.tmpPath });
  }

  /** The template (an .odt file) with the data substituted by carbone and the manual's modifiers as formatters. */
  async renderOdt(templateFile: string, data: DocumentData, o: RenderOptions = {}): Promise<Buffer> {
    try {
      await access(templateFile, constants.R_OK);
    } catch {
      throw new TemplateError(templateFile, 'cannot be read; check the path and its permissions');
    }
    const replacements =
      o.replacements instanceof Map
        ? (o.replacements as ReadonlyMap<string, string>)
        : new Map(Object.entries((o.replacements as Record<string, string> | undefined) ?? {}));
    const context: FormatContext = {
      lang: o.lang ?? 'ru',
      currency: o.currency ?? 'RUB',
      timezone: o.timezone ?? 'UTC',
      replacements,
    };
    const complement = {};
    Object.defineProperty(complement, FORMAT_CONTEXT, { value: context, enumerable: false });
    try {
      return await renderCarbone(templateFile, toView(data), complement, o);
    } catch (e) {
      throw new TemplateError(templateFile, `cannot be rendered: ${errorLine(e)}`, { cause: e });
    }
  }

  /** A rendered ODT as PDF, through the one LibreOffice this renderer keeps running. */
  async toPdf(odt: Buffer): Promise<Buffer> {
    if (!this.pdfAvailable) throw new PdfUnavailableError(this.opts.libreofficePath);
    this.converter ??= new OfficeConverter({
      libreofficePath: this.opts.libreofficePath!,
      tmpPath: this.opts.tmpPath,
      log: this.log,
    });
    return this.converter.convert(odt);
  }

  /** The converter itself (started on first use), for a warm-up at startup and for tests of its restart. */
  get officeConverter(): OfficeConverter | null {
    return this.converter;
  }

  /** Ends the LibreOffice this renderer started (by its PID). */
  async close(): Promise<void> {
    const c = this.converter;
    this.converter = null;
    await c?.close();
  }
}
