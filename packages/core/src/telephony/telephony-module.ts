import type { Clock, Logger, SecretBox, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { Billing } from '../billing/billing';
import type { EventSink } from '../events/event-sink';
import type { StreamHub } from '../stream/stream-hub';
import type { Tariffication } from '../tariffication/engine';
import { TelCalls } from './calls';
import { TelCatalog } from './catalog';
import { TelRadius } from './radius-calls';
import { EMPTY_SNAPSHOT, loadSnapshot, type TelSnapshot } from './snapshot';
import { TelReports } from './tel-reports';
import { MinimumCharge } from './minimum-charge';

export interface TelephonyModuleDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly tariffication: Pick<
    Tariffication,
    'charger' | 'catalog' | 'addPeriodicLink' | 'editPeriodicLink' | 'linkHooks'
  >;
  /** Account locks and the funds check, which call charges run with. */
  readonly billing: Pick<Billing, 'locks' | 'blocks'>;
  readonly stream: StreamHub;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
  /** The billing events (telephony sessions open and close). */
  readonly events?: EventSink;
}

/** How long after a change the snapshot is rebuilt: a burst of edits (an import of directions) costs one reload. */
const RELOAD_DELAY_MS = 50;

/**
 * Telephony in the core: the catalog (zones, directions, services, links), the in-memory snapshot rating reads, the
 * call pipeline (utm5_send_cdr, rpcf_put_tel_call, utm5_radius), its RADIUS side and its reports.
 */
export class TelephonyModule implements Service {
  readonly name = 'telephony';
  readonly catalog: TelCatalog;
  readonly calls: TelCalls;
  readonly radius: TelRadius;
  readonly reports: TelReports;
  private snap: TelSnapshot = EMPTY_SNAPSHOT;
  private pending: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();

  constructor(private readonly d: TelephonyModuleDeps) {
    const snapshot = () => this.snap;
    this.catalog = new TelCatalog({
      db: d.db,
      secrets: d.secrets,
      clock: d.clock,
      tariffication: d.tariffication,
      changed: () => this.changed(),
      events: d.events,
    });
    this.calls = new TelCalls({
      db: d.db,
      tariffication: d.tariffication,
      billing: d.billing,
      snapshot,
      clock: d.clock,
      timezone: d.timezone,
      log: d.log,
    });
    this.radius = new TelRadius({
      db: d.db,
      secrets: d.secrets,
      stream: d.stream,
      calls: this.calls,
      snapshot,
      clock: d.clock,
      timezone: d.timezone,
      log: d.log,
      events: d.events,
    });
    this.reports = new TelReports(d.db);
    d.tariffication.linkHooks.push(new MinimumCharge(d.tariffication.charger));
    d.tariffication.linkHooks.push(this.catalog.linkHook);
  }

  /** The reference data rating reads, as of the last reload. */
  snapshot(): TelSnapshot {
    return this.snap;
  }

  async start(): Promise<void> {
    await this.reload();
    this.radius.start();
  }

  async stop(): Promise<void> {
    if (this.pending) clearTimeout(this.pending);
    await this.reloading;
  }

  /** Reference data changed: rebuild the snapshot shortly (after the change's transaction). */
  changed(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.reloading = this.reloading
        .then(() => this.reload())
        .catch((err) => this.d.log.error(`cannot reload telephony data: ${(err as Error).message}`));
    }, RELOAD_DELAY_MS);
  }

  /** Resolves when pending reloads are done (URFA writes await it so the next call sees the change). */
  async settled(): Promise<void> {
    while (this.pending) await new Promise((r) => setTimeout(r, 10));
    await this.reloading;
  }

  private async reload(): Promise<void> {
    this.snap = await loadSnapshot(this.d.db, this.d.timezone);
  }
}
