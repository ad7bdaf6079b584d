import type { Clock, Logger } from '@utm5/common';
import type { Knex, UserLogEntry, UserLogRepo } from '@utm5/db';
import { NO_LISTENERS, type EventSink } from '../events/event-sink';

/** Who did something: a system user, dealer, customer or daemon login. */
export interface JournalActor {
  readonly id: number;
  readonly login: string;
}

/**
 * The core journal: who did what, logged at NOTICE and kept in user_log (URFA refusals, daemon reports, system
 * actions). Writing never throws: a journal that cannot be written must not fail the action it records.
 * Every entry raises the 'user_log' billing event in the transaction that writes it.
 */
export class Journal {
  constructor(
    private readonly repo: UserLogRepo,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** A transaction of the core's database, for an entry written on its own with its event. */
    private readonly tx?: <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>,
    private readonly events: EventSink = NO_LISTENERS,
  ) {}

  write(who: JournalActor, peer: string, action: string, details: string, userId?: number): void {
    this.log.notice(`${who.login}@${peer}: ${action}: ${details}`);
    const ip = peer.replace(/^\[?([^\]]*?)\]?:\d+$/, '$1');
    const e: UserLogEntry = {
      ts: this.clock.now(),
      actorId: who.id,
      actorLogin: who.login,
      actorIp: ip,
      action,
      userId: userId ?? null,
      details,
    };
    const tx = this.tx;
    const written = tx ? tx((trx) => this.appendRaising(trx, e)) : this.repo.append(e);
    void written
      // A listener that fails must not cost the entry: it is written again without the event.
      .catch((err) => {
        this.log.error(`journal entry's user_log event failed: ${(err as Error).message}; entry written without it`);
        return tx ? this.repo.append(e) : undefined;
      })
      .catch((err) => this.log.error(`cannot write the journal: ${(err as Error).message}`));
  }

  private async appendRaising(trx: Knex.Transaction, e: UserLogEntry): Promise<void> {
    await this.repo.append(e, trx);
    await this.events.emit(
      trx,
      { kind: 'user_log', userId: e.userId ?? 0, action: e.action, comments: e.details, who: e.actorLogin },
      e.ts,
    );
  }

  /** A daemon's report, committed with the Stream batch that carried it. */
  async append(
    trx: Knex.Transaction,
    who: JournalActor,
    now: number,
    action: string,
    details: string,
    userId: number | null,
  ): Promise<void> {
    await this.appendRaising(trx, {
      ts: now,
      actorId: who.id,
      actorLogin: who.login,
      actorIp: '',
      action,
      details,
      userId,
    });
  }

  /** Removes entries older than `before`; returns how many went. */
  prune(before: number): Promise<number> {
    return this.repo.prune(before);
  }
}
