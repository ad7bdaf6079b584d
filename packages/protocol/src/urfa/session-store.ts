import { randomBytes } from 'node:crypto';

/**
 * Customer session ids (SID): 128-bit, random, tied to the client's IP, forgotten after idle time. A SID lets a
 * trusted system user (the web cabinet) resume the customer's session without the customer's password.
 */
export interface SessionRecord<P> {
  readonly sid: Buffer;
  readonly principal: P;
  readonly ip: string;
  lastUsed: number;
}

export class SessionStore<P> {
  private readonly byHex = new Map<string, SessionRecord<P>>();

  constructor(
    private readonly idleSeconds: number,
    private readonly now: () => number,
  ) {}

  create(principal: P, ip: string, sid: Buffer = randomBytes(16)): SessionRecord<P> {
    this.expire();
    const rec: SessionRecord<P> = { sid: Buffer.from(sid), principal, ip, lastUsed: this.now() };
    this.byHex.set(rec.sid.toString('hex'), rec);
    return rec;
  }

  /**
   * The session for sid if it is alive and was created from ip (when an ip is given). A failed restore deletes the
   * SID, as the manual says: the customer has to log in again.
   */
  restore(sid: Buffer, ip: string | undefined): SessionRecord<P> | undefined {
    this.expire();
    const key = sid.toString('hex');
    const rec = this.byHex.get(key);
    if (!rec) return undefined;
    if (ip !== undefined && rec.ip !== ip) {
      this.byHex.delete(key);
      return undefined;
    }
    rec.lastUsed = this.now();
    return rec;
  }

  touch(rec: SessionRecord<P>): void {
    rec.lastUsed = this.now();
  }

  drop(sid: Buffer): void {
    this.byHex.delete(sid.toString('hex'));
  }

  get size(): number {
    return this.byHex.size;
  }

  /** Forgets every session idle longer than the timeout (the scheduler's session cleaner calls this). */
  expireNow(): void {
    this.expire();
  }

  private expire(): void {
    const limit = this.now() - this.idleSeconds;
    for (const [k, r] of this.byHex) if (r.lastUsed < limit) this.byHex.delete(k);
  }
}
