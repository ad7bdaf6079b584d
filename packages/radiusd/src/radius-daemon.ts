import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StatsFile, errorLine, writeFileAtomic, type DaemonBody, type HealthChecks, type Logger } from '@utm5/common';
import { RADIUS_TOPIC, SHAPING_TOPIC, StreamClient, type AccountWire, type CallHandler } from '@utm5/protocol';
import type { RadiusConfig } from './config';
import { RadiusServer } from './server/radius-server';
import { RadiusState } from './server/state';
import { ShapingCoa } from './shaping/shaping-coa';

/**
 * utm5_radius: the Stream link to the core (topics in, session events out), the state it keeps on disk so it can
 * authorize while the core is away, the RADIUS server, and the counters file.
 */
export class RadiusDaemon implements DaemonBody {
  private readonly state = new RadiusState();
  private readonly stream: StreamClient;
  readonly server: RadiusServer;
  private readonly shaping: ShapingCoa;
  private keepTimer: NodeJS.Timeout | undefined;
  private readonly stats: StatsFile;
  private testNow: number | undefined;

  constructor(
    private readonly c: RadiusConfig,
    private readonly log: Logger,
  ) {
    // The calls the core may make (session commands) are the server's, filled in below, before the link starts.
    const calls: Record<string, CallHandler> = {};
    this.stream = new StreamClient({
      host: c.core_host!,
      port: c.core_port!,
      login: c.radius_login,
      password: c.radius_password,
      sender: 'utm5_radius',
      topics: [...Object.values(RADIUS_TOPIC), SHAPING_TOPIC],
      calls,
      pingIntervalMs: c.radius_ping_interval * 1000,
      log,
      onSnapshot: (topic, items) => {
        const before = topic === RADIUS_TOPIC.ACCOUNTS ? new Map(this.state.accounts) : undefined;
        const shapedBefore = topic === SHAPING_TOPIC ? new Map(this.state.shaping) : undefined;
        if (!this.state.apply(topic, items)) return;
        this.keepState();
        if (topic === RADIUS_TOPIC.POOLS) this.server.pools.update(this.state.pools);
        if (before) this.server.accountsChanged(before);
        if (shapedBefore) this.shaping.snapshot(shapedBefore);
      },
      onEvent: (ev) => {
        const account = this.state.applyAccountEvent(ev);
        const login = account === false && this.state.applyLoginEvent(ev);
        const was = account === false && !login ? this.state.applyShapingEvent(ev) : false;
        if (account === false && !login && was === false) return;
        // Events come in bursts (a time range starts for thousands of links, charges change many balances): the
        // state file is written once after.
        this.keepTimer ??= setTimeout(() => {
          this.keepTimer = undefined;
          this.keepState();
        }, 1000);
        if (account !== false) this.accountChanged(Number(ev.key), account);
        else if (!login) this.shaping.linkChanged(Number(ev.key), was || undefined);
      },
      onConnected: ({ now, testClock }) => {
        this.testNow = testClock ? now : undefined;
      },
      onTime: (now) => {
        if (this.testNow !== undefined) this.testNow = now;
      },
    });
    // On a core with the test clock, sessions and prices follow the core's time.
    this.server = new RadiusServer(
      c,
      log,
      this.state,
      this.stream,
      () => this.testNow ?? Math.floor(Date.now() / 1000),
    );
    this.shaping = new ShapingCoa(
      this.state,
      this.server.sessions,
      this.server.dm,
      log,
      c.radius_ippool_acct_timeout * 1000,
    );
    this.server.onSessionStart = (s) => this.shaping.sessionStarted(s);
    Object.assign(calls, this.server.commands.handlers());
    this.stats = new StatsFile(c.radius_stats_file, 200, () => this.snapshot(), log);
  }

  health(): HealthChecks {
    return {
      core_link: this.stream.connected
        ? { ok: true }
        : { ok: false, reason: `no Stream link to the core at ${this.c.core_host}:${this.c.core_port}` },
    };
  }

  /** Accounts changed by events since the last check, with what they had before the first change. */
  private accountsBefore = new Map<number, AccountWire>();
  private accountCheck: NodeJS.Immediate | undefined;

  /** A burst of account events is checked once (negative balance, unblock: Disconnect-Requests). */
  private accountChanged(id: number, before: AccountWire | undefined): void {
    if (before && !this.accountsBefore.has(id)) this.accountsBefore.set(id, before);
    this.accountCheck ??= setImmediate(() => {
      this.accountCheck = undefined;
      const b = this.accountsBefore;
      this.accountsBefore = new Map();
      this.server.accountsChanged(b);
    });
  }

  describe(): string {
    return `auth ${this.c.radius_auth_host}:${this.c.radius_auth_port}, acct ${this.c.radius_acct_host}:${this.c.radius_acct_port}, core ${this.c.core_host}:${this.c.core_port}`;
  }

  private get stateFile(): string {
    return join(this.c.radius_spool_dir, 'state.json');
  }

  private keepState(): void {
    try {
      // NAS secrets and login passwords (card PINs too): readable by utm5_radius's user only.
      writeFileAtomic(this.stateFile, JSON.stringify(this.state.toJSON()), 0o600);
    } catch (err) {
      this.log.warn(`cannot keep the core's RADIUS data in ${this.c.radius_spool_dir}: ${errorLine(err)}`);
    }
  }

  async start(): Promise<void> {
    mkdirSync(this.c.radius_spool_dir, { recursive: true });
    try {
      const kept = JSON.parse(readFileSync(this.stateFile, 'utf8')) as Record<string, unknown[]>;
      for (const [topic, items] of Object.entries(kept)) this.state.apply(topic, items);
      this.log.info('NASes, logins and accounts from the last run loaded (until the core sends current ones)');
    } catch {
      // first run
    }
    await this.server.start();
    this.stream.start();
    this.stats.start();
  }

  /** Reports each answer's time to `observe` (the metrics histogram). */
  timeAnswers(observe: (auth: boolean, seconds: number) => void): void {
    this.server.onAnswered = observe;
  }

  snapshot() {
    return {
      ...this.server.counters,
      ...this.server.tel.counters,
      ...this.server.dm.counters,
      connected: this.stream.connected,
      unacknowledged: this.stream.unacknowledged,
      nas: this.state.nas.size,
      logins: this.state.logins.size,
      accounts: this.state.accounts.size,
    };
  }

  async hup(): Promise<void> {
    this.server.flush();
    this.server.tel.flush();
  }

  async stop(): Promise<void> {
    if (this.keepTimer) {
      clearTimeout(this.keepTimer);
      this.keepTimer = undefined;
      this.keepState();
    }
    await this.server.stop();
    await this.stream.drain(2000);
    await this.stream.stop();
    this.stats.stop();
  }
}
