import type { Clock, Logger } from '@utm5/common';
import type { Database, Knex } from '@utm5/db';
import type { Tariffication } from '../tariffication/engine';
import type { CallOutcome, CallRecord, CallSource } from './model';
import type { TelSnapshot } from './snapshot';

export interface TelCallsDeps {
  readonly db: Database;
  readonly tariffication: Pick<Tariffication, 'charger'>;
  readonly snapshot: () => TelSnapshot;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
}

/**
 * The call pipeline: finds each call's link (ANI, tech prefix, login, called number), its direction and tariff class,
 * rates it, and writes the call, its parts, the usage and the charge in one transaction; a call id seen before is
 * counted as a duplicate and charged nothing. Not implemented yet: see issue 13.
 */
export class TelCalls {
  constructor(private readonly d: TelCallsDeps) {
    void this.d;
  }

  /** Rates a batch in one transaction; one outcome per record, in order. */
  async rate(_records: readonly CallRecord[], _source: CallSource): Promise<CallOutcome[]> {
    throw new Error('TelCalls.rate: not implemented');
  }

  /** Rates a batch in the caller's transaction (Stream record kinds commit with their spool). */
  async rateIn(
    _trx: Knex.Transaction,
    _records: readonly CallRecord[],
    _source: CallSource,
    _now: number,
  ): Promise<CallOutcome[]> {
    throw new Error('TelCalls.rateIn: not implemented');
  }
}
