import type { Clock, SecretBox } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { Tariffication } from '../tariffication/engine';

export interface TelCatalogDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly clock: Clock;
  readonly tariffication: Pick<Tariffication, 'catalog' | 'addPeriodicLink'>;
  /** Reference data changed: the snapshot is rebuilt (after the change's transaction). */
  readonly changed: () => void;
}

/**
 * Zones, directions, telephony services, telephony links and their numbers, emergency zones: the writes (audited)
 * and the reads the URFA functions make. Not implemented yet: see issue 13.
 */
export class TelCatalog {
  constructor(private readonly d: TelCatalogDeps) {
    void this.d;
  }
}
