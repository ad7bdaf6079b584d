import { fromZoned } from '@utm5/common';

/**
 * The manual's date and duration format strings (utm5_send_cdr.cfg's pbx_time_format, pbx_duration_format), compiled
 * once into a RegExp and a list of setters so a line costs one match.
 *
 * Specifiers: %Y %y %N %n %H %h %D %d %M %m %S %s %b %U %z as the manual lists them; UTM5-TS adds %a (a weekday
 * name, ignored) and %f (fractional seconds, ignored) to spell the manual's default call date. `%` followed by any
 * other symbol matches any one symbol (the manual's "% any symbol"). A blank in the format matches a run of blanks;
 * every other symbol matches itself.
 */

/** The wall-clock fields a date matched; absent ones are filled in by resolveDate. */
export interface DateParts {
  year?: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  unix?: number;
  /** The %z text, as given. */
  zone?: string;
}

export class FormatError extends Error {}

type Field = keyof Omit<DateParts, 'zone'> | 'zone' | 'monthName' | 'year2' | 'ignored';

interface Spec {
  readonly re: string;
  readonly field: Field;
  readonly min?: number;
  readonly max?: number;
  readonly what: string;
}

const DATE_SPECS: Readonly<Record<string, Spec>> = {
  Y: { re: '(\\d{4})', field: 'year', min: 1970, max: 9999, what: 'a four-digit year' },
  y: { re: '(\\d{2})', field: 'year2', what: 'a two-digit year' },
  N: { re: '(\\d{2})', field: 'month', min: 1, max: 12, what: 'a month 01..12' },
  n: { re: '(\\d{1,2})', field: 'month', min: 1, max: 12, what: 'a month 1..12' },
  H: { re: '(\\d{2})', field: 'hour', min: 0, max: 23, what: 'an hour 00..23' },
  h: { re: '(\\d{1,2})', field: 'hour', min: 0, max: 23, what: 'an hour 0..23' },
  D: { re: '(\\d{2})', field: 'day', min: 1, max: 31, what: 'a day of the month 01..31' },
  d: { re: '(\\d{1,2})', field: 'day', min: 1, max: 31, what: 'a day of the month 1..31' },
  M: { re: '(\\d{2})', field: 'minute', min: 0, max: 59, what: 'minutes 00..59' },
  m: { re: '(\\d{1,2})', field: 'minute', min: 0, max: 59, what: 'minutes 0..59' },
  S: { re: '(\\d{2})', field: 'second', min: 0, max: 60, what: 'seconds 00..60' },
  s: { re: '(\\d{1,2})', field: 'second', min: 0, max: 60, what: 'seconds 0..60' },
  b: { re: '([A-Za-z]{3})', field: 'monthName', what: 'a three-letter month name' },
  U: { re: '(-?\\d{1,12})', field: 'unix', what: 'a unix time' },
  z: { re: '([A-Za-z][A-Za-z0-9_/+-]*|[+-]\\d{2}:?\\d{2})', field: 'zone', what: 'a time zone' },
  a: { re: '([A-Za-z]+)', field: 'ignored', what: 'a weekday name' },
  f: { re: '(\\d+)', field: 'ignored', what: 'fractional seconds' },
};

/** In a duration, the non-padded forms take any number of digits (a call of 90 minutes is %m 90). */
const DURATION_SPECS: Readonly<Record<string, Spec>> = {
  H: { re: '(\\d{2,})', field: 'hour', what: 'hours' },
  h: { re: '(\\d+)', field: 'hour', what: 'hours' },
  M: { re: '(\\d{2})', field: 'minute', what: 'minutes' },
  m: { re: '(\\d+)', field: 'minute', what: 'minutes' },
  S: { re: '(\\d{2})', field: 'second', what: 'seconds' },
  s: { re: '(\\d+)', field: 'second', what: 'seconds' },
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The manual's default call date, `<hh>:<mm>:<ss>.<mls> <tmz> <wdd> <mth> <dt> <yyyy>`. */
export const DEFAULT_DATE_FORMAT = '%H:%M:%S.%f %z %a %b %d %Y';

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

interface Compiled {
  readonly re: RegExp;
  readonly specs: readonly Spec[];
  /** How many runs of blanks the format has: the fields a space-delimited date spans beyond its own. */
  readonly blanks: number;
}

function compile(format: string, specs: Readonly<Record<string, Spec>>, kind: string): Compiled {
  let re = '^';
  const used: Spec[] = [];
  let blanks = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '%') {
      const n = format[i + 1];
      i++;
      const spec = n === undefined ? undefined : specs[n];
      if (spec) {
        re += spec.re;
        used.push(spec);
      } else if (n !== undefined && /[A-Za-z]/.test(n) && DATE_SPECS[n]) {
        throw new FormatError(`%${n} has no meaning in a ${kind} format`);
      } else re += '[\\s\\S]';
    } else if (c === ' ' || c === '\t') {
      while (format[i + 1] === ' ' || format[i + 1] === '\t') i++;
      re += '[ \\t]+';
      blanks++;
    } else re += escapeRe(c);
  }
  if (used.length === 0) throw new FormatError(`'${format}' has no specifier`);
  return { re: new RegExp(re + '$'), specs: used, blanks };
}

/** A compiled date format: match() gives the parts or a reason the text is not such a date. */
export class DateFormat {
  private readonly c: Compiled;

  constructor(readonly source: string) {
    this.c = compile(source, DATE_SPECS, 'date');
  }

