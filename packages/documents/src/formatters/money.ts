/** A money value (currency units) as documents print it: two decimals, a dot, no grouping; '' for a hidden value. */
export function moneyText(v: unknown): string {
  if (v === '' || v === null || v === undefined) return '';
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return String(v);
  const r = Math.round(Math.abs(n) * 100 + 1e-7) / 100;
  return (n < 0 && r !== 0 ? '-' : '') + r.toFixed(2);
}
