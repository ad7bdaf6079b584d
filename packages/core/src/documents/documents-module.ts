import type { Clock, Logger, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { BillingEvents } from '../events/billing-events';
import type { Scheduler } from '../scheduler/scheduler';
import type { SystemParameterService } from '../settings/system-parameters';

export interface DocumentsModuleDeps {
  readonly db: Database;
  readonly events: BillingEvents;
  readonly scheduler: Scheduler;
  readonly params: Pick<SystemParameterService, 'get'>;
  readonly clock: Clock;
  readonly timezone: string;
  /** utm5.cfg doc_path, tmp_path, libreoffice_path, max_upload_size. */
  readonly paths: {
    readonly docPath: string;
    readonly tmpPath: string;
    readonly libreofficePath: string;
    readonly maxUploadSize: number;
  };
  readonly log: Logger;
}

/**
 * Documents (the manual's "Documents"): templates, invoices with their numbering and aggregation rules, contracts,
 * and the rendered ODT/PDF files under doc_path. Rendering itself is @utm5/documents.
 */
export class DocumentsModule implements Service {
  readonly name = 'documents';

  constructor(private readonly d: DocumentsModuleDeps) {}

  /** The invoice's PDF (rendered once and kept under doc_path); the invoice mail attaches it. */
  async invoicePdf(invoiceId: number): Promise<{ readonly path: string; readonly bytes: Buffer }> {
    throw new Error(`invoice ${invoiceId}: documents are not built yet`);
  }

  async start(): Promise<void> {
    this.d.log.debug('documents: skeleton (nothing is rendered yet)');
  }

  async stop(): Promise<void> {}
}
