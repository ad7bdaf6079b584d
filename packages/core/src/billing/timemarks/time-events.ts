import type { Clock, Logger, TimerHandle } from '@utm5/common';

/** A moment something must happen to an account: a burn, a credit undone, a block starting or ending. */
export interface TimeEvent {
  readonly at: number;
  readonly kind:
    'burn' | 'credit_expire' | 'block_start' | 'block_end' | 'period_end' | 'flow_tick' | 'timemark' | 'once_charge';
  /** The account for burns; the payment for credits; the block for blocks; the period or service link for tariffication. */
  readonly id: number;
}

export type TimeEventHandler = (ev: TimeEvent, now: number) => Promise<void>;

const key = (e: Pick<TimeEvent, 'kind' | 'id'>) => `${e.kind}:${e.id}`;

/**
 * Billing timemarks: the exact moments money or block states change by themselves. One timer on the clock is armed
 * for the earliest; with the test clock they run as it advances, in time order, at their own times.
 */
export class TimeEvents {
  private readonly events = new Map<string, TimeEvent>();
  private timer: TimerHandle | undefined;
  private armedAt: number | undefined;
  private running = false;
  /** The time of the timemark whose handler runs now. */
  private handlingAt: number | undefined;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly handle: TimeEventHandler,
    private readonly log: Logger,
  ) {}

  start(initial: readonly TimeEvent[]): void {
    this.stopped = false;
    for (const e of initial) this.events.set(key(e), e);
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.armedAt = undefined;
  }

  /** Adds or moves an event (one per kind and id). */
  set(e: TimeEvent): void {
    this.events.set(key(e), e);
    if (this.armedAt === undefined || e.at < this.armedAt) this.arm();
  }

  cancel(kind: TimeEvent['kind'], id: number): void {
    this.events.delete(key({ kind, id }));
  }

  get pending(): number {
    return this.events.size;
  }

  /**
   * How far billing is behind its clock (seconds): from the earliest timemark that is due, or the one being handled,
   * to now; 0 when nothing is due. A period close of many accounts or a stalled handler shows here.
   */
  lag(now: number): number {
    let oldest = this.handlingAt;
    for (const e of this.events.values()) if (e.at <= now && (oldest === undefined || e.at < oldest)) oldest = e.at;
    return oldest === undefined ? 0 : Math.max(0, now - oldest);
  }

  private arm(): void {
    if (this.stopped || this.running) return;
    this.timer?.cancel();
    let next: number | undefined;
    for (const e of this.events.values()) if (next === undefined || e.at < next) next = e.at;
    this.armedAt = next;
    if (next === undefined) return;
    this.timer = this.clock.at(next, () => this.fire());
  }

  private async fire(): Promise<void> {
    this.running = true;
    this.armedAt = undefined;
    try {
      for (;;) {
        const now = this.clock.now();
        const due = [...this.events.values()].filter((e) => e.at <= now).sort((a, b) => a.at - b.at || a.id - b.id);
        if (due.length === 0) break;
        for (const e of due) {
          this.events.delete(key(e));
          this.handlingAt = e.at;
          try {
            await this.handle(e, now);
          } catch (err) {
            this.log.error(`billing timemark ${e.kind} ${e.id} at ${e.at} failed: ${(err as Error).message}`);
          } finally {
            this.handlingAt = undefined;
          }
        }
      }
    } finally {
      this.running = false;
      this.arm();
    }
  }
}
