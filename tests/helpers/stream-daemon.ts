import { StreamClient, type EventMsg } from '@utm5/protocol';

/** A test daemon on Stream: records what the core tells it. */
export interface TestDaemon {
  readonly client: StreamClient;
  readonly snapshots: { topic: string; items: unknown[] }[];
  readonly events: EventMsg[];
  readonly times: number[];
  connects: number;
}

export function testDaemon(
  port: number,
  o: { login?: string; password?: string; sender?: string; topics?: string[] } = {},
): TestDaemon {
  const d: TestDaemon = {
    snapshots: [],
    events: [],
    times: [],
    connects: 0,
    client: undefined as unknown as StreamClient,
  };
  const quiet = { debug() {}, info() {}, notice() {}, warn() {}, error() {} };
  (d as { client: StreamClient }).client = new StreamClient({
    host: '127.0.0.1',
    port,
    login: o.login ?? 'radius',
    password: o.password ?? 'radius',
    sender: o.sender ?? 'test-daemon',
    topics: o.topics ?? ['system_parameters'],
    pingIntervalMs: 500,
    log: quiet,
    reconnectMinMs: 100,
    reconnectMaxMs: 500,
    onSnapshot: (topic, items) => d.snapshots.push({ topic, items }),
    onEvent: (ev) => d.events.push(ev),
    onTime: (now) => d.times.push(now),
    onConnected: () => {
      d.connects++;
    },
  });
  d.client.start();
  return d;
}
