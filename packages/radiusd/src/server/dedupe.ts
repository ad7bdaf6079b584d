/**
 * Retransmit detection (RFC 5080 2.2.2): a request from the same NAS address and port with the same identifier and
 * request authenticator within the window is the same request. While it is being handled a retransmit is dropped;
 * once answered, it gets the same answer again.
 */
export class DuplicateCache {
  private readonly seen = new Map<string, { at: number; answer: Buffer | undefined }>();

  constructor(private readonly windowMs: number) {}

  static key(ip: string, port: number, id: number, authenticator: Buffer): string {
    return `${ip}:${port}:${id}:${authenticator.toString('hex')}`;
  }

  /** undefined: new (now marked in progress); 'pending': being handled; a Buffer: the answer to send again. */
  check(key: string, now: number): undefined | 'pending' | Buffer {
    const e = this.seen.get(key);
    if (e && now - e.at < this.windowMs) return e.answer ?? 'pending';
    // Deleted first so the entry moves to the end: the map stays in time order for sweep().
    this.seen.delete(key);
    this.seen.set(key, { at: now, answer: undefined });
    return undefined;
  }

  /** Keeps the answer for retransmits; returns when the request was first seen (for its latency), if known. */
  answered(key: string, answer: Buffer): number | undefined {
    const e = this.seen.get(key);
    if (!e) return undefined;
    e.answer = answer;
    return e.at;
  }

  /** Forgets a request that got no answer (dropped), so a retransmit is handled afresh. */
  forget(key: string): void {
    this.seen.delete(key);
  }

  sweep(now: number): void {
    for (const [k, e] of this.seen) {
      if (now - e.at < this.windowMs) break; // insertion order is time order
      this.seen.delete(k);
    }
  }

  get size(): number {
    return this.seen.size;
  }
}
