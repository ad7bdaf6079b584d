/**
 * Serializes money operations per account inside the core (the only writer of billing state), so a payment, a burn
 * and a transfer touching one account never interleave; different accounts proceed in parallel.
 */
export class AccountLocks {
  private readonly tails = new Map<number, Promise<unknown>>();

  async with<T>(accountIds: number | readonly number[], fn: () => Promise<T>): Promise<T> {
    // Locks are taken in id order so two transfers in opposite directions cannot deadlock.
    const ids = [...new Set(Array.isArray(accountIds) ? accountIds : [accountIds as number])].sort((a, b) => a - b);
    const releases: (() => void)[] = [];
    for (const id of ids) {
      const prev = this.tails.get(id) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((r) => {
        release = r;
      });
      const tail = prev.then(() => mine);
      this.tails.set(id, tail);
      await prev;
      releases.push(() => {
        release();
        if (this.tails.get(id) === tail) this.tails.delete(id);
      });
    }
    try {
      return await fn();
    } finally {
      for (const r of releases.reverse()) r();
    }
  }
}
