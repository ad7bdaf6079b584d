import cron from 'node-cron';
import { UtmError, type Clock, type Logger, type Service, type TestClock, type TimerHandle } from '@utm5/common';
import type { SystemServiceRepo, SystemServiceRow } from '@utm5/db';
import { formatSchedule, nextDue, parseSchedule, type Schedule } from './schedule';

export class SchedulerError extends UtmError {}

/** A system service as its module declares it. */
export interface SystemServiceDef {
  readonly name: string;
  readonly title: string;
  readonly schedule: Schedule;
  readonly enabled: boolean;
  /** Services sharing a group never run at once: the later one waits in the queue. */
  readonly runGroups: readonly string[];
  /** Does the work at billing time `now`; returns a one-line result for the list. */
  run(now: number): Promise<string | void>;
}

export interface ServiceState {
  readonly name: string;
  readonly title: string;
  readonly schedule: string;
  readonly enabled: boolean;
  readonly runGroups: readonly string[];
  readonly lastRun: number | null;
  readonly lastDurationMs: number | null;
  readonly lastResult: string;
  /** When a run was queued and has not started yet (a manual run, or waiting for its run group). */
  readonly inQueueSince: number | null;
  readonly running: boolean;
}

interface Entry {
  def: SystemServiceDef;
  schedule: Schedule;
  enabled: boolean;
  row: SystemServiceRow;
  trigger: { stop(): void } | undefined;
  queuedAt: number | null;
  waiters: (() => void)[];
  running: boolean;
}

/**
 * The core's system services: periodic and fixed-time work with run groups, manual runs and enable/disable, state
 * kept in system_services. node-cron drives them on the real clock; on the test clock they are armed on the clock
 * itself, so advancing it runs everything that falls due, in order.
 */
export class Scheduler implements Service {
  readonly name = 'scheduler';
  private readonly entries = new Map<string, Entry>();
  private readonly busyGroups = new Set<string>();
  private readonly queue: Entry[] = [];
  private readonly running = new Set<Promise<void>>();
  private started = false;

  constructor(
    private readonly clock: Clock,
    private readonly tz: string,
    private readonly repo: SystemServiceRepo,
    private readonly log: Logger,
  ) {}

  register(def: SystemServiceDef): void {
    if (this.entries.has(def.name))
      throw new SchedulerError('UTM_SCHEDULER_DUP', `system service ${def.name} is declared twice`);
    this.entries.set(def.name, {
      def,
      schedule: def.schedule,
      enabled: def.enabled,
      trigger: undefined,
      queuedAt: null,
      waiters: [],
      running: false,
      row: {
        name: def.name,
        enabled: def.enabled,
        schedule: formatSchedule(def.schedule),
        runGroups: def.runGroups.join(','),
        lastRun: null,
        lastDurationMs: null,
        lastResult: '',
      },
    });
  }

