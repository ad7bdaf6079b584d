/**
 * Wall-clock parts of a unix time in a time zone, and back. Period boundaries, time ranges and fixed-time services
 * are evaluated in the billing time zone; everything stored stays unix seconds UTC.
 */
export interface ZonedParts {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number; // 1..31
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 Sunday .. 6 Saturday */
  readonly weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The system's own zone, as Node sees it. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

export function zonedParts(t: number, tz: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(t * 1000))) parts[p.type] = p.value;
  return {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']) % 24,
    minute: Number(parts['minute']),
    second: Number(parts['second']),
    weekday: WEEKDAYS[parts['weekday'] ?? 'Sun'] ?? 0,
  };
}

const offsetCache = new Map<string, number>();

/**
 * zonedParts by arithmetic on a cached UTC offset: zone offsets only change on 15-minute boundaries, so one Intl
 * call per zone and 15-minute slot serves every moment in it. Time ranges are evaluated for every flow and every
 * minute of a priced session, where Intl formatting was most of the cost.
 */
export function zonedPartsFast(t: number, tz: string): ZonedParts {
  const slot = Math.floor(t / 900);
  const key = `${tz}|${slot}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    if (offsetCache.size > 100_000) offsetCache.clear();
    offset = zoneOffset(slot * 900, tz);
    offsetCache.set(key, offset);
  }
  const d = new Date((t + offset) * 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Seconds east of UTC at unix time t. */
export function zoneOffset(t: number, tz: string): number {
  const p = zonedParts(t, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000;
  return asUtc - t;
}

/**
 * The unix time of a wall-clock moment in tz. Month and day may overflow (day 32 is the next month's 1st). In a DST
 * gap the moment after the gap is returned; in an overlap, the earlier one.
 */
export function fromZoned(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  tz: string,
): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  // The offsets a day before and after cover both sides of any transition near this moment.
  const offsets = [...new Set([zoneOffset(guess - 86400, tz), zoneOffset(guess, tz), zoneOffset(guess + 86400, tz)])];
  const candidates = offsets.map((o) => guess - o).sort((a, b) => a - b);
  const wall = (t: number) => {
    const p = zonedParts(t, tz);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) / 1000;
  };
  const valid = candidates.filter((t) => wall(t) === guess);
  if (valid.length > 0) return valid[0]!;
  return candidates[candidates.length - 1]!;
}

/** Unix time of local midnight starting the day that contains t. */
export function startOfDay(t: number, tz: string): number {
  const p = zonedParts(t, tz);
  return fromZoned(p.year, p.month, p.day, 0, 0, 0, tz);
}
