import type { Clock, Logger } from '@utm5/common';
import type { Database } from '@utm5/db';
import {
  RFW_BATCH_MAX,
  RFW_METHOD,
  StreamCallError,
  rfwExecResult,
  type RfwCommandWire,
  type StreamServerConnection,
} from '@utm5/protocol';
import type { Principal } from '../system-users/principal';
import type { Firewall, FirewallRepo } from './firewall-repo';

export interface DispatcherDeps {
  readonly db: Database;
  readonly firewalls: FirewallRepo;
  /** The Stream links that answer RFW_METHOD.EXEC. */
  readonly links: () => readonly StreamServerConnection<Principal>[];
  readonly clock: Clock;
  readonly log: Logger;
  /** Expires stale commands of a firewall before they are sent. */
  readonly expire: (now: number) => Promise<number>;
}

/** How often the links are looked at (memory only): a new rfw link is served within this. */
const POLL_MS = 50;
/** The queue of a served firewall is read again this often even without a kick (rows queued by another process). */
const RECHECK_MS = 2_000;
/** How long an rfw may take for a batch (it retries failing commands with backoff before it answers). */
const CALL_TIMEOUT_MS = 300_000;
/** After a refused call, the link is left alone this long. */
const REFUSED_BACKOFF_MS = 5_000;

/** The rfw_name of a link: its sender key is `<login>:<rfw_name>`. */
export function rfwNameOf(link: { readonly sender: string }): string {
  const i = link.sender.indexOf(':');
  return i < 0 ? link.sender : link.sender.slice(i + 1);
}

interface Served {
  readonly fw: Firewall;
  link: StreamServerConnection<Principal>;
  busy: boolean;
  dirty: boolean;
  lastRead: number;
  notBefore: number;
}

/**
 * Delivers each firewall's queued commands to its connected utm5_rfw: in queue order, in batches of at most
 * RFW_BATCH_MAX, one batch in flight per firewall; a row is marked delivered with the rfw's answer, and a lost or
 * refused call leaves the rows pending for the next connection. Two links with the same rfw_name: one is served.
 */
