import { UtmError } from '../errors/utm-error';
import type { Logger } from '../log/logger';

/** A component with a lifecycle: started in order, stopped in reverse. */
export interface Service {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class LifecycleTimeoutError extends UtmError {
  constructor(name: string, phase: 'start' | 'stop', ms: number) {
    super('UTM_LIFECYCLE_TIMEOUT', `${name} did not ${phase} within ${Math.round(ms / 1000)} s`);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, err: () => Error): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(err()), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Starts services in order and stops the started ones in reverse, each within its timeout; a failed start stops
 * what already started, so a daemon that cannot open its port releases its database too.
 */
export class ServiceHost {
  private readonly started: Service[] = [];

  constructor(
    private readonly services: readonly Service[],
    private readonly log: Logger,
    private readonly timeouts = { startMs: 30_000, stopMs: 10_000 },
  ) {}

  async start(): Promise<void> {
    for (const s of this.services) {
      try {
        await withTimeout(
          s.start(),
          this.timeouts.startMs,
          () => new LifecycleTimeoutError(s.name, 'start', this.timeouts.startMs),
        );
      } catch (err) {
        await this.stop();
        throw err;
      }
      this.started.push(s);
      this.log.debug(`${s.name} started`);
    }
  }

  async stop(): Promise<void> {
    while (this.started.length > 0) {
      const s = this.started.pop()!;
      try {
        await withTimeout(
          s.stop(),
          this.timeouts.stopMs,
          () => new LifecycleTimeoutError(s.name, 'stop', this.timeouts.stopMs),
        );
        this.log.debug(`${s.name} stopped`);
      } catch (err) {
        this.log.error(`stopping ${s.name} failed: ${(err as Error).message}`);
      }
    }
  }
}
