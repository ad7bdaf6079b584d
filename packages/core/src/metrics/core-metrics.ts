import { Counter, Histogram, errorLine, registerReadMetrics, type HealthChecks, type Registry } from '@utm5/common';
import type { Database } from '@utm5/db';

/** One URFA function's pre-bound metric children: nothing is looked up by label on a call. */
interface FunctionMetrics {
  readonly ok: Counter.Internal;
  readonly failed: Counter.Internal;
  readonly seconds: Histogram.Internal<string>;
}

/** What the core's read-at-scrape metrics read (its protocol counters, Stream links, committed records, scheduler). */
export interface CoreMetricSources {
  readonly counters: {
    readonly urfa: { malformed: number; loginsRefused: number };
    readonly stream: { malformed: number; loginsRefused: number };
  };
  readonly stream: { readonly linkCount: number; readonly committed: ReadonlyMap<string, number> };
  readonly scheduler: { readonly runCounts: ReadonlyMap<string, { ok: number; failed: number }> };
  readonly billing: { readonly events: { lag(now: number): number } };
  readonly clock: { now(): number };
}

/**
 * utm5_core's domain metrics. URFA calls and database transactions are timed where they happen (one pre-bound
 * child per function, made on its first call); everything else is read from the core's own counters at scrape time.
 */
export class CoreMetrics {
  private readonly calls: Counter<'function' | 'result'>;
  private readonly callSeconds: Histogram<'function'>;
  private readonly txSeconds: Histogram;
  private readonly byFunction = new Map<string, FunctionMetrics>();

  constructor(readonly registry: Registry) {
    this.calls = new Counter({
      name: 'utm5_core_urfa_calls_total',
      help: 'URFA function calls, by function and result (ok, or error when the function refused or failed).',
      labelNames: ['function', 'result'],
      registers: [registry],
    });
    this.callSeconds = new Histogram({
      name: 'utm5_core_urfa_call_seconds',
      help: 'Time a URFA function took, by function.',
      labelNames: ['function'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
    this.txSeconds = new Histogram({
      name: 'utm5_core_db_transaction_seconds',
      help: 'Time of database transactions (retries included).',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
  }

  /** Runs a URFA function's handler, counting its result and time. */
  timeCall<T>(name: string, run: () => Promise<T> | T): Promise<T> {
    let m = this.byFunction.get(name);
    if (!m) {
      m = {
        ok: this.calls.labels(name, 'ok'),
        failed: this.calls.labels(name, 'error'),
        seconds: this.callSeconds.labels(name),
      };
      this.byFunction.set(name, m);
    }
    const fm = m;
    const end = fm.seconds.startTimer();
    return Promise.resolve()
      .then(run)
      .then(
        (r) => {
          end();
          fm.ok.inc();
          return r;
        },
        (err: unknown) => {
          end();
          fm.failed.inc();
          throw err;
        },
      );
  }

  /** The database with its transactions timed. */
  timedDatabase(db: Database): Database {
    const seconds = this.txSeconds;
    return {
      ...db,
      tx(fn, opts) {
        const end = seconds.startTimer();
        return db.tx(fn, opts).finally(end);
      },
    };
  }

  /** Registers the read-at-scrape metrics once the core's graph exists. */
  watch(core: CoreMetricSources): void {
    registerReadMetrics<CoreMetricSources>(this.registry, () => core, [
      {
        name: 'utm5_core_logins_refused_total',
        help: 'Logins refused, by protocol.',
        type: 'counter',
        labelNames: ['protocol'],
        read: (c) => [
          [{ protocol: 'urfa' }, c.counters.urfa.loginsRefused],
          [{ protocol: 'stream' }, c.counters.stream.loginsRefused],
        ],
      },
      {
        name: 'utm5_core_malformed_total',
        help: 'Malformed packets dropped, by protocol.',
        type: 'counter',
        labelNames: ['protocol'],
        read: (c) => [
          [{ protocol: 'urfa' }, c.counters.urfa.malformed],
          [{ protocol: 'stream' }, c.counters.stream.malformed],
        ],
      },
      {
        name: 'utm5_core_stream_links',
        help: 'Daemon links logged in to the Stream server.',
        type: 'gauge',
        read: (c) => c.stream.linkCount,
      },
      {
        name: 'utm5_core_records_committed_total',
        help: 'Stream records committed, by kind.',
        type: 'counter',
        labelNames: ['kind'],
        read: (c) => [...c.stream.committed].map(([kind, n]) => [{ kind }, n] as const),
      },
      {
        name: 'utm5_core_charge_lag_seconds',
        help:
          'How far charging is behind the billing clock: seconds since the earliest due timemark (period end, flow ' +
          'fee portion, charge policy check) that has not been handled yet; 0 when none is due.',
        type: 'gauge',
        read: (c) => c.billing.events.lag(c.clock.now()),
      },
      {
        name: 'utm5_core_scheduler_runs_total',
        help: 'System service runs, by service and result.',
        type: 'counter',
        labelNames: ['service', 'result'],
        read: (c) =>
          [...c.scheduler.runCounts].flatMap(([service, n]) => [
            [{ service, result: 'ok' }, n.ok] as const,
            [{ service, result: 'failed' }, n.failed] as const,
          ]),
      },
    ]);
  }
}

/** /healthz of the core: the database answers a trivial query within a few seconds. */
export async function databaseHealth(db: Database, timeoutMs = 3000): Promise<HealthChecks> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.knex.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return { db: { ok: true } };
  } catch (err) {
    return { db: { ok: false, reason: `database ${db.where}: ${errorLine(err)}` } };
  } finally {
    clearTimeout(timer);
  }
}
