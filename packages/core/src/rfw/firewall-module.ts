import type { Clock, Logger, SecretBox, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { BillingEvents } from '../events/billing-events';
import type { SystemParameterService } from '../settings/system-parameters';
import type { StreamHub } from '../stream/stream-hub';

export interface FirewallModuleDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  /** The billing's events: the module listens and queues the commands of the rules they trigger. */
  readonly events: BillingEvents;
  /** utm5_rfw links: RFW_METHOD.EXEC is called on them, RFW_METHOD.SYNC answered. */
  readonly stream: StreamHub;
  readonly params: Pick<SystemParameterService, 'get'>;
  readonly clock: Clock;
  readonly timezone: string;
  /** How long a command waits for its firewall's utm5_rfw before it expires (utm5.cfg rfw_queue_keep_hours). */
  readonly keepSeconds: number;
  readonly log: Logger;
}

/**
 * Firewall rules in the core (the manual's "RFW"): the rules and the firewalls they apply to, the rendering of a
 * rule's command template with the manual's variables for an event, the per-firewall queue of rendered commands, and
 * their delivery to each firewall's utm5_rfw over Stream, in order, acknowledged, kept while it is away.
 */
export class FirewallModule implements Service {
  readonly name = 'rfw';

  constructor(private readonly d: FirewallModuleDeps) {}

  async start(): Promise<void> {
    this.d.log.debug('firewall rules: skeleton (no rules are rendered yet)');
  }

  async stop(): Promise<void> {}
}
