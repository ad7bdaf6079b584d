import type { Clock, Logger, SecretBox, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import { bordersOf } from '../events/balance-borders';
import { NO_LISTENERS, type EventSink } from '../events/event-sink';
import { AccountLocks } from './account-locks';
import { AccountService } from './accounts/account-service';
import { SYSTEM_ACTOR } from './audit';
import { AuditLogRepo } from './audit-log-repo';
import { BlockService } from './blocking/block-service';
import { CardService, type CardTariffs } from './cards/card-service';
import { DealerService } from './dealers/dealer-service';
import { Ledger } from './ledger';
import { CurrencyService } from './payments/currency-service';
import { PaymentService } from './payments/payment-service';
import { PortalService } from './portal/portal-service';
import { TimeEvents, type TimeEvent } from './timemarks/time-events';
import { UserGroups } from './users/user-groups';
import { UserService } from './users/user-service';

export interface BillingDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly log: Logger;
  /** A system parameter's current value. */
  readonly param: (name: string) => string | undefined;
  /**
   * How a new card user gets the card's tariff plan. Tariffication provides it and is built after Billing, so this is
   * asked at each card activation, not at construction; absent (or returning undefined), a card's plan is only noted.
   */
  readonly cardTariffs?: () => CardTariffs | undefined;
  /** The core's billing events, raised inside the transactions that make the changes; absent, nobody listens. */
  readonly events?: EventSink;
}

/**
 * The money side of the core (billing engine I): users, accounts, payments, blockings, portal facilities, cards and
 * dealers, sharing one set of account locks and one timemark queue.
 */
export class Billing implements Service {
  readonly name = 'billing';
  readonly locks = new AccountLocks();
  readonly events: TimeEvents;
  readonly blocks: BlockService;
  readonly currencies: CurrencyService;
  readonly payments: PaymentService;
  readonly accounts: AccountService;
  readonly users: UserService;
  readonly groups: UserGroups;
  readonly portal: PortalService;
  readonly cards: CardService;
  readonly dealers: DealerService;
  /** The user change log that every service above writes through audit(). */
  readonly auditLog: AuditLogRepo;
  /** Where every movement of money is posted (balance events included); tariffication's charges too. */
  readonly ledger: Ledger;
  /** The billing events bus as the services raise on it (tariffication's link events too). */
  readonly bus: EventSink;

  constructor(private readonly d: BillingDeps) {
    const now = () => d.clock.now();
    const bus = (this.bus = d.events ?? NO_LISTENERS);
    this.ledger = new Ledger(
      bus,
      bordersOf(() => d.param('notification_borders')),
    );
    this.events = new TimeEvents(d.clock, (ev) => this.onTimemark(ev), d.log);
    this.blocks = new BlockService(this.events, d.log, bus);
    this.currencies = new CurrencyService(d.db, () => Number(d.param('system_currency') ?? 810));
    this.payments = new PaymentService(
      d.db,
      this.locks,
      this.currencies,
      this.blocks,
      this.events,
      now,
      d.log,
      this.ledger,
      bus,
    );
    this.accounts = new AccountService(d.db, this.locks, this.blocks, now, this.ledger, bus);
    this.users = new UserService(d.db, d.secrets, d.clock, this.accounts, bus);
    this.groups = new UserGroups(d.db);
    this.portal = new PortalService(d.db, this.locks, this.payments, this.blocks, now, this.ledger, bus);
    this.cards = new CardService(d.db, this.payments, this.users, now, d.param, () => d.cardTariffs?.(), bus);
    this.dealers = new DealerService(d.db, d.secrets, d.clock, bus);
    this.auditLog = new AuditLogRepo(d.db);
  }

  get systemCurrency(): number {
    return Number(this.d.param('system_currency') ?? 810);
  }

  async start(): Promise<void> {
    await this.users.start();
    await this.dealers.start();
    const pending: TimeEvent[] = [
      ...(await PaymentService.pendingEvents(this.d.db.knex)),
      ...(await BlockService.pendingEvents(this.d.db.knex)),
    ];
    this.events.start(pending);
    this.d.log.info(`billing started: ${pending.length} timemarks pending`);
  }

  async stop(): Promise<void> {
    this.events.stop();
  }

  private readonly extra = new Map<TimeEvent['kind'], (ev: TimeEvent) => Promise<void>>();

  /** Tariffication's own timemarks (period ends, flow charges, funds checks, one-time charges) run through here. */
  onTimemarkKind(kind: TimeEvent['kind'], fn: (ev: TimeEvent) => Promise<void>): void {
    this.extra.set(kind, fn);
  }

  private async onTimemark(ev: TimeEvent): Promise<void> {
    const extra = this.extra.get(ev.kind);
    if (extra) {
      await extra(ev);
      return;
    }
    switch (ev.kind) {
      case 'burn':
        await this.payments.burn(ev.id);
        return;
      case 'credit_expire':
        await this.payments.expireCredit(ev.id);
        return;
      case 'block_start':
      case 'block_end': {
        const b = await this.d.db.knex('blocks_info').where({ id: ev.id }).first('account_id', 'block_type');
        if (!b) return;
        const accountId = Number(b.account_id);
        await this.locks.with(accountId, () =>
          this.d.db.tx(async (trx) => {
            const now = this.d.clock.now();
            if (ev.kind === 'block_start') await this.blocks.activate(trx, ev.id, now);
            else {
              const active = await this.blocks.active(trx, accountId);
              if (active?.id === ev.id)
                await this.blocks.unblock(trx, accountId, now, SYSTEM_ACTOR, {
                  type: Number(b.block_type),
                  why: 'expired',
                });
            }
          }),
        );
      }
    }
  }
}
