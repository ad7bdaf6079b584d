import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { chapResponse } from '../wire/chap';
import type { ProtocolLog } from '../urfa/server-types';
import { CallTable, StreamCallError, answerCall, type CallHandler } from './calls';
import { FrameDecoder, encodeFrame } from './frame';
import { checkCallMsg, type ClientMsg, type EventMsg } from './messages';

export interface StreamClientOptions {
  readonly host: string;
  readonly port: number;
  readonly login: string;
  readonly password: string;
  /** Names this daemon instance; with the login it keys the sequence numbers the core remembers. */
  readonly sender: string;
  readonly topics: readonly string[];
  readonly pingIntervalMs: number;
  /** TLS to the core (when the core has stream_tls enabled); the core's certificate is not verified without a CA. */
  readonly tls?: ConnectionOptions | undefined;
  readonly log: ProtocolLog;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** The calls this daemon answers, by method name (named to the core at login). */
  readonly calls?: Readonly<Record<string, CallHandler>>;
  onSnapshot?(topic: string, items: unknown[]): void;
  onEvent?(ev: EventMsg): void;
  onTime?(now: number): void;
  onConnected?(info: { now: number; testClock: boolean }): void;
}

interface Pending {
  /** 0 until numbered: a batch gets its number only once the link is up and the core's last number is known. */
  seq: number;
  kind: string;
  items: unknown[];
  onSequenced?: ((seq: number) => void) | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

export interface SendOptions {
  /** A number this batch already had (a batch from a daemon's disk buffer, sent before a restart). */
  readonly seq?: number;
  /**
   * Called with the batch's number before it is first written, so a daemon with a disk buffer can record it; a
   * batch resent after a restart under the same number is then applied once.
   */
  readonly onSequenced?: (seq: number) => void;
}

export class StreamRejectedError extends Error {
  constructor(
    readonly seq: number,
    reason: string,
  ) {
    super(`the core rejected records ${seq}: ${reason}`);
    this.name = 'StreamRejectedError';
  }
}

/**
 * A daemon's link to the core: logs in, keeps the link alive with pings, reconnects with backoff, and delivers
 * records exactly once: each batch keeps its sequence number until the core acknowledges it, and is resent after a
 * reconnect (the core drops the ones it already committed).
 */
export class StreamClient {
  private socket: Socket | undefined;
  private decoder = new FrameDecoder();
  private stopped = false;
  private online = false;
  private nextSeq = 0;
  private readonly pending: Pending[] = [];
  private pingTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private lastPong = 0;
  private pingId = 0;
  private backoff: number;
  private connectedOnce: Promise<void>;
  private resolveConnected: () => void = () => undefined;
  private readonly calls = new CallTable();

  constructor(private readonly o: StreamClientOptions) {
    this.backoff = o.reconnectMinMs ?? 500;
    this.connectedOnce = new Promise((r) => {
      this.resolveConnected = r;
    });
  }

  get connected(): boolean {
    return this.online;
  }

  /** Batches sent and not yet acknowledged. */
  get unacknowledged(): number {
    return this.pending.length;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Resolves once the first login succeeded. */
  ready(): Promise<void> {
    return this.connectedOnce;
  }

  private open(): void {
    if (this.stopped) return;
    const onConnect = (s: Socket) => {
      this.socket = s;
      this.decoder = new FrameDecoder();
      s.on('data', (c: Buffer) => this.onData(c));
    };
    const s = this.o.tls
      ? tlsConnect({ host: this.o.host, port: this.o.port, rejectUnauthorized: false, ...this.o.tls })
      : netConnect({ host: this.o.host, port: this.o.port });
    s.once(this.o.tls ? 'secureConnect' : 'connect', () => onConnect(s));
    s.on('error', (err) => this.o.log.debug(`Stream to ${this.o.host}:${this.o.port}: ${err.message}`));
    s.on('close', () => this.dropped());
  }

  private dropped(): void {
    const was = this.online;
    this.online = false;
    this.socket = undefined;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = undefined;
    this.calls.failAll('the link to the core dropped');
    if (this.stopped) return;
    if (was) this.o.log.warn(`Stream link to the core ${this.o.host}:${this.o.port} lost; reconnecting`);
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.o.reconnectMaxMs ?? 30_000);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
  }

  private write(msg: ClientMsg): void {
    this.socket?.write(encodeFrame(msg));
  }

  private onData(chunk: Buffer): void {
    let msgs: Record<string, unknown>[];
    try {
      msgs = this.decoder.push(chunk);
    } catch (err) {
      this.o.log.error(`Stream: malformed frame from the core: ${(err as Error).message}`);
      this.socket?.destroy();
      return;
    }
    for (const m of msgs) this.handle(m);
  }

