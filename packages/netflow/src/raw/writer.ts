import { open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { RAW_HEADER_SIZE, encodeRawFlow, encodeRawHeader, type RawFlow } from './format';

/** The names this writer gives its files: UTC creation time, then a sequence number within that second. */
export const RAW_FILE_NAME = /^utm5_raw_\d{14}_\d{6}\.utm$/;

export interface RawFileWriterOptions {
  /** The manual's "Path to .utm file". One writer per directory: maxFileCount counts every raw file in it. */
  dir: string;
  /**
   * Bytes (header included). A file is closed and the next one opened when the next record would take it past this;
   * a file always holds at least one record, so a limit below one record means a record a file. 0 = no limit.
   */
  maxFileSize: number;
  /** Raw files kept in `dir` (counting the open one); past it the oldest closed file is deleted. 0 = no limit. */
  maxFileCount: number;
  /** Records held in memory before they are written in the background (0 or 1: each record at once). */
  bufferSize: number;
  /**
   * Called after a file is closed (on rotation and by close()), with the records it holds: the collector runs the
   * "raw process script" and the "Raw traffic file closed" event from it. An exception it throws is reported by
   * the next flush()/close() and does not stop the writer.
   */
  onClose?: (path: string, records: number) => void;
  /** Unix ms for file names and headers; Date.now unless a Clock is wired in. */
  now?: () => number;
}

export type RawFileErrorReason = 'write' | 'closed' | 'on_close';

/** A raw file could not be written (records lost, counted in the message), or the writer was used after close(). */
export class RawFileError extends Error {
  constructor(
    readonly reason: RawFileErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RawFileError';
  }
}

interface OpenFile {
  fh: FileHandle;
  path: string;
  size: number;
  records: number;
}

/**
 * Appends raw flows to rotating .utm files. write() only encodes into memory (a bad flow throws there, at its
 * caller); disk work runs one batch at a time in order, so records land in the order they were written. A failed
 * write abandons that file (its tail may be a partial record, which readers skip) and is reported once, by the next
 * flush() or close(); the writer then goes on with a new file.
 */
export class RawFileWriter {
  private readonly o: Required<Omit<RawFileWriterOptions, 'onClose'>> & Pick<RawFileWriterOptions, 'onClose'>;
  private pending: Buffer[] = [];
  private drainQueued = false;
  private current: OpenFile | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private stamp = '';
  private seq = 0;

  constructor(options: RawFileWriterOptions) {
    for (const k of ['maxFileSize', 'maxFileCount', 'bufferSize'] as const) {
      const v = options[k];
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`RawFileWriter ${k} ${v} is not an integer >= 0`);
    }
    this.o = { ...options, bufferSize: Math.max(1, options.bufferSize), now: options.now ?? Date.now };
  }

  /** Queues one flow; writes the buffer in the background once it holds bufferSize records. */
  write(f: RawFlow): void {
    if (this.closing)
      throw new RawFileError('closed', `raw file writer for ${this.o.dir} is closed; the flow was not written`);
    this.pending.push(encodeRawFlow(f));
    if (this.pending.length >= this.o.bufferSize && !this.drainQueued) void this.schedule();
  }

  /** Writes what is buffered; the file stays open. Rejects with a failure of this or an earlier background write. */
  async flush(): Promise<void> {
    await this.schedule();
    this.rethrow();
  }

  /** Writes what is buffered and closes the file (onClose runs for it). Later writes throw; close() again is a no-op. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.schedule();
      await this.enqueue(() => this.closeCurrent());
      this.rethrow();
    })();
    return this.closing;
  }

  private schedule(): Promise<void> {
    this.drainQueued = true;
    return this.enqueue(() => this.drain());
  }

  /** Runs disk work after what is queued; never rejects (failures wait in `failure` for flush/close). */
  private enqueue(work: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(work).catch((err: unknown) => {
      this.failure ??= err instanceof Error ? err : new Error(String(err));
    });
    return this.chain;
  }

  private rethrow(): void {
    const f = this.failure;
    this.failure = undefined;
    if (f) throw f;
  }

  private async drain(): Promise<void> {
    this.drainQueued = false;
    const batch = this.pending;
    this.pending = [];
    let i = 0;
    let from = 0;
    try {
      while (i < batch.length) {
        from = i;
        const cur = this.current ?? (await this.openNext());
        const parts: Buffer[] = [];
        let size = cur.size;
        for (; i < batch.length; i++) {
          const r = batch[i]!;
          if (this.o.maxFileSize > 0 && size + r.length > this.o.maxFileSize && cur.records + parts.length > 0) break;
          parts.push(r);
          size += r.length;
        }
        if (parts.length > 0) {
          await writeAll(cur.fh, parts.length === 1 ? parts[0]! : Buffer.concat(parts, size - cur.size));
          cur.size = size;
          cur.records += parts.length;
        }
        if (i < batch.length) await this.closeCurrent();
      }
    } catch (err) {
      // Where the failed write stopped is unknown: this file is done (readers skip a partial tail), the next batch
      // opens a new one. The records of the chunk in flight and after it are counted as lost.
      const path = this.current?.path ?? this.o.dir;
      await this.closeCurrent().catch(() => undefined);
      throw new RawFileError(
        'write',
        `raw file ${path}: ${(err as Error).message}; up to ${batch.length - from} records not written`,
        { cause: err },
      );
    }
  }

  private async openNext(): Promise<OpenFile> {
    const now = this.o.now();
    const stamp = utcStamp(now);
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      this.seq = 0;
    }
    let fh: FileHandle | undefined;
    let path = '';
    while (!fh) {
      path = join(this.o.dir, `utm5_raw_${stamp}_${String(this.seq++).padStart(6, '0')}.utm`);
      try {
        // 'wx': a file left by an earlier run in the same second is never overwritten; the next number is taken.
        fh = await open(path, 'wx');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    this.current = { fh, path, size: RAW_HEADER_SIZE, records: 0 };
    await writeAll(fh, encodeRawHeader(now));
    await this.prune(path);
    return this.current;
  }

  private async closeCurrent(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    await cur.fh.close();
    try {
      this.o.onClose?.(cur.path, cur.records);
    } catch (err) {
      this.failure ??= new RawFileError('on_close', `onClose for ${cur.path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  /** Deletes the oldest raw files past maxFileCount; the open one is the newest and is never among them. */
  private async prune(openPath: string): Promise<void> {
    if (this.o.maxFileCount === 0) return;
    const names = (await readdir(this.o.dir)).filter((n) => RAW_FILE_NAME.test(n)).sort();
    const open = basename(openPath);
    for (const n of names.slice(0, Math.max(0, names.length - this.o.maxFileCount))) {
      if (n === open) continue;
      // The raw process script may have moved it away already.
      await unlink(join(this.o.dir, n)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
  }
}

async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  for (let at = 0; at < buf.length;) {
    const { bytesWritten } = await fh.write(buf, at, buf.length - at);
    at += bytesWritten;
  }
}

function utcStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
