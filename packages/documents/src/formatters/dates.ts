import { zonedParts } from '@utm5/common';
import type { Lang } from './sum-to-string';

/** The manual's date modifiers over unix seconds, in the billing time zone. */
const MONTHS: Readonly<Record<Lang, readonly string[]>> = {
  // Genitive: «04» декабря 2026
  ru: [
    'января',
    'февраля',
    'марта',
    'апреля',
    'мая',
    'июня',
    'июля',
    'августа',
    'сентября',
    'октября',
    'ноября',
    'декабря',
  ],
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
};

const two = (n: number): string => String(n).padStart(2, '0');

function toUnix(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : null;
}

/** DD.MM.YYYY in Russian documents, DD/MM/YYYY (the manual's form) in English ones. */
export function dateShort(v: unknown, lang: Lang, tz: string): string {
  const t = toUnix(v);
  if (t === null) return '';
  const p = zonedParts(t, tz);
  const sep = lang === 'ru' ? '.' : '/';
  return `${two(p.day)}${sep}${two(p.month)}${sep}${p.year}`;
}

/** “DD” Month YYYY: «04» декабря 2026, “04” December 2026. */
export function dateLong(v: unknown, lang: Lang, tz: string): string {
  const t = toUnix(v);
  if (t === null) return '';
  const p = zonedParts(t, tz);
  const month = MONTHS[lang][p.month - 1]!;
  return lang === 'ru' ? `«${two(p.day)}» ${month} ${p.year}` : `“${two(p.day)}” ${month} ${p.year}`;
}

/** The manual's "MM.DD HH:MM" read as day first (DD.MM HH:MM), the order every UTM5 call list prints. */
export function dateTime(v: unknown, tz: string): string {
  const t = toUnix(v);
  if (t === null) return '';
  const p = zonedParts(t, tz);
  return `${two(p.day)}.${two(p.month)} ${two(p.hour)}:${two(p.minute)}`;
}

/** Seconds as HH:MM:SS; hours go past 24 rather than wrapping, as a call total needs. */
export function duration(v: unknown): string {
  const t = toUnix(v);
  if (t === null) return '';
  const neg = t < 0;
  const a = Math.abs(t);
  const s = `${two(Math.floor(a / 3600))}:${two(Math.floor((a % 3600) / 60))}:${two(a % 60)}`;
  return neg ? `-${s}` : s;
}
