import { registerReadMetrics, type Registry } from '@utm5/common';
import type { DecoderStats } from '@utm5/netflow';
import type { Collector } from './collector';

type Snapshot = ReturnType<Collector['snapshot']>;
const VERSIONS = [
  [5, '5'],
  [7, '7'],
  [9, '9'],
  [10, 'ipfix'],
] as const;

/**
 * utm5_traffic_collector's domain metrics, read at scrape time from the counters the receiver and the collector
 * keep (the stats file shows the same ones): a NetFlow packet costs no more than it did.
 */
export function registerCollectorMetrics(
  registry: Registry,
  snapshot: () => Snapshot,
  decoder: () => DecoderStats,
): void {
  registerReadMetrics<Snapshot>(registry, snapshot, [
    {
      name: 'utm5_collector_packets_total',
      help: 'NetFlow datagrams received (every exporter, before the provider check).',
      type: 'counter',
      read: (s) => s.packets,
    },
    {
      name: 'utm5_collector_records_total',
      help: 'Flow records decoded from accepted datagrams.',
      type: 'counter',
      read: (s) => s.records,
    },
    {
      name: 'utm5_collector_dropped_total',
      help: 'NetFlow datagrams dropped, by reason.',
      type: 'counter',
      labelNames: ['reason'],
      read: (s) => [
        [{ reason: 'malformed' }, s.malformed],
        [{ reason: 'unknown_provider' }, s.unknownProvider],
      ],
    },
    {
      name: 'utm5_collector_flows_total',
      help: 'Flows by what became of them: classified, aggregated, unaccounted (no class or no link).',
      type: 'counter',
      labelNames: ['outcome'],
      read: (s) => [
        [{ outcome: 'classified' }, s.classified],
        [{ outcome: 'aggregated' }, s.aggregated],
        [{ outcome: 'unaccounted' }, s.unaccounted],
      ],
    },
    {
      name: 'utm5_collector_batches_total',
      help: 'Batches of aggregates to the core, by outcome.',
      type: 'counter',
      labelNames: ['outcome'],
      read: (s) => [
        [{ outcome: 'sent' }, s.batchesSent],
        [{ outcome: 'acked' }, s.batchesAcked],
        [{ outcome: 'rejected' }, s.batchesRejected],
        [{ outcome: 'dropped' }, s.batchesDropped],
      ],
    },
    {
      name: 'utm5_collector_spool_batches',
      help: 'Batches in the disk buffer (written, not yet committed by the core).',
      type: 'gauge',
      read: (s) => s.spooled,
    },
    {
      name: 'utm5_collector_unacknowledged',
      help: 'Records sent to the core and not yet acknowledged.',
      type: 'gauge',
      read: (s) => s.unacknowledged,
    },
    {
      name: 'utm5_collector_pending_aggregates',
      help: 'Aggregates waiting for the next commit.',
      type: 'gauge',
      read: (s) => s.pendingAggregates,
    },
    {
      name: 'utm5_collector_stream_link_up',
      help: '1 while the Stream link to the core is logged in.',
      type: 'gauge',
      read: (s) => s.connected,
    },
  ]);
  registerReadMetrics<DecoderStats>(registry, decoder, [
    {
      name: 'utm5_collector_decoded_packets_total',
      help: 'NetFlow packets decoded whole, by version.',
      type: 'counter',
      labelNames: ['version'],
      read: (d) => VERSIONS.map(([v, label]) => [{ version: label }, d.byVersion[v].packets] as const),
    },
    {
      name: 'utm5_collector_decoded_records_total',
      help: 'Flow records of packets decoded whole, by version.',
      type: 'counter',
      labelNames: ['version'],
      read: (d) => VERSIONS.map(([v, label]) => [{ version: label }, d.byVersion[v].records] as const),
    },
    {
      name: 'utm5_collector_malformed_total',
      help: 'Malformed NetFlow packets, by fault.',
      type: 'counter',
      labelNames: ['fault'],
      read: (d) => Object.entries(d.malformed).map(([fault, n]) => [{ fault }, n] as const),
    },
  ]);
}
