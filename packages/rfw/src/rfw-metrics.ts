import { registerReadMetrics, type Registry } from '@utm5/common';
import type { RfwDaemon } from './rfw-daemon';

type Snapshot = ReturnType<RfwDaemon['snapshot']>;

/** utm5_rfw's domain metrics, read at scrape time from the executor's counters (the stats file shows the same). */
export function registerRfwMetrics(registry: Registry, snapshot: () => Snapshot): void {
  registerReadMetrics<Snapshot>(registry, snapshot, [
    {
      name: 'utm5_rfw_commands_total',
      help: 'Firewall commands run, by result (duplicate: already run before a reconnect, answered from the state file).',
      type: 'counter',
      labelNames: ['result'],
      read: (s) => [
        [{ result: 'ok' }, s.ok],
        [{ result: 'failed' }, s.failed],
        [{ result: 'duplicate' }, s.duplicate],
      ],
    },
    { name: 'utm5_rfw_retries_total', help: 'Command retries.', type: 'counter', read: (s) => s.retries },
    { name: 'utm5_rfw_batches_total', help: 'Batches from the core.', type: 'counter', read: (s) => s.batches },
    {
      name: 'utm5_rfw_queue_length',
      help: 'Commands received from the core and not yet answered (running or waiting their turn).',
      type: 'gauge',
      read: (s) => s.queued,
    },
    { name: 'utm5_rfw_running', help: 'Commands running now.', type: 'gauge', read: (s) => s.running },
    {
      name: 'utm5_rfw_stream_link_up',
      help: '1 while the Stream link to the core is logged in.',
      type: 'gauge',
      read: (s) => s.connected,
    },
  ]);
}
