import { DIRECTIONS, type Direction } from './settings';

/** The bandwidth in force on a link per direction, Kbit/s; a direction without a limit is absent. */
export type LinkBandwidth = Partial<Record<Direction, number>>;

/** The manual's firewall events: Set, Edit and Delete bandwidth limit (incoming / outgoing). */
export type ShapingEventKind = 'set' | 'edit' | 'delete';

export interface BandwidthChange {
  readonly slinkId: number;
  readonly direction: Direction;
  readonly event: ShapingEventKind;
  /** The new bandwidth; for a delete, the one that was in force (the BANDWIDTH of the Delete event). */
  readonly kbit: number;
}

/**
 * What changed between the bandwidths in force before and after, for the given links: entering a limit is 'set',
 * a different one 'edit', leaving it 'delete'.
 */
export function bandwidthChanges(
  before: ReadonlyMap<number, LinkBandwidth>,
  after: ReadonlyMap<number, LinkBandwidth>,
  slinkIds: Iterable<number>,
): BandwidthChange[] {
  const out: BandwidthChange[] = [];
  for (const slinkId of slinkIds) {
    for (const direction of DIRECTIONS) {
      const was = before.get(slinkId)?.[direction];
      const now = after.get(slinkId)?.[direction];
      if (was === now) continue;
      if (was === undefined) out.push({ slinkId, direction, event: 'set', kbit: now! });
      else if (now === undefined) out.push({ slinkId, direction, event: 'delete', kbit: was });
      else out.push({ slinkId, direction, event: 'edit', kbit: now });
    }
  }
  return out;
}
