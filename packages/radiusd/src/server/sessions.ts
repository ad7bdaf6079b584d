import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@utm5/common';

/** An open session as utm5_radius counts it for simultaneous-session limits. */
export interface OpenSession {
  readonly key: string;
  readonly login: string;
  readonly slinkId: number;
  readonly accountId: number;
  readonly userId: number;
  readonly dealerId: number;
  readonly serviceId: number;
  framedIp: string;
  readonly startedAt: number;
  lastSeen: number;
}

export type Level = 'slink' | 'service' | 'account' | 'user' | 'dealer';

/**
 * Open sessions by NAS and Acct-Session-Id with counts per link, service, account, user and dealer (for the
 * capacity limits), kept in a file so the counts survive a restart; and the closed-sessions cache (a late Stop or
 * Interim for a closed session does not open it again).
 */
export class SessionTable {
  private readonly open = new Map<string, OpenSession>();
  private readonly counts = new Map<string, number>();
  private readonly closed = new Set<string>();
  private dirty = false;

  constructor(
    private readonly file: string | undefined,
    private readonly closedCacheSize: number,
  ) {}

  static key(nas: string, sid: string): string {
    return `${nas}|${sid}`;
  }

  load(): number {
    if (!this.file) return 0;
    try {
      const list = JSON.parse(readFileSync(this.file, 'utf8')) as OpenSession[];
      for (const s of list) this.add(s);
      this.dirty = false;
      return list.length;
    } catch {
      return 0;
    }
  }

  /** Writes the open sessions if they changed (called on a timer and at stop). */
  save(): void {
    if (!this.file || !this.dirty) return;
    writeFileAtomic(this.file, JSON.stringify([...this.open.values()]));
    this.dirty = false;
  }

  get size(): number {
    return this.open.size;
  }

  get(key: string): OpenSession | undefined {
    return this.open.get(key);
  }

  count(level: Level, id: number): number {
    return this.counts.get(`${level}:${id}`) ?? 0;
  }

  isClosed(key: string): boolean {
    return this.closed.has(key);
  }

  private bump(s: OpenSession, by: number): void {
    for (const [level, id] of [
      ['slink', s.slinkId],
      ['service', s.serviceId],
      ['account', s.accountId],
      ['user', s.userId],
      ['dealer', s.dealerId],
    ] as const) {
      if (id <= 0) continue;
      const k = `${level}:${id}`;
      const n = (this.counts.get(k) ?? 0) + by;
      if (n > 0) this.counts.set(k, n);
      else this.counts.delete(k);
    }
  }

  add(s: OpenSession): void {
    if (this.open.has(s.key)) return;
    this.open.set(s.key, s);
    this.bump(s, 1);
    this.closed.delete(s.key);
    this.dirty = true;
  }

  touch(key: string, at: number): void {
    const s = this.open.get(key);
    if (s) s.lastSeen = at;
  }

  remove(key: string, remember: boolean): OpenSession | undefined {
    const s = this.open.get(key);
    if (s) {
      this.open.delete(key);
      this.bump(s, -1);
      this.dirty = true;
    }
    if (remember && this.closedCacheSize > 0) {
      this.closed.add(key);
      // A Set keeps insertion order: the first entry is the oldest.
      if (this.closed.size > this.closedCacheSize) this.closed.delete(this.closed.values().next().value!);
    }
    return s;
  }

  all(): IterableIterator<OpenSession> {
    return this.open.values();
  }

  /** Sessions not heard of since `before` (no Interim-Update for three intervals). */
  stale(before: number): OpenSession[] {
    return [...this.open.values()].filter((s) => s.lastSeen < before);
  }
}