  async start(): Promise<void> {
    const saved = new Map((await this.repo.all()).map((r) => [r.name, r]));
    for (const e of this.entries.values()) {
      const row = saved.get(e.def.name);
      if (row) {
        e.row = row;
        e.enabled = row.enabled;
        try {
          e.schedule = parseSchedule(row.schedule);
        } catch (err) {
          this.log.error(`system service ${e.def.name}: stored ${(err as Error).message}; using the default`);
        }
      } else {
        await this.repo.upsert(e.row);
      }
    }
    this.started = true;
    for (const e of this.entries.values()) this.arm(e);
    if (this.clock.kind === 'test') {
      // Setting the test clock back (to the start of a test case) re-arms every service from the new time.
      let last = this.clock.now();
      (this.clock as TestClock).onMove((now) => {
        if (now < last && this.started) for (const e of this.entries.values()) this.arm(e);
        last = now;
      });
    }
    this.log.info(
      `scheduler started with ${this.entries.size} system services (${this.clock.kind} clock, zone ${this.tz})`,
    );
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const e of this.entries.values()) this.disarm(e);
    this.queue.length = 0;
    await Promise.all([...this.running]);
  }

  private arm(e: Entry): void {
    this.disarm(e);
    if (!this.started || !e.enabled || e.schedule.kind === 'daemon') return;
    if (this.clock.kind === 'test') {
      const armNext = (after: number) => {
        const due = nextDue(e.schedule, after, this.tz);
        if (due === undefined) return;
        const h: TimerHandle = this.clock.at(due, async () => {
          armNext(due);
          await this.enqueue(e);
        });
        e.trigger = { stop: () => h.cancel() };
      };
      armNext(this.clock.now());
      return;
    }
    const expressions = this.cronExpressions(e.schedule);
    const tasks = expressions.map((expr) =>
      cron.schedule(
        expr,
        () => {
          void this.enqueue(e);
        },
        { timezone: this.tz, name: `utm5:${e.def.name}:${expr}`, noOverlap: true },
      ),
    );
    e.trigger = {
      stop: () => {
        for (const t of tasks) void t.destroy();
      },
    };
  }

  private cronExpressions(s: Schedule): string[] {
    if (s.kind === 'periodic') {
      const minutes: number[] = [];
      for (let m = s.alignMin; m < 60; m += s.periodMin) minutes.push(m);
      return [`0 ${minutes.join(',')} * * * *`];
    }
    if (s.kind === 'fixed') return s.times.map((t) => `0 ${t.minute} ${t.hour} * * *`);
    return [];
  }

  private disarm(e: Entry): void {
    e.trigger?.stop();
    e.trigger = undefined;
  }

  /** Queues a run; resolves when that run has finished (or was dropped at shutdown). */
  private enqueue(e: Entry): Promise<void> {
    if (!this.started) return Promise.resolve();
    return new Promise<void>((resolve) => {
      e.waiters.push(resolve);
      if (e.queuedAt === null && !this.queue.includes(e)) {
        e.queuedAt = this.clock.now();
        this.queue.push(e);
      }
      this.pump();
    });
  }

  private pump(): void {
    for (let i = 0; i < this.queue.length;) {
      const e = this.queue[i]!;
      const groups = e.def.runGroups;
      if (e.running || groups.some((g) => this.busyGroups.has(g))) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.launch(e);
    }
  }

  private launch(e: Entry): void {
    e.queuedAt = null;
    e.running = true;
    const waiters = e.waiters.splice(0);
    for (const g of e.def.runGroups) this.busyGroups.add(g);
    const startedAt = this.clock.now();
    const t0 = Date.now();
    const p = (async () => {
      let result: string;
      try {
        result = (await e.def.run(startedAt)) ?? 'ok';
        this.log.debug(`system service ${e.def.name} ran: ${result}`);
      } catch (err) {
        result = `failed: ${(err as Error).message}`;
        this.log.error(`system service ${e.def.name} failed: ${(err as Error).message}`);
      }
      e.row = { ...e.row, lastRun: startedAt, lastDurationMs: Date.now() - t0, lastResult: result };
      this.countRun(e.def.name, result.startsWith('failed: '));
      try {
        await this.repo.upsert(e.row);
      } catch (err) {
        this.log.error(`cannot record the run of ${e.def.name}: ${(err as Error).message}`);
      }
    })().finally(() => {
      e.running = false;
      for (const g of e.def.runGroups) this.busyGroups.delete(g);
      this.running.delete(p);
      for (const w of waiters) w();
      this.pump();
    });
    this.running.add(p);
  }

  /** Runs of each service since start, for /metrics. */
  readonly runCounts = new Map<string, { ok: number; failed: number }>();

  private countRun(name: string, failed: boolean): void {
    let n = this.runCounts.get(name);
    if (!n) this.runCounts.set(name, (n = { ok: 0, failed: 0 }));
    n[failed ? 'failed' : 'ok']++;
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) {
      throw new SchedulerError(
        'UTM_SCHEDULER_UNKNOWN',
        `no system service '${name}' (known: ${[...this.entries.keys()].join(', ')})`,
      );
    }
    return e;
  }

  list(): ServiceState[] {
    return [...this.entries.values()].map((e) => ({
      name: e.def.name,
      title: e.def.title,
      schedule: formatSchedule(e.schedule),
      enabled: e.enabled,
      runGroups: e.def.runGroups,
      lastRun: e.row.lastRun,
      lastDurationMs: e.row.lastDurationMs,
      lastResult: e.row.lastResult,
      inQueueSince: e.queuedAt,
      running: e.running,
    }));
  }

  /** A manual run, whatever the schedule (not for daemons); resolves when it has run. */
  async runNow(name: string): Promise<void> {
    const e = this.entry(name);
    if (e.schedule.kind === 'daemon') {
      throw new SchedulerError('UTM_SCHEDULER_DAEMON', `system service '${name}' is a daemon and runs all the time`);
    }
    await this.enqueue(e);
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    const e = this.entry(name);
    e.enabled = enabled;
    e.row = { ...e.row, enabled };
    await this.repo.upsert(e.row);
    this.arm(e);
    this.log.notice(`system service ${name} ${enabled ? 'enabled' : 'disabled'}`);
  }

  async setSchedule(name: string, text: string): Promise<void> {
    const e = this.entry(name);
    const s = parseSchedule(text);
    if ((s.kind === 'daemon') !== (e.def.schedule.kind === 'daemon')) {
      throw new SchedulerError(
        'UTM_SCHEDULER_KIND',
        `system service '${name}' cannot change between daemon and scheduled`,
      );
    }
    e.schedule = s;
    e.row = { ...e.row, schedule: formatSchedule(s) };
    await this.repo.upsert(e.row);
    this.arm(e);
  }
}
