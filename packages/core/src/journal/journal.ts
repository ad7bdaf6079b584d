import type { Clock, Logger } from '@utm5/common';
import type { Knex, UserLogRepo } from '@utm5/db';

/** Who did something: a system user, dealer, customer or daemon login. */
export interface JournalActor {
  readonly id: number;
  readonly login: string;
}

/**
 * The core journal: who did what, logged at NOTICE and kept in user_log (URFA refusals, daemon reports, system
 * actions). Writing never throws: a journal that cannot be written must not fail the action it records.
 */
export class Journal {
  constructor(
    private readonly repo: UserLogRepo,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  write(who: JournalActor, peer: string, action: string, details: string, userId?: number): void {
    this.log.notice(`${who.login}@${peer}: ${action}: ${details}`);
    const ip = peer.replace(/^\[?([^\]]*?)\]?:\d+$/, '$1');
    void this.repo
      .append({
        ts: this.clock.now(),
        actorId: who.id,
        actorLogin: who.login,
        actorIp: ip,
        action,
        userId: userId ?? null,
        details,
      })
      .catch((err) => this.log.error(`cannot write the journal: ${(err as Error).message}`));
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
    await this.repo.append(
      { ts: now, actorId: who.id, actorLogin: who.login, actorIp: '', action, details, userId },
      trx,
    );
  }

  /** Removes entries older than `before`; returns how many went. */
  prune(before: number): Promise<number> {
    return this.repo.prune(before);
  }
}