export class Dispatcher {
  private timer: NodeJS.Timeout | undefined;
  private readonly served = new Map<number, Served>();
  /** Links whose rfw_name is no firewall, with when they were last looked up (warned once per link). */
  private readonly unknown = new WeakMap<object, number>();
  private readonly matched = new WeakMap<object, Firewall>();
  private stopping = false;
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly d: DispatcherDeps) {}

  start(): void {
    this.stopping = false;
    this.timer = setInterval(() => void this.tick(), POLL_MS);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Commands were queued: every served firewall reads its queue now. */
  kick(): void {
    for (const s of this.served.values()) s.dirty = true;
    setImmediate(() => void this.tick());
  }

  /** Whether a firewall's utm5_rfw is connected and served. */
  online(firewallId: number): boolean {
    const s = this.served.get(firewallId);
    return s !== undefined && s.link.answers(RFW_METHOD.EXEC);
  }

  private ticking = false;

  private async tick(): Promise<void> {
    if (this.ticking || this.stopping) return;
    this.ticking = true;
    try {
      await this.match();
      const now = Date.now();
      for (const s of this.served.values()) {
        if (s.busy || now < s.notBefore || (!s.dirty && now - s.lastRead < RECHECK_MS)) continue;
        s.busy = true;
        s.dirty = false;
        s.lastRead = now;
        const run = this.send(s).finally(() => {
          s.busy = false;
          this.inFlight.delete(run);
        });
        this.inFlight.add(run);
      }
    } catch (err) {
      this.d.log.error(`firewall commands: ${(err as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  /** Pairs the connected rfw links with their firewalls (the first link of a name wins). */
  private async match(): Promise<void> {
    const links = this.d.links();
    for (const [id, s] of this.served)
      if (!s.link.answers(RFW_METHOD.EXEC) && !s.busy) {
        this.served.delete(id);
        this.d.log.info(`utm5_rfw '${s.fw.name}' disconnected; its commands are kept (rfw_queue_keep_hours)`);
      }
    for (const link of links) {
      let fw = this.matched.get(link);
      if (!fw) {
        const last = this.unknown.get(link);
        if (last !== undefined && Date.now() - last < RECHECK_MS) continue;
        const name = rfwNameOf(link);
        fw = await this.d.firewalls.byName(name);
        if (!fw) {
          if (last === undefined)
            this.d.log.warn(
              `utm5_rfw '${name}' connected from ${link.peer} but no firewall is named so: its commands are not sent; ` +
                `register it with rpcf_put_router (router_ip = '${name}') or fix rfw_name in its rfw5.cfg`,
            );
          this.unknown.set(link, Date.now());
          continue;
        }
        this.matched.set(link, fw);
      }
      const s = this.served.get(fw.id);
      if (s && s.link === link) continue;
      if (s && s.link.answers(RFW_METHOD.EXEC)) {
        if (!this.unknown.has(link)) {
          this.d.log.warn(
            `a second utm5_rfw named '${fw.name}' connected from ${link.peer}: commands go to the first one only`,
          );
          this.unknown.set(link, Date.now());
        }
        continue;
      }
      if (s?.busy) continue;
      this.served.set(fw.id, { fw, link, busy: false, dirty: true, lastRead: 0, notBefore: 0 });
      this.d.log.info(`utm5_rfw '${fw.name}' connected from ${link.peer}: sending its queued commands`);
    }
  }

  /** Sends batches to one firewall while it has pending commands. */
  private async send(s: Served): Promise<void> {
    await this.d.expire(this.d.clock.now());
    for (;;) {
      if (this.stopping || !s.link.answers(RFW_METHOD.EXEC)) return;
      const rows: Record<string, unknown>[] = await this.d.db
        .knex('rfw_queue')
        .where({ router_id: s.fw.id })
        .whereNull('delivered_at')
        .whereNull('status')
        .orderBy('id')
        .limit(RFW_BATCH_MAX);
      if (rows.length === 0) return;
      const commands: RfwCommandWire[] = rows.map((r) => ({
        seq: Number(r['id']),
        argv: JSON.parse(String(r['argv'])) as string[],
        key: String(r['order_key']),
        ruleId: Number(r['rule_id']),
        event: String(r['event']),
        at: Number(r['created_at']),
      }));
      let reply: unknown;
      try {
        reply = await s.link.call(RFW_METHOD.EXEC, { commands }, CALL_TIMEOUT_MS);
      } catch (err) {
        const why = err instanceof StreamCallError ? err.message : String(err);
        this.d.log.warn(
          `utm5_rfw '${s.fw.name}': ${commands.length} command(s) not confirmed (${why}); kept for resending`,
        );
        if (err instanceof StreamCallError && err.failure === 'refused') s.notBefore = Date.now() + REFUSED_BACKOFF_MS;
        return;
      }
      const res = rfwExecResult(reply);
      if (!res) {
        this.d.log.warn(`utm5_rfw '${s.fw.name}' answered commands with a malformed result; kept for resending`);
        s.notBefore = Date.now() + REFUSED_BACKOFF_MS;
        return;
      }
      const done = await this.record(s.fw, commands, res.results);
      if (done === 0) {
        s.notBefore = Date.now() + REFUSED_BACKOFF_MS;
        return;
      }
    }
  }

  /** Marks the answered commands delivered; answers how many of the batch were. */
  private async record(
    fw: Firewall,
    sent: readonly RfwCommandWire[],
    results: readonly { seq: number; status: string; exitCode: number; attempts: number; stderr: string }[],
  ): Promise<number> {
    const bySeq = new Map(sent.map((c) => [c.seq, c]));
    const now = this.d.clock.now();
    let n = 0;
    await this.d.db.tx(async (trx) => {
      for (const r of results) {
        const c = bySeq.get(r.seq);
        if (!c) continue;
        n++;
        await trx('rfw_queue')
          .where({ id: r.seq })
          .whereNull('delivered_at')
          .update({
            delivered_at: now,
            status: r.status,
            exit_code: r.exitCode,
            attempts: r.attempts,
            stderr: r.stderr.slice(0, 4000),
          });
      }
    });
    for (const r of results) {
      const c = bySeq.get(r.seq);
      if (!c) continue;
      if (r.status === 'failed')
        this.d.log.warn(
          `firewall '${fw.name}': command ${r.seq} of rule ${c.ruleId} (${c.event}) failed with exit code ${r.exitCode} ` +
            `after ${r.attempts} attempt(s): ${r.stderr.trim().split('\n')[0] ?? ''}`,
        );
      this.d.log.debug(`firewall '${fw.name}': command ${r.seq} ${r.status}: ${JSON.stringify(c.argv)}`);
    }
    return n;
  }
}