  get blanks(): number {
    return this.c.blanks;
  }

  match(text: string): DateParts | string {
    const m = this.c.re.exec(text);
    if (!m) return `'${text}' does not match the format '${this.source}'`;
    const p: DateParts = {};
    const specs = this.c.specs;
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i]!;
      const raw = m[i + 1]!;
      switch (s.field) {
        case 'ignored':
          break;
        case 'zone':
          p.zone = raw;
          break;
        case 'monthName': {
          const k = MONTHS.indexOf(raw.toLowerCase());
          if (k < 0) return `'${raw}' is not a month name (Jan..Dec)`;
          p.month = k + 1;
          break;
        }
        case 'year2': {
          // POSIX's reading of a two-digit year: 69..99 the 1900s, 00..68 the 2000s.
          const y = Number(raw);
          p.year = y >= 69 ? 1900 + y : 2000 + y;
          break;
        }
        default: {
          const v = Number(raw);
          if ((s.min !== undefined && v < s.min) || (s.max !== undefined && v > s.max))
            return `'${raw}' is not ${s.what}`;
          p[s.field] = v;
        }
      }
    }
    return p;
  }
}

/** A compiled duration format (pbx_duration_format); without a format a duration is plain seconds. */
export class DurationFormat {
  private readonly c: Compiled | undefined;

  constructor(readonly source: string | undefined) {
    this.c = source === undefined || source === '' ? undefined : compile(source, DURATION_SPECS, 'duration');
  }

  get blanks(): number {
    return this.c?.blanks ?? 0;
  }

  /** Seconds, or a reason the text is not a duration. */
  match(text: string): number | string {
    if (this.c === undefined) {
      if (!/^\d{1,10}$/.test(text)) return `'${text}' is not a number of seconds`;
      return Number(text);
    }
    const m = this.c.re.exec(text);
    if (!m) return `'${text}' does not match the format '${this.source}'`;
    let total = 0;
    const specs = this.c.specs;
    for (let i = 0; i < specs.length; i++) {
      const v = Number(m[i + 1]);
      const f = specs[i]!.field;
      total += f === 'hour' ? v * 3600 : f === 'minute' ? v * 60 : v;
    }
    return total;
  }
}

/** Zone abbreviations PBXs write, as fixed offsets in seconds (an abbreviation already says whether DST is on). */
const ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  GMT: 0,
  UT: 0,
  Z: 0,
  WET: 0,
  WEST: 3600,
  BST: 3600,
  CET: 3600,
  CEST: 7200,
  EET: 7200,
  EEST: 10800,
  MSK: 10800,
  MSD: 14400,
  EST: -18000,
  EDT: -14400,
  CST: -21600,
  CDT: -18000,
  MST: -25200,
  MDT: -21600,
  PST: -28800,
  PDT: -25200,
};

const zoneCache = new Map<string, number | string | null>();

/** A %z text as a fixed offset (seconds east of UTC), an IANA zone name, or null when unknown. */
export function readZone(text: string): number | string | null {
  const hit = zoneCache.get(text);
  if (hit !== undefined) return hit;
  let r: number | string | null = null;
  const off = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  const abbr = ABBREVIATIONS[text.toUpperCase()];
  if (off) {
    const h = Number(off[2]);
    const m = Number(off[3]);
    if (h <= 14 && m < 60) r = (off[1] === '-' ? -1 : 1) * (h * 3600 + m * 60);
  } else if (abbr !== undefined) r = abbr;
  else {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: text });
      r = text;
    } catch {
      r = null;
    }
  }
  if (zoneCache.size < 1000) zoneCache.set(text, r);
  return r;
}

/**
 * Unix time of wall-clock moments in a named zone. The offset is looked up once per local hour (Intl is slow):
 * a zone's offset changes on the hour nearly everywhere.
 */
export class ZonedClock {
  private readonly hours = new Map<number, number>();

  constructor(readonly zone: string) {}

  unix(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
    const key = ((year * 13 + month) * 32 + day) * 24 + hour;
    let base = this.hours.get(key);
    if (base === undefined) {
      base = fromZoned(year, month, day, hour, 0, 0, this.zone);
      if (this.hours.size > 100000) this.hours.clear();
      this.hours.set(key, base);
    }
    return base + minute * 60 + second;
  }
}

/** Today's date in the clock's zone, for a format without a date. */
export interface Today {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * The unix time of matched parts: %U as is; else the wall-clock fields in %z's zone when given, in the clock's
 * otherwise. A missing date is today's, a missing time of day 00:00:00.
 */
export function resolveDate(p: DateParts, clock: ZonedClock, today: Today): number | string {
  if (p.unix !== undefined) return p.unix;
  const year = p.year ?? today.year;
  const month = p.month ?? today.month;
  const day = p.day ?? today.day;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    return `${year}-${String(month).padStart(2, '0')} has no day ${day}`;
  const h = p.hour ?? 0;
  const mi = p.minute ?? 0;
  const s = p.second ?? 0;
  if (p.zone === undefined) return clock.unix(year, month, day, h, mi, s);
  const z = readZone(p.zone);
  if (z === null) return `'${p.zone}' is not a time zone this tool knows (UTC, GMT, +0300, Europe/Moscow, MSK, ...)`;
  if (typeof z === 'number') return Date.UTC(year, month - 1, day, h, mi, s) / 1000 - z;
  return fromZoned(year, month, day, h, mi, s, z);
}
