/** A seeded generator (xorshift32), so a failing fuzz run can be replayed from the seed it prints. */
export function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    int: (n: number) => next() % n,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => next() & 0xff)),
    pick: <T>(a: readonly T[]) => a[next() % a.length]!,
  };
}

export type Rng = ReturnType<typeof rng>;
