import type { Clock, Logger, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { BillingEvents } from '../events/billing-events';
import type { Scheduler } from '../scheduler/scheduler';
import type { SystemParameterService } from '../settings/system-parameters';
import type { DocumentsModule } from '../documents/documents-module';

export interface MailModuleDeps {
  readonly db: Database;
  /** Payment and balance-border events queue their notifications here, in the event's transaction. */
  readonly events: BillingEvents;
  readonly scheduler: Scheduler;
  /** The e-mail system parameters (SMTP host, port, FQDN, sender) and the notification settings. */
  readonly params: Pick<SystemParameterService, 'get'>;
  /** Invoice mail attaches the invoice's PDF rendered by documents. */
  readonly documents: DocumentsModule;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
}

/**
 * E-mail notifications (the manual's "E-mail notifications"): an outbox written in the event's own transaction, so a
 * mail is queued once per event even across restarts, and sent over SMTP with retries; a failed send is reported.
 */
export class MailModule implements Service {
  readonly name = 'mail';

  constructor(private readonly d: MailModuleDeps) {}

  async start(): Promise<void> {
    this.d.log.debug('mail: skeleton (nothing is sent yet)');
  }

  async stop(): Promise<void> {}
}
