import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { chapMatches } from '../wire/chap';
import { ProtocolError } from '../wire/protocol-error';
import type { LoginDecision, ProtocolCounters, ProtocolLog, UrfaIdentity } from '../urfa/server-types';
import { CallTable, StreamCallError, answerCall, type CallHandler } from './calls';
import { FrameDecoder, STREAM_VERSION, encodeFrame } from './frame';
import { checkClientMsg, type ClientMsg, type ServerMsg } from './messages';

export type RecordsOutcome = { readonly applied: true } | { readonly applied: false; readonly reason: string };

export interface StreamServerOptions<P extends UrfaIdentity> {
  readonly serverName: string;
  /** Only system users may use Stream (manual, "System users"). */
  lookupLogin(login: string, ip: string): LoginDecision<P>;
  /** The current items of a topic, or undefined for a topic the core does not publish. */
  snapshot(topic: string, p: P): unknown[] | undefined;
  /** The last sequence number committed for this sender key. */
  lastSeq(senderKey: string): Promise<number>;
  /**
   * Commits records and the sender's sequence number in one transaction. Records with seq at or below the committed
   * one are never passed here.
   */
  applyRecords(p: P, senderKey: string, seq: number, kind: string, items: unknown[]): Promise<RecordsOutcome>;
  /** What answers a daemon's call of `method` (undefined: the call is refused as unknown); sender: its sender key. */
  callHandler?(p: P, method: string, sender: string): CallHandler | undefined;
  now(): number;
  readonly testClock: boolean;
  readonly log: ProtocolLog;
  readonly loginTimeoutMs: number;
  /** A link silent this long (no ping, no records) is closed. */
  readonly silenceTimeoutMs: number;
  onClose?(conn: StreamServerConnection<P>): void;
  readonly counters?: ProtocolCounters;
}

/**
 * The core's side of one daemon link: login, subscriptions, records applied in order and acknowledged after commit,
 * duplicates acknowledged without being applied.
 */
export class StreamServerConnection<P extends UrfaIdentity> {
  private readonly decoder = new FrameDecoder();
  private readonly challenge = randomBytes(16);
  private principal: P | undefined;
  private senderKey = '';
  private committed = 0;
  private topics = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private loginTimer: NodeJS.Timeout | undefined;
  private silenceTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private inFlight: Promise<void> | undefined;
  private methods = new Set<string>();
  private readonly calls = new CallTable();

  constructor(
    private readonly socket: Socket,
    readonly peer: string,
    readonly peerIp: string,
    private readonly o: StreamServerOptions<P>,
  ) {
    socket.on('data', (c: Buffer) => this.onData(c));
    socket.on('close', () => this.cleanup());
    socket.on('error', (err) => o.log.debug(`${peer}: ${err.message}`));
    this.loginTimer = setTimeout(() => this.fail('login not completed in time'), o.loginTimeoutMs);
    this.send({ t: 'hello', version: STREAM_VERSION, server: o.serverName, challenge: this.challenge.toString('hex') });
  }

  get who(): P | undefined {
    return this.principal;
  }

  get sender(): string {
    return this.senderKey;
  }

  subscribed(topic: string): boolean {
    return this.principal !== undefined && this.topics.has(topic);
  }

  /** The daemon named this method among the calls it answers. */
  answers(method: string): boolean {
    return this.principal !== undefined && !this.closed && this.methods.has(method);
  }

