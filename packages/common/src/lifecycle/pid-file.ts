import { readFileSync, unlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UtmError } from '../errors/utm-error';

export class PidFileError extends UtmError {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else; it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The pid file of a daemon: refuses to start when another live process holds it, replaces a stale one, and is
 * removed at exit only if it still holds our pid.
 */
export class PidFile {
  private held = false;

  constructor(
    readonly path: string,
    private readonly pid: number = process.pid,
  ) {}

  acquire(program: string): void {
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new PidFileError('UTM_PID_IO', `cannot read pid file ${this.path}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    if (text !== undefined) {
      const other = Number.parseInt(text.trim(), 10);
      if (Number.isInteger(other) && other > 0 && other !== this.pid && alive(other)) {
        throw new PidFileError(
          'UTM_PID_BUSY',
          `${program} is already running with pid ${other} (pid file ${this.path}); stop it first or use another -p`,
        );
      }
      try {
        unlinkSync(this.path);
      } catch {
        // Raced with another cleanup; the exclusive create below decides.
      }
    }
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(this.path, `${this.pid}\n`, { flag: 'wx', mode: 0o644 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'UTM_PID_BUSY' : 'UTM_PID_IO';
      throw new PidFileError(code, `cannot create pid file ${this.path}: ${(err as Error).message}`, { cause: err });
    }
    this.held = true;
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      if (readFileSync(this.path, 'utf8').trim() === String(this.pid)) unlinkSync(this.path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}
