import { chmodSync, renameSync, writeFileSync } from 'node:fs';
import { errorLine } from '../errors/utm-error';
import type { Logger } from '../log/logger';

/**
 * Writes a file so that a reader sees the old content or the new, never half: a temporary file, then a rename.
 * `mode` 0o600 for a file holding secrets (set on the temporary file, which a stale one from a crash may not have).
 */
export function writeFileAtomic(path: string, text: string, mode?: number): void {
  writeFileSync(`${path}.tmp`, text, mode === undefined ? {} : { mode });
  if (mode !== undefined) chmodSync(`${path}.tmp`, mode);
  renameSync(`${path}.tmp`, path);
}

/**
 * A daemon's counters file (tc_stats_file, radius_stats_file): the snapshot rewritten every interval as one line of
 * JSON, and once more at stop. Monitoring scripts and tests read it; a write failure is a warning, never fatal.
 */
export class StatsFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string | undefined,
    private readonly everyMs: number,
    private readonly snapshot: () => unknown,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.path) this.timer = setInterval(() => this.write(), this.everyMs);
  }

  write(): void {
    if (!this.path) return;
    try {
      writeFileAtomic(this.path, `${JSON.stringify(this.snapshot())}\n`);
    } catch (err) {
      this.log.warn(`cannot write ${this.path}: ${errorLine(err)}`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.write();
  }
}
