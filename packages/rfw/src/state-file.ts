import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorLine } from '@utm5/common';
import { RfwStateError } from './errors';

interface Stored {
  readonly rfw_name: string;
  /** Every command of this RFW with a seq at or below it has run. */
  readonly done: number;
  /** Commands above `done` that have run (parallel mode finishes them out of order). */
  readonly above: number[];
}

/**
 * What utm5_rfw has run, kept across restarts so a command the core resends (its reply was lost) is answered
 * 'duplicate' instead of running twice. Queue numbers are global in the core (not gapless per firewall), so the
 * watermark only moves over numbers of a batch in hand; commands finished ahead of an earlier one wait in `above`.
 * Written durably (fsync of the file, rename, fsync of the directory) after every command, before the reply.
 */
export class RfwState {
  private done = 0;
  private readonly above = new Set<number>();

  constructor(
    private readonly path: string,
    private readonly rfwName: string,
  ) {}

  /** Reads the file; a missing one is a first run. */
  load(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new RfwStateError(`cannot read the state file ${this.path}: ${errorLine(err)}`, { cause: err });
    }
    let s: Stored;
    try {
      s = JSON.parse(text) as Stored;
      if (!Number.isSafeInteger(s.done) || !Array.isArray(s.above)) throw new Error('unexpected content');
    } catch (err) {
      throw new RfwStateError(
        `the state file ${this.path} is damaged (${errorLine(err)}); remove it only if the firewall's commands may run again`,
      );
    }
    if (s.rfw_name !== this.rfwName)
      throw new RfwStateError(
        `the state file ${this.path} belongs to rfw_name '${s.rfw_name}', not '${this.rfwName}': give each RFW its own rfw_state_file`,
      );
    this.done = s.done;
    for (const n of s.above) if (Number.isSafeInteger(n) && n > s.done) this.above.add(n);
  }

  /** The highest seq below which everything has run. */
  get lastSeq(): number {
    return this.done;
  }

  has(seq: number): boolean {
    return seq <= this.done || this.above.has(seq);
  }

  /**
   * Records that `seq` has run; `batch` is the ascending seqs of the batch in hand, over which the watermark may move.
   * Durable when it returns.
   */
  record(seq: number, batch: readonly number[]): void {
    if (seq > this.done) this.above.add(seq);
    for (const s of batch) {
      if (s <= this.done) continue;
      if (!this.above.has(s)) break;
      this.done = s;
      this.above.delete(s);
    }
    for (const s of this.above) if (s <= this.done) this.above.delete(s);
    this.write();
  }

  private write(): void {
    const body: Stored = { rfw_name: this.rfwName, done: this.done, above: [...this.above].sort((a, b) => a - b) };
    const tmp = `${this.path}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const fd = openSync(tmp, 'w', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(body)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
      const dir = openSync(dirname(this.path), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (err) {
      throw new RfwStateError(`cannot write the state file ${this.path}: ${errorLine(err)}`, { cause: err });
    }
  }
}
