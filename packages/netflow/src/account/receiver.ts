import { createSocket, type Socket } from 'node:dgram';
import { NetflowDecoder } from '../decoder';
import type { FlowRecord } from '../flow';
import { STATS_INTERVAL_SECONDS, TrafficAggregator, type FlowAccounting, type RangeCheck } from './aggregator';

export interface ReceiverCounters {
  packets: number;
  records: number;
  malformed: number;
  /** Packets from exporters that are not among the collector's NetFlow providers. */
  unknownProvider: number;
}

export interface ReceiverOptions<R> {
  readonly host: string;
  readonly port: number;
  /** UDP receive buffer to ask the OS for (bytes); the OS default when absent. */
  readonly bufsize?: number | undefined;
  readonly templateTimeoutSec: number;
  readonly inRange: RangeCheck<R>;
  /** Aggregation interval of the statistics, seconds. */
  readonly intervalSeconds?: number;
  /** Each flow after accounting, with where it went (the raw detail files). */
  readonly onFlow?: (f: FlowRecord, acct: FlowAccounting, provider: string) => void;
  /** The aggregates reached `bufferSize`: commit them now. */
  readonly onFull?: () => void;
  readonly onSocketError?: (err: Error) => void;
}

/**
 * NetFlow in, aggregates out: a UDP socket, the decoder, the exporter filter (the collector's NetFlow providers) and
 * the aggregator. utm5_traffic_collector and the core's built-in NetFlow buffer both receive through this; they
 * differ only in where the aggregates go. A datagram never throws: malformed ones are counted and dropped.
 */
export class NetflowReceiver<R> {
  readonly decoder: NetflowDecoder;
  readonly aggregator: TrafficAggregator<R>;
  readonly counters: ReceiverCounters = { packets: 0, records: 0, malformed: 0, unknownProvider: 0 };
  /** Accepted exporter addresses; empty accepts every exporter. */
  providers = new Set<string>();
  bufferSize = 10000;
  /** When set, flows are dated by this clock (a core on the test clock), not by the exporter's. */
  flowTimeMs: (() => number | undefined) | undefined;
  private socket: Socket | undefined;

  constructor(private readonly o: ReceiverOptions<R>) {
    this.decoder = new NetflowDecoder({ templateTimeoutSec: o.templateTimeoutSec });
    this.aggregator = new TrafficAggregator({
      intervalSeconds: o.intervalSeconds ?? STATS_INTERVAL_SECONDS,
      inRange: o.inRange,
    });
  }

  /** Binds; resolves with the receive buffer size the OS granted. The error names the parameters to check. */
  listen(): Promise<number> {
    const s = createSocket({
      type: this.o.host.includes(':') ? 'udp6' : 'udp4',
      ...(this.o.bufsize ? { recvBufferSize: this.o.bufsize } : {}),
    });
    this.socket = s;
    s.on('message', (msg, rinfo) => this.packet(msg, rinfo.address));
    return new Promise((resolve, reject) => {
      s.once('error', (err) =>
        reject(
          new Error(
            `cannot listen for NetFlow on ${this.o.host}:${this.o.port}: ${err.message} (nfbuffer_host/nfbuffer_port)`,
          ),
        ),
      );
      s.bind(this.o.port, this.o.host, () => {
        s.removeAllListeners('error');
        s.on('error', (err) => this.o.onSocketError?.(err));
        resolve(s.getRecvBufferSize());
      });
    });
  }

  packet(msg: Buffer, from: string): void {
    this.counters.packets++;
    if (this.providers.size > 0 && !this.providers.has(from)) {
      this.counters.unknownProvider++;
      return;
    }
    const r = this.decoder.decode(msg, from);
    if (r.error) this.counters.malformed++;
    this.counters.records += r.records.length;
    const at = this.flowTimeMs?.();
    for (const f of r.records) {
      if (at !== undefined) f.end = at;
      const acct = this.aggregator.add(f, from);
      if (acct && this.o.onFlow) this.o.onFlow(f, acct, from);
    }
    if (this.aggregator.pending >= this.bufferSize) this.o.onFull?.();
  }

  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    return new Promise((r) => (s ? s.close(() => r()) : r()));
  }
}
