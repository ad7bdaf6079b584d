import type { Lang } from './sum-to-string';
import { sumToString } from './sum-to-string';
import { dateLong, dateShort, dateTime, duration } from './dates';
import { replaceAll, translate, type Replacements } from './replacements';
import { moneyText } from './money';

/** What the formatters of one render need; it rides on carbone's `complement` under a symbol, out of {c.*}'s way. */
export interface FormatContext {
  readonly lang: Lang;
  readonly currency: string;
  readonly timezone: string;
  readonly replacements: Replacements;
}

export const FORMAT_CONTEXT: unique symbol = Symbol('utm5.documents.format');

interface CarboneThis {
  readonly complement?: { readonly [FORMAT_CONTEXT]?: FormatContext };
}

const DEFAULT_CONTEXT: FormatContext = { lang: 'ru', currency: 'RUB', timezone: 'UTC', replacements: new Map() };

function ctx(self: unknown): FormatContext {
  return (self as CarboneThis | undefined)?.complement?.[FORMAT_CONTEXT] ?? DEFAULT_CONTEXT;
}

/**
 * The manual's variable modifiers as carbone formatters. In a template the manual's `tariff.cost..sum_to_string`
 * is written `{d.tariff[i].cost:sum_to_string}`. sum_to_string takes an optional currency code
 * (`:sum_to_string(USD)`), otherwise the render's currency.
 */
export const UTM5_FORMATTERS = {
  translate(this: unknown, v: unknown): string {
    return translate(v, ctx(this).replacements);
  },
  replace(this: unknown, v: unknown): string {
    return replaceAll(v, ctx(this).replacements);
  },
  date_short(this: unknown, v: unknown): string {
    const c = ctx(this);
    return dateShort(v, c.lang, c.timezone);
  },
  date_long(this: unknown, v: unknown): string {
    const c = ctx(this);
    return dateLong(v, c.lang, c.timezone);
  },
  date_time(this: unknown, v: unknown): string {
    return dateTime(v, ctx(this).timezone);
  },
  duration(this: unknown, v: unknown): string {
    return duration(v);
  },
  sum_to_string(this: unknown, v: unknown, currency?: unknown): string {
    if (v === '' || v === null || v === undefined) return '';
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) return String(v);
    const c = ctx(this);
    return sumToString(n, c.lang, typeof currency === 'string' && currency !== '' ? currency : c.currency);
  },
  /** Not in the manual: money with two decimals, so a template needs no carbone formatN. */
  money(this: unknown, v: unknown): string {
    return moneyText(v);
  },
} as const;
