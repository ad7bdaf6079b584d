import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface RotationOptions {
  readonly rotate: boolean;
  readonly maxSize: number;
  /** undefined = unlimited: rotated files get a ".<unix time>" suffix and none is removed. */
  readonly maxCount: number | undefined;
  /** Wall-clock milliseconds, injectable so tests can name the ".<unix time>" files. */
  readonly nowMs?: () => number;
}

/**
 * An append-only log file with the manual's size rotation. Writes are synchronous: a log line written before a crash
 * is on disk, and the size check after each write is exact.
 */
export class RotatingFile {
  private fd = -1;
  private size = 0;

  constructor(readonly path: string, private readonly opts: RotationOptions) {
    this.open();
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, 'a', 0o640);
    this.size = fstatSync(this.fd).size;
  }

  write(line: string): void {
    if (this.fd < 0) this.open();
    const buf = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
    writeSync(this.fd, buf);
    this.size += buf.length;
    if (this.opts.rotate && this.size > this.opts.maxSize) this.rotate();
  }

  /** Closes and reopens the file (SIGHUP), so an external logrotate's move takes effect. */
  reopen(): void {
    this.close();
    this.open();
  }

  close(): void {
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
