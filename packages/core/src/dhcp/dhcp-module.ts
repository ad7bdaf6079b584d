import type { Clock, Logger, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { BillingEvents } from '../events/billing-events';
import type { StreamHub } from '../stream/stream-hub';

export interface DhcpModuleDeps {
  readonly db: Database;
  /** The module raises the DHCP lease events here (new, update, expire) for the firewall rules. */
  readonly events: BillingEvents;
  /** utm5_dhcp links: the DHCP_TOPIC topics are published, DHCP_LEASE_KIND records taken. */
  readonly stream: StreamHub;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
}

/**
 * DHCP in the core (the manual's "DHCP"): switch types with their option-82 layouts, switches, DHCP pools, and the
 * IP groups DHCP answers for, published to utm5_dhcp; the leases it reports, kept in dhcp_leases_log and raised as
 * lease events.
 */
export class DhcpModule implements Service {
  readonly name = 'dhcp';

  constructor(private readonly d: DhcpModuleDeps) {}

  async start(): Promise<void> {
    this.d.log.debug('dhcp: skeleton (nothing is published yet)');
  }

  async stop(): Promise<void> {}
}
