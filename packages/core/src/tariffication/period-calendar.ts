import { fromZoned, zonedParts } from '@utm5/common';

/** Accounting period types, as rpcf_add_discount_period_return numbers them (monthly is UTM5's default, 3). */
export const PeriodType = { DAILY: 1, WEEKLY: 2, MONTHLY: 3, QUARTERLY: 4, ANNUAL: 5, CUSTOM: 6 } as const;

export const MIN_CUSTOM_DURATION = 3600;

export function periodTypeName(t: number): string {
  return ['', 'daily', 'weekly', 'monthly', 'quarterly', 'annual', 'custom'][t] ?? `type ${t}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Where period number `ordinal` of a chain ends (ordinal 0 starts at the anchor). Months count from the anchor, so a
 * chain anchored on January 31 ends on the 31st where the month has one and at the end of the month where it does
 * not (the manual: "if the starting date exceeds the number of days in the next month, the period lasts only till
 * the end of the next month"): January 31 -> March 1 (end of February 28/29) -> March 31 -> May 1 -> May 31.
 * Days and weeks are calendar days in the billing time zone.
 */
export function periodEnd(
  type: number,
  anchor: number,
  ordinal: number,
  start: number,
  customDuration: number,
  tz: string,
): number {
  const s = zonedParts(start, tz);
  switch (type) {
    case PeriodType.DAILY:
      return fromZoned(s.year, s.month, s.day + 1, s.hour, s.minute, s.second, tz);
    case PeriodType.WEEKLY:
      return fromZoned(s.year, s.month, s.day + 7, s.hour, s.minute, s.second, tz);
    case PeriodType.CUSTOM:
      return start + Math.max(customDuration, MIN_CUSTOM_DURATION);
    default: {
      const step = type === PeriodType.QUARTERLY ? 3 : type === PeriodType.ANNUAL ? 12 : 1;
      const a = zonedParts(anchor, tz);
      const m0 = a.year * 12 + (a.month - 1) + (ordinal + 1) * step;
      const y = Math.floor(m0 / 12);
      const m = (m0 % 12) + 1;
      if (a.day <= daysIn(y, m)) return fromZoned(y, m, a.day, a.hour, a.minute, a.second, tz);
      return fromZoned(y, m + 1, 1, a.hour, a.minute, a.second, tz);
    }
  }
}
