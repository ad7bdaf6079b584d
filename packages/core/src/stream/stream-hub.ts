import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { UtmError, normalizeIp, type Clock, type Logger } from '@utm5/common';
import type { Knex, StreamSenderRepo } from '@utm5/db';
import { StreamServerConnection, type EventMsg, type StreamServerOptions } from '@utm5/protocol';
import { streamLogin } from '../login/login-lookup';
import type { ConnectionHandle } from '../net/tcp-listener';
import type { Principal } from '../system-users/principal';
import type { SystemUserService } from '../system-users/system-user-service';

export class RecordRejected extends UtmError {}

/**
 * Applies one batch of a record kind inside the commit transaction; throws RecordRejected for bad items. `sender`
 * is the daemon instance's name from its login (e.g. a collector's tc_name).
 */
export type RecordHandler = (
  trx: Knex.Transaction,
  from: Principal,
  items: unknown[],
  now: number,
  sender: string,
) => Promise<void>;

/** A topic daemons subscribe to: its current items, sent as the snapshot on login. */
export type TopicSource = (p: Principal) => unknown[];

/**
 * Answers a daemon's call (see the Stream calls in @utm5/protocol); throwing refuses it with the error's message.
 * `sender` is the calling link's sender key, `<login>:<sender name>`.
 */
export type MethodHandler = (from: Principal, args: unknown, sender?: string) => Promise<unknown>;

export interface StreamHubDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly systemUsers: SystemUserService;
  readonly tls: SecureContext;
  /** Each sender's last committed sequence number: a batch at or below it is a duplicate. */
  readonly senders: StreamSenderRepo;
  /** Runs a batch's records and its sequence number in one transaction. */
  readonly tx: <T>(fn: (trx: Knex.Transaction) => Promise<T>) => Promise<T>;
  readonly counters: { malformed: number; loginsRefused: number };
  readonly settings: { readonly tls: boolean; readonly loginTimeoutMs: number; readonly silenceTimeoutMs: number };
}

/**
 * The core's side of Stream: daemon links, topics (snapshot on login, then events), record kinds committed with the
 * sender's sequence number in one transaction, and the test clock's time pushed to every link.
 */
export class StreamHub {
  private readonly links = new Set<StreamServerConnection<Principal>>();
  private readonly topics = new Map<string, TopicSource>();
  private readonly kinds = new Map<string, RecordHandler>();
  private readonly methods = new Map<string, MethodHandler>();
  private readonly log: Logger;
  /** Records committed since start, by kind (for /metrics). */
  readonly committed = new Map<string, number>();

  constructor(private readonly d: StreamHubDeps) {
    this.log = d.log;
  }

  topic(name: string, source: TopicSource): void {
    this.topics.set(name, source);
  }

  recordKind(kind: string, handler: RecordHandler): void {
    this.kinds.set(kind, handler);
  }

  method(name: string, handler: MethodHandler): void {
    this.methods.set(name, handler);
  }

  /** The daemon links that answer calls of `method` (e.g. every connected utm5_radius for a session command). */
  answering(method: string): StreamServerConnection<Principal>[] {
    return [...this.links].filter((l) => l.answers(method));
  }

  /** Tells every link subscribed to the topic that an item changed. */
  publish(ev: Omit<EventMsg, 't'>): void {
    for (const l of this.links) if (l.subscribed(ev.topic)) l.send({ t: 'event', ...ev });
  }

  /** Sends a topic's whole current content again to every link subscribed to it (for topics replaced wholesale). */
  republish(topic: string): void {
    const source = this.topics.get(topic);
    if (!source) return;
    for (const l of this.links) if (l.subscribed(topic)) l.send({ t: 'snapshot', topic, items: source(l.who!) });
  }

  broadcastTime(now: number): void {
    for (const l of this.links) if (l.who) l.send({ t: 'time', now });
  }

  /** The sender names (tc_name, rfw_name ...) of the links logged in now. */
  onlineSenders(): Set<string> {
    const out = new Set<string>();
    for (const l of this.links) if (l.who) out.add(l.sender.slice(l.sender.indexOf(':') + 1));
    return out;
  }

  get linkCount(): number {
    return [...this.links].filter((l) => l.who).length;
  }

  factory(): (socket: Socket, peer: string) => ConnectionHandle {
    const d = this.d;
    const senders = d.senders;
    const opts: StreamServerOptions<Principal> = {
      serverName: 'utm5_core',
      lookupLogin: (login, ip) => streamLogin(d.systemUsers, login, ip),
      snapshot: (topic, p) => this.topics.get(topic)?.(p),
      lastSeq: (key) => senders.lastSeq(key),
      applyRecords: async (p, key, seq, kind, items) => {
        const handler = this.kinds.get(kind);
        if (!handler) return { applied: false, reason: `unknown record kind '${kind}'` };
        const now = d.clock.now();
        try {
          const fresh = await d.tx(async (trx) => {
            // Re-checked inside the transaction: another link of the same sender may have committed it.
            if ((await senders.lastSeq(key, trx)) >= seq) return false;
            await handler(trx, p, items, now, key.slice(key.indexOf(':') + 1));
            await senders.setLastSeq(key, seq, now, trx);
            return true;
          });
          if (fresh) this.committed.set(kind, (this.committed.get(kind) ?? 0) + items.length);
          return { applied: true };
        } catch (err) {
          if (err instanceof RecordRejected) return { applied: false, reason: err.message };
          throw err;
        }
      },
      callHandler: (p, method, sender) => {
        const h = this.methods.get(method);
        return h && ((args: unknown) => h(p, args, sender));
      },
      now: () => d.clock.now(),
      testClock: d.clock.kind === 'test',
      log: this.log,
      loginTimeoutMs: d.settings.loginTimeoutMs,
      silenceTimeoutMs: d.settings.silenceTimeoutMs,
      onClose: (c) => this.links.delete(c),
      counters: d.counters,
    };
    return (socket: Socket, peer: string) => {
      const ip = normalizeIp(socket.remoteAddress ?? '0.0.0.0');
      const s = d.settings.tls
        ? new TLSSocket(socket, { isServer: true, secureContext: d.tls, requestCert: false })
        : socket;
      const link = new StreamServerConnection<Principal>(s, peer, ip, opts);
      this.links.add(link);
      return { close: () => link.shutdown() };
    };
  }
}
