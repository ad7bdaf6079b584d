import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../cli/args';

const LENGTH = 16;

/**
 * Request Authenticators for Access-Request and Status-Server: 16 random bytes each (the kernel's generator, what
 * the manual's default /dev/random gives), or, with -f, the file's next 16 bytes, starting over at its end, so that
 * a 16-byte file sends the same authenticator every time.
 */
export class AuthenticatorSource {
  private fd: number | undefined;
  private readFromStart = 0;

  constructor(private readonly file?: string) {
    if (file !== undefined) this.fd = this.open();
  }

  next(): Buffer {
    if (this.fd === undefined) return randomBytes(LENGTH);
    const buf = Buffer.alloc(LENGTH);
    let n = 0;
    while (n < LENGTH) {
      const got = this.read(buf, n);
      if (got > 0) {
        n += got;
        this.readFromStart += got;
        continue;
      }
      if (this.readFromStart < LENGTH)
        throw new UsageError(`-f ${this.file}: holds ${this.readFromStart} bytes: an authenticator needs ${LENGTH}`);
      closeSync(this.fd);
      this.fd = this.open();
      this.readFromStart = 0;
      n = 0;
    }
    return buf;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    try {
      return openSync(this.file!, 'r');
    } catch (err) {
      throw new UsageError(`-f ${this.file}: ${(err as Error).message}`);
    }
  }

  private read(buf: Buffer, at: number): number {
    try {
      return readSync(this.fd!, buf, at, LENGTH - at, null);
    } catch (err) {
      throw new UsageError(`-f ${this.file}: ${(err as Error).message}`);
    }
  }
}
