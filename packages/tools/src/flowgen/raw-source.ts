import { isIPv4 } from 'node:net';
import { V5_MAX_RECORDS, readRawFlows, type FlowRecord, type RawFileSummary } from '@utm5/netflow';
import { PacketBuilder, type PacketPlan } from './generator';

/** What a replay of a raw file came to; filled in as the packets are taken. */
export interface ReplayStats {
  records: number;
  /** v5 carries IPv4 addresses only: IPv6 flows are left out and counted. */
  skipped: number;
  /** How reading the file ended; unset when the replay stopped early at `limit`. */
  file?: RawFileSummary;
}

/**
 * The builders' templates carry a next hop of the flow's own family: one of the other family (a collector stores
 * what the exporter sent, e.g. an IPv6 flow with no IPv6 next hop keeps 0.0.0.0) goes as the unspecified address.
 */
function exportable(f: FlowRecord): FlowRecord {
  const v4 = isIPv4(f.nextHop);
  if (f.ipVersion === 4 ? v4 : !v4) return f;
  return { ...f, nextHop: f.ipVersion === 4 ? '0.0.0.0' : '::' };
}

/**
 * The flows of a .utm raw file (utm5_flowgen -u) as export packets of 30 records, at most `limit` records. Flow
 * times are kept: IPFIX carries them as they are; v5/v9 relative to the exporter's uptime, which decoders resolve
 * within about 24 days of the export time.
 */
export async function* rawPackets(
  path: string,
  plan: PacketPlan,
  limit: number,
  now: () => number,
  stats: ReplayStats,
): AsyncGenerator<Buffer> {
  const builder = new PacketBuilder(plan);
  let batch: FlowRecord[] = [];
  for await (const f of readRawFlows(path, (s) => {
    stats.file = s;
  })) {
    if (stats.records + batch.length >= limit) break;
    if (plan.version === 5 && f.ipVersion !== 4) {
      stats.skipped++;
      continue;
    }
    batch.push(exportable(f));
    if (batch.length === V5_MAX_RECORDS) {
      stats.records += batch.length;
      yield builder.build(batch, now());
      batch = [];
    }
  }
  if (batch.length > 0) {
    stats.records += batch.length;
    yield builder.build(batch, now());
  }
}
