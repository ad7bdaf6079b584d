import { UtmError } from '../errors/utm-error';

/**
 * Money is an integer count of micro-units (1e-6 of the system currency) everywhere inside UTM5-TS: in the database,
 * in memory and in every signature. Doubles exist only at the URFA edge and are converted here, once.
 */
export type Micro = number;

export const MICRO_PER_UNIT = 1_000_000;

export class MoneyRangeError extends UtmError {
  constructor(what: string) {
    super('UTM_MONEY_RANGE', `${what} is outside the range money is held in exactly (about ±9e9 currency units)`);
  }
}

function checkSafe(m: number, what: string): Micro {
  if (!Number.isSafeInteger(m)) throw new MoneyRangeError(what);
  return m;
}

/** A URFA double (currency units) to micro-units, rounded half away from zero. */
export function moneyFromDouble(x: number): Micro {
  if (!Number.isFinite(x)) throw new MoneyRangeError(`amount ${x}`);
  // Through the decimal string, so 0.1 becomes exactly 100000 and not 99999.99999.
  return parseMoney(x.toFixed(9).replace(/0+$/, '').replace(/\.$/, ''));
}

export function moneyToDouble(m: Micro): number {
  return m / MICRO_PER_UNIT;
}

/** A decimal string ("12.5", "-0.001", "1e3" not allowed) to micro-units, rounded half away from zero past 6 places. */
export function parseMoney(s: string): Micro {
  const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) throw new MoneyRangeError(`'${s}' (not a decimal amount)`);
  const sign = m[1] === '-' ? -1n : 1n;
  const frac = (m[3] ?? '').padEnd(7, '0');
  let v = BigInt(m[2]!) * 1_000_000n + BigInt(frac.slice(0, 6));
  if (Number(frac[6]) >= 5) v += 1n;
  const r = Number(sign * v);
  return checkSafe(r === 0 ? 0 : r, `amount '${s}'`);
}

/** Display form, rounded half away from zero to `decimals` places (3 in reports, as UTM5 prints). */
export function formatMoney(m: Micro, decimals = 3): string {
  const neg = m < 0;
  let a = BigInt(Math.abs(m));
  const drop = 10n ** BigInt(6 - decimals);
  if (drop > 1n) a = (a + drop / 2n) / drop;
  const unit = 10n ** BigInt(decimals);
  const whole = a / unit;
  const frac = (a % unit).toString().padStart(decimals, '0');
  const body = decimals > 0 ? `${whole}.${frac}` : `${whole}`;
  return neg && a !== 0n ? `-${body}` : body;
}

/** m * num / den, rounded half away from zero, exact for any safe inputs (pro-rating, rates, coefficients). */
export function mulDiv(m: Micro, num: number, den: number): Micro {
  if (den === 0) throw new MoneyRangeError('division by zero');
  const n = BigInt(m) * BigInt(num);
  const d = BigInt(den);
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  const r = Number(neg ? -q : q);
  return checkSafe(r === 0 ? 0 : r, 'computed amount');
}
