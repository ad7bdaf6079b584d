import { ConfigError, StatsFile, errorLine, type DaemonBody, type HealthChecks, type Logger } from '@utm5/common';
import {
  RFW_METHOD,
  StreamClient,
  rfwExecArgs,
  splitCommandWords,
  type RfwExecResult,
  type RfwSyncFlag,
  type RfwSyncResult,
} from '@utm5/protocol';
import { CommandExecutor, ciscoInvocation, localInvocation } from './command-executor';
import type { RfwConfig } from './config';
import { RfwState } from './state-file';

const SYNC_TIMEOUT_MS = 120_000;

const problem = (param: string, message: string) =>
  new ConfigError('UTM_CFG_BAD_VALUE', [{ file: 'rfw5.cfg', line: 0, param, message }]);

/**
 * utm5_rfw: logs in to the core's Stream as rfw_login with rfw_name as its sender name, and on every (re)connect
 * runs firewall_flush_cmd, then asks for a sync when flags are set; answers RFW_METHOD.EXEC by running the commands.
 * Batches are handled one after another (a batch resent after a reconnect waits for the one still running, and the
 * state file then answers its commands 'duplicate').
 */
export class RfwDaemon implements DaemonBody {
  private readonly stream: StreamClient;
  readonly state: RfwState;
  private readonly executor: CommandExecutor;
  private readonly flush: { file: string; args: string[] } | undefined;
  /** Settles when this link's flush (and sync request) is done; EXEC waits for it. */
  private linkReady: Promise<void> = Promise.resolve();
  private chain: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private problem: ConfigError | undefined;
  private readonly stats: StatsFile;
  /** Commands received and not yet answered. */
  private queued = 0;

  constructor(
    private readonly c: RfwConfig,
    private readonly log: Logger,
    private readonly syncFlags: readonly RfwSyncFlag[],
  ) {
    // A problem found here fails start() (after the shared runner took the pid file, which it then releases).
    if (c.firewall_type === 'cisco' && !c.cisco_ip)
      this.problem = problem('cisco_ip', 'firewall_type=cisco needs cisco_ip (the router to send the rsh commands to)');
    if (c.firewall_flush_cmd !== undefined) {
      try {
        const words = splitCommandWords(c.firewall_flush_cmd);
        if (words.length === 0) throw new Error('it holds no command');
        this.flush = { file: words[0]!, args: words.slice(1) };
      } catch (err) {
        this.problem = problem('firewall_flush_cmd', `firewall_flush_cmd: ${errorLine(err)}`);
      }
    }
    this.state = new RfwState(c.rfw_state_file, c.rfw_name);
    this.executor = new CommandExecutor({
      invocation:
        c.firewall_type === 'cisco'
          ? ciscoInvocation(c.rsh_path, c.cisco_login, c.cisco_ip ?? '')
          : localInvocation(c.sudo_path, c.firewall_path),
      sequential: c.dont_fork,
      parallel: c.rfw_parallel,
      timeoutMs: c.command_timeout * 1000,
      retries: c.command_retries,
      backoffMs: c.retry_backoff_ms,
      state: this.state,
      log,
    });
    this.stream = new StreamClient({
      host: c.core_host,
      port: c.core_port,
      login: c.rfw_login,
      password: c.rfw_password,
      sender: c.rfw_name,
      topics: [],
      pingIntervalMs: c.rfw_ping_interval * 1000,
      tls: c.core_tls ? {} : undefined,
      log,
      calls: { [RFW_METHOD.EXEC]: (args) => this.exec(args) },
      onConnected: () => {
        this.linkReady = this.onLink();
      },
    });
    this.stats = new StatsFile(c.rfw_stats_file, 1000, () => this.snapshot(), log);
  }

  health(): HealthChecks {
    return {
      core_link: this.stream.connected
        ? { ok: true }
        : { ok: false, reason: `no Stream link to the core at ${this.c.core_host}:${this.c.core_port}` },
    };
  }

  describe(): string {
    const how =
      this.c.firewall_type === 'cisco'
        ? `rsh to ${this.c.cisco_ip}`
        : `local ${[this.c.sudo_path, this.c.firewall_path].filter(Boolean).join(' ') || '(first word runs)'}`;
    return `rfw_name ${this.c.rfw_name}, core ${this.c.core_host}:${this.c.core_port}, ${how}, ${this.c.dont_fork ? 'sequential' : `up to ${this.c.rfw_parallel} at once`}, last run seq ${this.state.lastSeq}`;
  }

  get connected(): boolean {
    return this.stream.connected;
  }

  snapshot() {
    return {
      ...this.executor.counters,
      running: this.executor.running,
      queued: this.queued,
      last_seq: this.state.lastSeq,
      connected: this.stream.connected,
    };
  }

  private async onLink(): Promise<void> {
    if (this.flush) await this.executor.runPlain('firewall_flush_cmd', this.flush.file, this.flush.args);
    if (this.syncFlags.length === 0 || this.stopping) return;
    const flags = this.syncFlags.join(',');
    try {
      const r = (await this.stream.call(RFW_METHOD.SYNC, { flags: this.syncFlags }, SYNC_TIMEOUT_MS)) as RfwSyncResult;
      this.log.notice(`sync ${flags}: the core queued ${Number(r?.queued)} commands for ${this.c.rfw_name}`);
    } catch (err) {
      this.log.error(`sync ${flags} refused or failed: ${errorLine(err)}`);
    }
  }

  private exec(raw: unknown): Promise<RfwExecResult> {
    const args = rfwExecArgs(raw);
    if (!args) {
      this.log.error('RFW_METHOD.EXEC from the core is malformed: refused');
      return Promise.reject(new Error('malformed rfw_exec arguments'));
    }
    const n = args.commands.length;
    this.queued += n;
    const run = this.chain.then(async () => {
      // The flush is not a sync point of the call's own link only: a batch of a later link waits for its flush too.
      await this.linkReady;
      if (this.stopping) return { results: [] };
      const results = await this.executor.execute(args.commands);
      return { results };
    });
    this.chain = run.catch(() => undefined).finally(() => (this.queued -= n));
    return run;
  }

  async start(): Promise<void> {
    if (this.problem) throw this.problem;
    this.state.load();
    this.stream.start();
    this.stats.start();
  }

  /** Lets the running commands finish and their reply go out, then leaves the link. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.executor.stop();
    await this.chain;
    await new Promise((r) => setTimeout(r, 50));
    await this.stream.stop();
    this.stats.stop();
  }
}
