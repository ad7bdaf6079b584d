import { Counter, Gauge, type Registry } from 'prom-client';

export type MetricLabels = Readonly<Record<string, string>>;

/**
 * A metric whose value is read from the daemon's own counters at scrape time. The hot path keeps incrementing a
 * plain number field (the counters its stats file already shows); nothing is built per packet, and the figures in
 * /metrics and in the stats file are the same ones.
 */
export interface ReadMetric<S> {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labelNames?: readonly string[];
  /** One value, or one per label set. */
  read(s: S): number | boolean | readonly (readonly [MetricLabels, number])[];
}

/** Registers metrics read from `snapshot()` on each scrape. */
export function registerReadMetrics<S>(registry: Registry, snapshot: () => S, defs: readonly ReadMetric<S>[]): void {
  for (const d of defs) {
    const fill = (m: { reset(): void }, set: (labels: MetricLabels | undefined, v: number) => void) => {
      const v = d.read(snapshot());
      m.reset();
      if (typeof v === 'number' || typeof v === 'boolean') set(undefined, Number(v));
      else for (const [labels, n] of v) set(labels, n);
    };
    const common = { name: d.name, help: d.help, labelNames: d.labelNames ?? [], registers: [registry] };
    if (d.type === 'counter') {
      new Counter({
        ...common,
        collect() {
          fill(this, (l, v) => (l ? this.inc(l, Math.max(0, v)) : this.inc(Math.max(0, v))));
        },
      });
    } else {
      new Gauge({
        ...common,
        collect() {
          fill(this, (l, v) => (l ? this.set(l, v) : this.set(v)));
        },
      });
    }
  }
}