  /** Asks the daemon to do something now and answer within `timeoutMs` (StreamCallError when it cannot). */
  call(method: string, args: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.answers(method))
      return Promise.reject(
        new StreamCallError('offline', method, `${this.senderKey || this.peer} does not answer it`),
      );
    return this.calls.call((m) => this.send(m), method, args, timeoutMs);
  }

  send(msg: ServerMsg): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(encodeFrame(msg));
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.armSilence();
    let msgs: Record<string, unknown>[];
    try {
      msgs = this.decoder.push(chunk);
    } catch (err) {
      this.fail(`malformed frame: ${(err as Error).message}`);
      return;
    }
    for (const raw of msgs) {
      const m = checkClientMsg(raw);
      if (typeof m === 'string') {
        this.fail(`bad message: ${m}`);
        return;
      }
      this.queue = this.queue.then(() => this.handle(m)).catch((err) => this.fail((err as Error).message));
    }
  }

  private armSilence(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    if (!this.principal) return;
    this.silenceTimer = setTimeout(
      () => this.fail(`silent for ${this.o.silenceTimeoutMs / 1000} s`),
      this.o.silenceTimeoutMs,
    );
    this.silenceTimer.unref?.();
  }

  private async handle(m: ClientMsg): Promise<void> {
    if (this.closed) return;
    if (!this.principal) {
      if (m.t !== 'login') throw new ProtocolError('unexpected_packet', 0, `${m.t} before login`);
      return this.login(m);
    }
    switch (m.t) {
      case 'login':
        throw new ProtocolError('unexpected_packet', 0, 'second login on one link');
      case 'ping':
        this.send({ t: 'pong', id: m.id });
        return;
      case 'call':
        answerCall(m, this.o.callHandler?.(this.principal, m.method, this.senderKey), (r) => this.send(r));
        return;
      case 'reply':
        this.calls.settle(m);
        return;
      case 'records': {
        if (m.seq <= this.committed) {
          this.send({ t: 'ack', seq: m.seq, duplicate: true });
          return;
        }
        if (m.seq > this.committed + 1) {
          this.o.log.notice(
            `${this.senderKey}: records ${this.committed + 1}..${m.seq - 1} never arrived (sender restarted?)`,
          );
        }
        const run = this.o.applyRecords(this.principal, this.senderKey, m.seq, m.kind, m.items);
        this.inFlight = run.then(
          () => undefined,
          () => undefined,
        );
        let outcome;
        try {
          outcome = await run;
        } finally {
          this.inFlight = undefined;
        }
        if (outcome.applied) {
          this.committed = m.seq;
          this.send({ t: 'ack', seq: m.seq });
        } else {
          this.o.log.warn(`${this.senderKey}: records ${m.seq} (${m.kind}) rejected: ${outcome.reason}`);
          this.send({ t: 'nack', seq: m.seq, reason: outcome.reason });
        }
        return;
      }
    }
  }

  private async login(m: Extract<ClientMsg, { t: 'login' }>): Promise<void> {
    const deny = (why: string) => {
      if (this.o.counters) this.o.counters.loginsRefused++;
      this.o.log.warn(`Stream login refused for '${m.login}' from ${this.peer}: ${why}`);
      this.send({ t: 'denied', reason: 'access rejected' });
      this.close();
    };
    const who = this.o.lookupLogin(m.login, this.peerIp);
    if (!who.ok) return deny(who.reason);
    const response = Buffer.from(m.response, 'hex');
    const match = who.candidates.find((c) => chapMatches(this.challenge, c.password, response));
    if (!match) return deny('wrong password');
    this.principal = match.principal;
    this.senderKey = `${m.login}:${m.sender}`;
    this.methods = new Set(m.methods ?? []);
    this.committed = await this.o.lastSeq(this.senderKey);
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.loginTimer = undefined;
    this.armSilence();
    this.send({
      t: 'welcome',
      sender: this.senderKey,
      lastSeq: this.committed,
      now: this.o.now(),
      testClock: this.o.testClock,
    });
    this.o.log.info(
      `Stream: '${m.login}' (${m.sender}) connected from ${this.peer}, topics ${m.topics.join(',') || 'none'}`,
    );
    for (const topic of m.topics) {
      const items = this.o.snapshot(topic, match.principal);
      if (items === undefined) {
        this.o.log.notice(`${this.senderKey}: unknown topic '${topic}' ignored`);
        continue;
      }
      this.topics.add(topic);
      this.send({ t: 'snapshot', topic, items });
    }
  }

  private fail(why: string): void {
    if (this.closed) return;
    if (this.o.counters) this.o.counters.malformed++;
    this.o.log.debug(`Stream ${this.peer}${this.senderKey ? ` (${this.senderKey})` : ''}: ${why}; link closed`);
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cleanup();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
  }

  private cleanup(): void {
    if (this.loginTimer) clearTimeout(this.loginTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.loginTimer = undefined;
    this.silenceTimer = undefined;
    if (!this.closed) this.closed = true;
    this.calls.failAll('the link to the daemon dropped');
    this.o.onClose?.(this);
  }

  /** Graceful stop: finish committing what is in hand (so its ack is sent), then close. */
  async shutdown(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    this.close();
  }
}
