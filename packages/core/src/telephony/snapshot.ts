import type { Database } from '@utm5/db';
import { DirectionIndex } from './directions';
import type { TelLink, TelNumber, TelTariff, TelZone } from './model';

/**
 * What rating and authorization read, in memory: zones, the direction index, every telephony service's tariff and the
 * numbers of live telephony links. Rebuilt after a change (TelephonyModule.changed).
 */
export interface TelSnapshot {
  readonly zones: ReadonlyMap<number, TelZone>;
  readonly directions: DirectionIndex;
  readonly tariffs: ReadonlyMap<number, TelTariff>;
  readonly numbers: readonly TelNumber[];
  /** Live telephony links by slink id. */
  readonly links: ReadonlyMap<number, TelLink>;
}

export const EMPTY_SNAPSHOT: TelSnapshot = {
  zones: new Map(),
  directions: new DirectionIndex([]),
  tariffs: new Map(),
  numbers: [],
  links: new Map(),
};

/** Reads the snapshot from the database. Not implemented yet: see issue 13. */
export async function loadSnapshot(_db: Database, _timezone: string): Promise<TelSnapshot> {
  return EMPTY_SNAPSHOT;
}
