import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface SpooledBatch<T = unknown> {
  readonly id: number;
  /** The Stream sequence number once given (0 before): resent under it after a restart, so it is applied once. */
  seq: number;
  readonly items: T[];
}

/** A batch file that cannot be read back (truncated by a crash, edited): moved aside, never resent half. */
export interface SpoolProblem {
  readonly file: string;
  readonly reason: string;
}

const NAME = /^(\d{16})\.batch$/;

/**
 * A daemon's disk buffer (the traffic collector's batches, utm5_radius's accounting): every batch is written (and fsynced) before it is sent and removed once the core
 * has committed it; the number the link gives it is written too, so after a crash or restart each batch is resent
 * under its own number and the core applies it at most once. Files are written to a temporary name and renamed,
 * so a crash leaves either the old or the new content.
 */
export class Spool<T = unknown> {
  private nextId = 1;
  private readonly live = new Map<number, SpooledBatch<T>>();

  constructor(
    private readonly dir: string,
    private readonly max: number,
  ) {}

  /** Reads what a previous run left; returns the batches in order and the unreadable files (renamed *.bad). */
  open(): { batches: SpooledBatch<T>[]; problems: SpoolProblem[] } {
    mkdirSync(this.dir, { recursive: true });
    const problems: SpoolProblem[] = [];
    const batches: SpooledBatch<T>[] = [];
    for (const f of readdirSync(this.dir).sort()) {
      const m = NAME.exec(f);
      if (!m) {
        if (f.endsWith('.tmp')) unlinkSync(join(this.dir, f));
        continue;
      }
      try {
        const b = JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as SpooledBatch<T>;
        if (!Number.isSafeInteger(b.seq) || !Array.isArray(b.items)) throw new Error('not a batch');
        const batch = { id: Number(m[1]), seq: b.seq, items: b.items };
        batches.push(batch);
        this.live.set(batch.id, batch);
      } catch (err) {
        problems.push({ file: f, reason: (err as Error).message });
        renameSync(join(this.dir, f), join(this.dir, `${f}.bad`));
      }
    }
    this.nextId = Math.max(Date.now() * 1000, ...batches.map((b) => b.id + 1));
    return { batches, problems };
  }

  get size(): number {
    return this.live.size;
  }

  /** Writes a new batch; returns it, and the batches dropped to stay within the maximum (oldest first). */
  add(items: T[]): { batch: SpooledBatch<T>; dropped: SpooledBatch<T>[] } {
    const batch: SpooledBatch<T> = { id: this.nextId++, seq: 0, items };
    this.write(batch);
    this.live.set(batch.id, batch);
    const dropped: SpooledBatch<T>[] = [];
    for (const old of this.live.values()) {
      if (this.live.size <= this.max) break;
      if (old.seq !== 0) continue; // a numbered batch may already be applied: dropping it would not save anything
      this.remove(old.id);
      dropped.push(old);
    }
    return { batch, dropped };
  }

  setSeq(batch: SpooledBatch<T>, seq: number): void {
    batch.seq = seq;
    this.write(batch);
  }

  remove(id: number): void {
    if (!this.live.delete(id)) return;
    try {
      unlinkSync(this.file(id));
    } catch {
      // already gone
    }
  }

  private file(id: number): string {
    return join(this.dir, `${String(id).padStart(16, '0')}.batch`);
  }

  private write(b: SpooledBatch<T>): void {
    const path = this.file(b.id);
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify({ seq: b.seq, items: b.items }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  }
}
