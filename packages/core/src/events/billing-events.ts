import type { Knex } from '@utm5/db';

/**
 * What happened in the billing, raised by the domain service that made it happen, inside the transaction that made
 * it (so a listener's writes, e.g. the firewall commands it queues, commit or roll back with the change itself).
 * Listeners are the firewall-rule engine (utm5_rfw commands), and later notifications and documents.
 *
 * Ids only, plus what cannot be read back afterwards (an amount, a bandwidth, a session's RADIUS fields): a listener
 * reads the rest (the user's name, the link's IP groups) in the same transaction. A 'delete' is raised BEFORE the
 * rows go, so a listener can still read them.
 */
export type BillingEvent =
  /** The account's Internet status changed (int_status), by a block, an unblock, a payment or an administrator. */
  | { readonly kind: 'internet'; readonly on: boolean; readonly accountId: number }
  | { readonly kind: 'user'; readonly op: LinkOp; readonly userId: number }
  /** The account's block changed: blockType is the block now in force (0 none). */
  | { readonly kind: 'block'; readonly accountId: number; readonly blockType: number }
  /** The balance crossed a border of the notification_borders system parameter (micro-units both). */
  | { readonly kind: 'balance'; readonly accountId: number; readonly balance: number; readonly border: number }
  | ({ readonly kind: 'session'; readonly op: 'open' | 'close' } & SessionFacts)
  /** A service link of the given service type (ServiceType: 1 once, 2 periodic, 3 IP traffic, 4 hotspot, 5 dialup, 6 telephony). */
  | {
      readonly kind: 'link';
      readonly op: LinkOp;
      readonly serviceType: number;
      readonly accountId: number;
      readonly slinkId: number;
    }
  | ({ readonly kind: 'tech_param'; readonly op: LinkOp } & TechParamFacts)
  /** Dynashape: the limit in force on a link in one direction was set, changed or lifted (Kbit/s; 0 when lifted). */
  | {
      readonly kind: 'bandwidth';
      readonly dir: 'in' | 'out';
      readonly op: 'set' | 'edit' | 'delete';
      readonly accountId: number;
      readonly slinkId: number;
      readonly kbit: number;
      /** The other direction's limit in force (Kbit/s, 0 none), for the IN_/OUT_ variables of one command. */
      readonly otherKbit: number;
    }
  | { readonly kind: 'raw_file_closed' | 'log_file_closed'; readonly path: string }
  /**
   * A payment was credited: amount in micro-units of the system currency; method: the payment method id; notify: the
   * payment's "notify by e-mail" (undefined when the caller did not say: external_payment_notify decides).
   */
  | {
      readonly kind: 'payment';
      readonly accountId: number;
      readonly amount: number;
      readonly method: number;
      readonly paymentId?: number;
      readonly notify?: boolean;
    }
  /** utm5_dhcp leased, renewed or let expire an address (the manual's DHCP lease events); accountId 0 when unbound. */
  | {
      readonly kind: 'dhcp_lease';
      readonly op: 'new' | 'update' | 'expire';
      readonly accountId: number;
      readonly slinkId: number;
      readonly ip: string;
      readonly mac: string;
      readonly switchId: number;
      readonly port: number;
      readonly vlan: number;
    }
  /** An invoice was issued (automatic at a period end or on a payment-in-advance rule, or manual). */
  | { readonly kind: 'invoice'; readonly accountId: number; readonly invoiceId: number }
  | {
      readonly kind: 'user_log';
      readonly userId: number;
      readonly action: string;
      readonly comments: string;
      readonly who: string;
    };

export type LinkOp = 'add' | 'edit' | 'delete';

export interface SessionFacts {
  readonly accountId: number;
  readonly slinkId: number;
  readonly serviceId: number;
  readonly serviceType: number;
  readonly nasId: string;
  readonly nasIp: string;
  readonly sessionId: string;
  readonly callingSid: string;
  readonly calledSid: string;
  readonly framedIp: string;
}

export interface TechParamFacts {
  readonly accountId: number;
  readonly slinkId: number;
  readonly serviceType: number;
  readonly id: number;
  /** 1 web, 2 e-mail, ... */
  readonly typeId: number;
  readonly value: string;
  /** Never logged. */
  readonly password: string;
}

export type BillingEventKind = BillingEvent['kind'];

/** A listener runs inside the raising transaction; throwing rolls the change back, so a listener must not fail lightly. */
export type BillingEventListener = (trx: Knex.Transaction, ev: BillingEvent, now: number) => Promise<void>;

/**
 * The event bus of the core: built first by the composition root, given to every module that raises events and to
 * every module that listens. No I/O of its own.
 */
export class BillingEvents {
  private readonly listeners: BillingEventListener[] = [];

  on(listener: BillingEventListener): void {
    this.listeners.push(listener);
  }

  async emit(trx: Knex.Transaction, ev: BillingEvent, now: number): Promise<void> {
    for (const l of this.listeners) await l(trx, ev, now);
  }
}
