import type { Logger } from '@utm5/common';
import type { RfwCommandResult, RfwCommandWire } from '@utm5/protocol';
import { runArgv, type RunOutcome } from './run-argv';
import type { RfwState } from './state-file';

/** Where a command's words go: the program and its arguments (the firewall type decides). */
export type Invocation = (argv: readonly string[]) => { file: string; args: string[] };

/** firewall_type=local: [sudo_path] [firewall_path] argv..., the manual's form, as one argument vector. */
export function localInvocation(sudoPath: string | undefined, firewallPath: string | undefined): Invocation {
  const prefix = [sudoPath, firewallPath].filter((p): p is string => p !== undefined && p !== '');
  return (argv) => {
    const words = [...prefix, ...argv];
    return { file: words[0]!, args: words.slice(1) };
  };
}

/**
 * firewall_type=cisco: the manual sends "just the template with substituted values" over rsh, so the words are
 * joined with spaces into the one command argument of `rsh -l <login> <cisco_ip> <command>` (rsh itself runs no
 * local shell; the router's command interpreter reads the line).
 */
export function ciscoInvocation(rshPath: string, login: string, ciscoIp: string): Invocation {
  return (argv) => ({ file: rshPath, args: ['-l', login, ciscoIp, argv.join(' ')] });
}

export interface ExecutorOptions {
  readonly invocation: Invocation;
  /** dont_fork: one command at a time in queue order. */
  readonly sequential: boolean;
  /** The most commands at once otherwise. */
  readonly parallel: number;
  readonly timeoutMs: number;
  /** Runs after the first attempt. */
  readonly retries: number;
  readonly backoffMs: number;
  readonly state: RfwState;
  readonly log: Logger;
  /** Replaceable in tests. */
  readonly run?: (file: string, args: readonly string[], timeoutMs: number) => Promise<RunOutcome>;
}

const BACKOFF_MAX_MS = 60_000;

/**
 * Runs the batches of RFW_METHOD.EXEC: each command once (the state file answers a resend 'duplicate'), retried
 * with exponential backoff, reported 'failed' after the last retry. In parallel mode commands with the same key
 * still run in queue order. After stop() no command starts and no retry waits: the batch ends with what is done,
 * the rest is left for the core to send again.
 */
export interface ExecutorCounters {
  ok: number;
  failed: number;
  duplicate: number;
  /** Attempts after the first. */
  retries: number;
  batches: number;
}

export class CommandExecutor {
  readonly counters: ExecutorCounters = { ok: 0, failed: 0, duplicate: 0, retries: 0, batches: 0 };
  private stopping = false;
  private readonly wakers = new Set<() => void>();
  private slotsUsed = 0;
  private readonly slotWaiters: (() => void)[] = [];

  constructor(private readonly o: ExecutorOptions) {}

  stop(): void {
    this.stopping = true;
    for (const w of this.wakers) w();
    for (const w of this.slotWaiters.splice(0)) w();
  }

  /** Commands running now. */
  get running(): number {
    return this.runningNow;
  }
  private runningNow = 0;

  async execute(commands: readonly RfwCommandWire[]): Promise<RfwCommandResult[]> {
    this.counters.batches++;
    const sorted = [...commands].sort((a, b) => a.seq - b.seq);
    const batch = sorted.map((c) => c.seq);
    const results = new Map<number, RfwCommandResult>();
    const one = async (c: RfwCommandWire) => {
      if (this.o.state.has(c.seq)) {
        this.o.log.info(`seq ${c.seq} (rule ${c.ruleId}, ${c.event}): already run, answered duplicate`);
        results.set(c.seq, { seq: c.seq, status: 'duplicate', exitCode: 0, attempts: 0, stderr: '' });
        this.counters.duplicate++;
        return;
      }
      this.runningNow++;
      const r = await this.runWithRetries(c).finally(() => this.runningNow--);
      if (!r) return;
      this.counters[r.status === 'ok' ? 'ok' : 'failed']++;
      try {
        this.o.state.record(c.seq, batch);
      } catch (err) {
        // The command has run; what is lost is only the protection against running it again after a lost reply.
        this.o.log.crit((err as Error).message);
      }
      results.set(c.seq, r);
    };
    if (this.o.sequential) {
      for (const c of sorted) {
        if (this.stopping) break;
        await one(c);
      }
    } else {
      const tails = new Map<string, Promise<void>>();
      const all: Promise<void>[] = [];
      for (const c of sorted) {
        const before = tails.get(c.key) ?? Promise.resolve();
        const p = before.then(async () => {
          if (this.stopping) return;
          await this.slot();
          if (this.stopping) return this.release();
          try {
            await one(c);
          } finally {
            this.release();
          }
        });
        tails.set(c.key, p);
        all.push(p);
      }
      await Promise.all(all);
    }
    return sorted.filter((c) => results.has(c.seq)).map((c) => results.get(c.seq)!);
  }

