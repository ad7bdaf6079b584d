import { AltNumberFormatError } from './errors';

const PART = /\{alt_number\((\d+)\)\}/;

/**
 * The company's "Number format" applied to an alternative number: prefix{alt_number(N)}postfix, the number padded
 * with zeros to N digits ("ABC#{alt_number(5)}-DE" and 1 give "ABC#00001-DE"); a longer number is kept whole.
 */
export function formatAltNumber(format: string, n: number): string {
  const m = PART.exec(format);
  const width = m ? Number(m[1]) : NaN;
  if (!m || !(width >= 1 && width <= 20) || PART.test(format.slice(m.index + m[0].length))) {
    throw new AltNumberFormatError(format);
  }
  return format.slice(0, m.index) + String(n).padStart(width, '0') + format.slice(m.index + m[0].length);
}

/** Whether a company's number format can be used (for the URFA edit of a company, before it is saved). */
export function isAltNumberFormat(format: string): boolean {
  try {
    formatAltNumber(format, 1);
    return true;
  } catch {
    return false;
  }
}
