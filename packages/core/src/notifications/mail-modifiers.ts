import { dateLong, dateShort, dateTime, duration, sumToString, type Lang } from '@utm5/documents';
import type { MailModifier } from './mail-template';

/**
 * The document templates' modifiers (documents' formatters) for mail text. A mail has no document profile, so its
 * language is the template's own: Russian when the text has Cyrillic letters, English otherwise.
 */
export function mailLang(template: string): Lang {
  return /[\u0400-\u04ff]/.test(template) ? 'ru' : 'en';
}

export function mailModifiers(lang: Lang, timezone: string, currency: string): Record<string, MailModifier> {
  return {
    date_short: (v) => dateShort(v, lang, timezone),
    date_long: (v) => dateLong(v, lang, timezone),
    date_time: (v) => dateTime(v, timezone),
    duration: (v) => duration(v),
    sum_to_string: (v) => (Number.isFinite(Number(v)) ? sumToString(Number(v), lang, currency) : v),
  };
}