  private slot(): Promise<void> {
    if (this.slotsUsed < this.o.parallel) {
      this.slotsUsed++;
      return Promise.resolve();
    }
    return new Promise((r) =>
      this.slotWaiters.push(() => {
        this.slotsUsed++;
        r();
      }),
    );
  }

  private release(): void {
    this.slotsUsed--;
    const next = this.slotWaiters.shift();
    if (next) next();
  }

  /** undefined: abandoned because the daemon stops (not reported, so the core sends it again). */
  private async runWithRetries(c: RfwCommandWire): Promise<RfwCommandResult | undefined> {
    const { file, args } = this.o.invocation(c.argv);
    const r = await this.attempts(`seq ${c.seq} (rule ${c.ruleId}, ${c.event}, key ${c.key})`, file, args);
    if (!r) return undefined;
    const status = r.outcome.exitCode === 0 ? 'ok' : 'failed';
    return { seq: c.seq, status, exitCode: r.outcome.exitCode, attempts: r.attempts, stderr: r.outcome.stderr };
  }

  /** Runs a command outside the queue (firewall_flush_cmd) with the same retries; true when it succeeded. */
  async runPlain(what: string, file: string, args: readonly string[]): Promise<boolean> {
    const r = await this.attempts(what, file, args);
    return r?.outcome.exitCode === 0;
  }

  /** Runs until exit 0 or the retries are spent; undefined when stop() cut a backoff short. */
  private async attempts(
    what: string,
    file: string,
    args: readonly string[],
  ): Promise<{ outcome: RunOutcome; attempts: number } | undefined> {
    const run = this.o.run ?? runArgv;
    const tries = this.o.retries + 1;
    // The words may hold a customer's password: they are written to the debug log only.
    this.o.log.debug(`${what}: running ${JSON.stringify([file, ...args])}`);
    let outcome: RunOutcome = { exitCode: -1, stderr: '' };
    for (let attempt = 1; attempt <= tries; attempt++) {
      if (attempt > 1) {
        this.counters.retries++;
        const wait = Math.min(this.o.backoffMs * 2 ** (attempt - 2), BACKOFF_MAX_MS);
        if (!(await this.sleep(wait))) {
          this.o.log.notice(`${what}: retry abandoned, stopping (the core will send it again)`);
          return undefined;
        }
      }
      outcome = await run(file, args, this.o.timeoutMs);
      const stderr = outcome.stderr.trim();
      if (outcome.exitCode === 0) {
        this.o.log.info(`${what}: ok, exit 0${attempt > 1 ? ` on attempt ${attempt}` : ''}`);
        if (stderr) this.o.log.debug(`${what}: stderr: ${stderr}`);
        return { outcome, attempts: attempt };
      }
      // Only stderr's first line at Warn: programs such as nft echo the command line (which may hold a password) after it.
      const first = stderr.split('\n')[0]!;
      this.o.log.warn(
        `${what}: attempt ${attempt} of ${tries} failed, exit ${outcome.exitCode}${first ? `: ${first}` : ''}`,
      );
      if (stderr.includes('\n')) this.o.log.debug(`${what}: stderr: ${stderr}`);
    }
    this.o.log.error(`${what}: failed after ${tries} attempts; reported as failed`);
    return { outcome, attempts: tries };
  }

  /** false when stop() cut the wait short. */
  private sleep(ms: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(t);
        this.wakers.delete(wake);
        resolve(ok);
      };
      const wake = () => done(false);
      const t = setTimeout(() => done(true), ms);
      this.wakers.add(wake);
    });
  }
}