  private handle(m: Record<string, unknown>): void {
    switch (m['t']) {
      case 'hello': {
        const challenge = Buffer.from(String(m['challenge']), 'hex');
        this.write({
          t: 'login',
          login: this.o.login,
          response: chapResponse(challenge, this.o.password).toString('hex'),
          sender: this.o.sender,
          topics: [...this.o.topics],
          ...(this.o.calls ? { methods: Object.keys(this.o.calls) } : {}),
        });
        return;
      }
      case 'denied':
        this.o.log.error(`Stream login to the core refused for '${this.o.login}' (check the login and password)`);
        return;
      case 'welcome': {
        this.online = true;
        this.backoff = this.o.reconnectMinMs ?? 500;
        const last = Number(m['lastSeq']);
        // New batches continue after everything the core has; numbered unacknowledged ones keep their numbers.
        const maxPending = this.pending.reduce((x, p) => Math.max(x, p.seq), 0);
        this.nextSeq = Math.max(this.nextSeq, last, maxPending);
        this.pending.sort((a, b) => (a.seq || Infinity) - (b.seq || Infinity));
        this.lastPong = Date.now();
        this.pingTimer = setInterval(() => this.ping(), this.o.pingIntervalMs);
        this.o.log.info(
          `Stream link to the core ${this.o.host}:${this.o.port} up (last committed ${last}, resending ${this.pending.length})`,
        );
        for (const p of this.pending) this.transmit(p);
        this.o.onConnected?.({ now: Number(m['now']), testClock: Boolean(m['testClock']) });
        this.resolveConnected();
        return;
      }
      case 'snapshot':
        this.o.onSnapshot?.(String(m['topic']), (m['items'] as unknown[]) ?? []);
        return;
      case 'event':
        this.o.onEvent?.(m as unknown as EventMsg);
        return;
      case 'time':
        this.o.onTime?.(Number(m['now']));
        return;
      case 'pong':
        this.lastPong = Date.now();
        return;
      case 'call':
      case 'reply': {
        const c = checkCallMsg(m);
        if (typeof c === 'string') this.o.log.debug(`Stream: malformed ${String(m['t'])} from the core ignored: ${c}`);
        else if (c.t === 'reply') this.calls.settle(c);
        else
          answerCall(c, Object.hasOwn(this.o.calls ?? {}, c.method) ? this.o.calls![c.method] : undefined, (r) =>
            this.write(r),
          );
        return;
      }
      case 'ack':
      case 'nack': {
        const seq = Number(m['seq']);
        const i = this.pending.findIndex((p) => p.seq === seq);
        if (i < 0) return;
        const [p] = this.pending.splice(i, 1);
        if (m['t'] === 'ack') p!.resolve();
        else p!.reject(new StreamRejectedError(seq, String(m['reason'])));
        return;
      }
      default:
        this.o.log.debug(`Stream: unknown message '${String(m['t'])}' ignored`);
    }
  }

  private ping(): void {
    if (Date.now() - this.lastPong > this.o.pingIntervalMs * 3) {
      this.o.log.warn('Stream: the core stopped answering pings; reconnecting');
      this.socket?.destroy();
      return;
    }
    this.write({ t: 'ping', id: ++this.pingId });
  }

  /**
   * Sends a batch of records; resolves when the core has committed it. While the link is down the batch waits and
   * goes out after the reconnect, with the same sequence number.
   */
  send(kind: string, items: unknown[], opts: SendOptions = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      const p: Pending = { seq: opts.seq ?? 0, kind, items, onSequenced: opts.onSequenced, resolve, reject };
      this.pending.push(p);
      if (this.online) this.transmit(p);
    });
  }

  private transmit(p: Pending): void {
    if (p.seq === 0) {
      p.seq = ++this.nextSeq;
      p.onSequenced?.(p.seq);
    }
    this.write({ t: 'records', seq: p.seq, kind: p.kind, items: p.items });
  }

  /**
   * Asks the core to do something now and answer within `timeoutMs`. Fails at once with StreamCallError 'offline'
   * while the link is down: a call is for an asker who is waiting, so it is never queued for a later link.
   */
  call(method: string, args: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.online) return Promise.reject(new StreamCallError('offline', method, 'the link to the core is down'));
    return this.calls.call((m) => this.write(m), method, args, timeoutMs);
  }

  /** Waits (at most `ms`) for the batches in flight to be acknowledged while the link is up: before a clean stop. */
  async drain(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.online && this.pending.length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.calls.failAll('the daemon is stopping');
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.socket?.end();
    this.socket?.destroy();
  }
}
