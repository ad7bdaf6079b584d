import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface RotationOptions {
  readonly rotate: boolean;
  readonly maxSize: number;
  /** undefined = unlimited: rotated files get a ".<unix time>" suffix and none is removed. */
  readonly maxCount: number | undefined;
  /** Wall-clock milliseconds, injectable so tests can name the ".<unix time>" files. */
  readonly nowMs?: () => number;
}

/** Lines waiting in some file's buffer: written out when the process exits, however it exits. */
const unflushed = new Set<RotatingFile>();
process.once('exit', () => {
  for (const f of unflushed) f.flush();
});

/** A file's buffer is written at once past this many bytes (and otherwise after the current turn of the event loop). */
const MAX_BUFFERED = 64 * 1024;

/**
 * An append-only log file with the manual's size rotation. Lines of one event-loop turn are written together
 * (one write call instead of one per line: under load, per-line writes were 15% of a RADIUS request's cost);
 * an urgent line (EMERG..CRIT) is written at once with everything before it, and the buffer is written when the
 * process exits, so a crash or exit loses nothing; only SIGKILL can lose the lines of the current turn.
 */
export class RotatingFile {
  private fd = -1;
  private size = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Immediate | undefined;

  constructor(
    readonly path: string,
    private readonly opts: RotationOptions,
  ) {
    this.open();
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  write(line: string, urgent = false): void {
    const text = line.endsWith('\n') ? line : `${line}\n`;
    this.pending.push(text);
    this.pendingBytes += text.length;
    if (urgent || this.pendingBytes >= MAX_BUFFERED) {
      this.flush();
      return;
    }
    if (!this.timer) {
      unflushed.add(this);
      this.timer = setImmediate(() => this.flush());
      this.timer.unref();
    }
  }

  /** Writes the buffered lines now. */
  flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    unflushed.delete(this);
    if (this.pending.length === 0) return;
    if (this.fd < 0) this.open();
    const lines = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    // As many lines per write as fit before the size limit: the line that crosses it still ends the old file.
    let chunk: string[] = [];
    for (const text of lines) {
      chunk.push(text);
      this.size += Buffer.byteLength(text, 'utf8');
      if (this.opts.rotate && this.size > this.opts.maxSize) {
        this.writeOut(chunk);
        chunk = [];
        this.rotate();
      }
    }
    if (chunk.length > 0) this.writeOut(chunk);
  }

  private writeOut(lines: readonly string[]): void {
    if (this.fd < 0) this.open();
    writeSync(this.fd, Buffer.from(lines.join(''), 'utf8'));
  }

  /** Closes and reopens the file (SIGHUP), so an external logrotate's move takes effect. */
  reopen(): void {
    this.close();
    this.open();
  }

  close(): void {
    this.flush();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** The rotated files of this log, oldest first. */
  rotatedFiles(): string[] {
    const dir = dirname(this.path);
    const base = basename(this.path);
    const re = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)$`);
    return readdirSync(dir)
      .map((f) => ({ f, m: re.exec(f) }))
      .filter((x) => x.m)
      .sort((a, b) => Number(a.m![1]) - Number(b.m![1]))
      .map((x) => join(dir, x.f));
  }

  private rotate(): void {
    this.close();
    const existing = this.rotatedFiles();
    let suffix: number;
    if (this.opts.maxCount !== undefined) {
      const last = existing[existing.length - 1];
      suffix = last === undefined ? 0 : Number(last.slice(last.lastIndexOf('.') + 1)) + 1;
    } else {
      suffix = Math.floor((this.opts.nowMs ?? Date.now)() / 1000);
    }
    while (existsSync(`${this.path}.${suffix}`)) suffix++;
    renameSync(this.path, `${this.path}.${suffix}`);
    if (this.opts.maxCount !== undefined) {
      const all = this.rotatedFiles();
      for (const old of all.slice(0, Math.max(0, all.length - this.opts.maxCount))) unlinkSync(old);
    }
    this.open();
  }
}
