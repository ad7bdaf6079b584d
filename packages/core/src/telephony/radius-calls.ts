import type { Clock, Logger, SecretBox } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { StreamHub } from '../stream/stream-hub';
import type { TelCalls } from './calls';
import type { TelSnapshot } from './snapshot';

export interface TelRadiusDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly stream: StreamHub;
  readonly calls: TelCalls;
  readonly snapshot: () => TelSnapshot;
  readonly clock: Clock;
  readonly timezone: string;
  readonly log: Logger;
}

/**
 * utm5_radius's telephony: the Stream method that answers h323 registration and call authorization (credit time,
 * credit amount, return code) and the record kind that carries Accounting Start/Stop of calls to be rated.
 * Not implemented yet: see issue 13.
 */
export class TelRadius {
  constructor(private readonly d: TelRadiusDeps) {
    void this.d;
  }

  /** Registers the Stream method and record kind with the hub. */
  start(): void {}
}
