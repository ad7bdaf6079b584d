import { moneyFromDouble } from '@utm5/common';

/**
 * The manual's sum_to_string: an amount in words with its currency, the minor units in figures, as Russian and
 * English invoices print it ("Одна тысяча двести рублей 50 копеек", "One thousand two hundred roubles 50 kopecks").
 */
export type Lang = 'ru' | 'en';

type Gender = 'm' | 'f' | 'n';
/** Russian plural forms: 1 рубль, 2 рубля, 5 рублей. */
type RuForms = readonly [one: string, few: string, many: string];

interface CurrencyWords {
  readonly ru: { readonly major: RuForms; readonly majorGender: Gender; readonly minor: RuForms };
  readonly en: { readonly major: readonly [string, string]; readonly minor: readonly [string, string] };
}

const CURRENCIES: Readonly<Record<string, CurrencyWords>> = {
  RUB: {
    ru: { major: ['рубль', 'рубля', 'рублей'], majorGender: 'm', minor: ['копейка', 'копейки', 'копеек'] },
    en: { major: ['rouble', 'roubles'], minor: ['kopeck', 'kopecks'] },
  },
  USD: {
    ru: { major: ['доллар', 'доллара', 'долларов'], majorGender: 'm', minor: ['цент', 'цента', 'центов'] },
    en: { major: ['dollar', 'dollars'], minor: ['cent', 'cents'] },
  },
  EUR: {
    ru: { major: ['евро', 'евро', 'евро'], majorGender: 'm', minor: ['цент', 'цента', 'центов'] },
    en: { major: ['euro', 'euros'], minor: ['cent', 'cents'] },
  },
  UAH: {
    ru: { major: ['гривна', 'гривны', 'гривен'], majorGender: 'f', minor: ['копейка', 'копейки', 'копеек'] },
    en: { major: ['hryvnia', 'hryvnias'], minor: ['kopiyka', 'kopiykas'] },
  },
  KZT: {
    ru: { major: ['тенге', 'тенге', 'тенге'], majorGender: 'm', minor: ['тиын', 'тиына', 'тиынов'] },
    en: { major: ['tenge', 'tenge'], minor: ['tiyn', 'tiyns'] },
  },
  BYN: {
    ru: {
      major: ['белорусский рубль', 'белорусских рубля', 'белорусских рублей'],
      majorGender: 'm',
      minor: ['копейка', 'копейки', 'копеек'],
    },
    en: { major: ['Belarusian rouble', 'Belarusian roubles'], minor: ['kopeck', 'kopecks'] },
  },
};
// UTM5 5.3 names the rouble by its old code too.
const ALIASES: Readonly<Record<string, string>> = {
  RUR: 'RUB',
  '810': 'RUB',
  '643': 'RUB',
  '840': 'USD',
  '978': 'EUR',
};

/** The currency codes sum_to_string names in words; any other prints its code after the words. */
export function knownCurrency(code: string): boolean {
  const c = code.toUpperCase();
  return (ALIASES[c] ?? c) in CURRENCIES;
}

export function ruPlural(n: bigint, forms: RuForms): string {
  const m100 = n % 100n;
  const m10 = n % 10n;
  if (m100 >= 11n && m100 <= 14n) return forms[2];
  if (m10 === 1n) return forms[0];
  if (m10 >= 2n && m10 <= 4n) return forms[1];
  return forms[2];
}

const RU_UNITS: Readonly<Record<Gender, readonly string[]>> = {
  m: ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
  f: ['', 'одна', 'две', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
  n: ['', 'одно', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'],
};
const RU_TEENS = [
  'десять',
  'одиннадцать',
  'двенадцать',
  'тринадцать',
  'четырнадцать',
  'пятнадцать',
  'шестнадцать',
  'семнадцать',
  'восемнадцать',
  'девятнадцать',
];
const RU_TENS = [
  '',
  '',
  'двадцать',
  'тридцать',
  'сорок',
  'пятьдесят',
  'шестьдесят',
  'семьдесят',
  'восемьдесят',
  'девяносто',
];
const RU_HUNDREDS = [
  '',
  'сто',
  'двести',
  'триста',
  'четыреста',
  'пятьсот',
  'шестьсот',
  'семьсот',
  'восемьсот',
  'девятьсот',
];
/** Scale words from 10^3 up, each with its gender (тысяча is feminine: "две тысячи"). */
const RU_SCALES: readonly { forms: RuForms; gender: Gender }[] = [
  { forms: ['тысяча', 'тысячи', 'тысяч'], gender: 'f' },
  { forms: ['миллион', 'миллиона', 'миллионов'], gender: 'm' },
  { forms: ['миллиард', 'миллиарда', 'миллиардов'], gender: 'm' },
  { forms: ['триллион', 'триллиона', 'триллионов'], gender: 'm' },
];

function ruTriple(n: number, gender: Gender): string[] {
  const words: string[] = [];
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  if (h) words.push(RU_HUNDREDS[h]!);
  if (t === 1) words.push(RU_TEENS[u]!);
  else {
    if (t) words.push(RU_TENS[t]!);
    if (u) words.push(RU_UNITS[gender][u]!);
  }
  return words;
}

/** A non-negative integer in Russian words, the units agreeing with `gender` ("одна", "две" for feminine nouns). */
export function ruNumber(n: bigint, gender: Gender = 'm'): string {
  if (n === 0n) return 'ноль';
  const triples: number[] = [];
  for (let v = n; v > 0n; v /= 1000n) triples.push(Number(v % 1000n));
  const words: string[] = [];
  for (let i = triples.length - 1; i >= 0; i--) {
    const t = triples[i]!;
    if (t === 0) continue;
    if (i === 0) words.push(...ruTriple(t, gender));
    else {
      const scale = RU_SCALES[i - 1];
      if (!scale) throw new RangeError('amount too large for words');
      words.push(...ruTriple(t, scale.gender), ruPlural(BigInt(t), scale.forms));
    }
  }
  return words.join(' ');
}

const EN_UNITS = [
  '',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const EN_SCALES = ['thousand', 'million', 'billion', 'trillion'];

function enTriple(n: number): string[] {
  const words: string[] = [];
  const h = Math.floor(n / 100);
  const r = n % 100;
  if (h) words.push(EN_UNITS[h]!, 'hundred');
  if (r >= 20) words.push(EN_TENS[Math.floor(r / 10)]! + (r % 10 ? `-${EN_UNITS[r % 10]!}` : ''));
  else if (r) words.push(EN_UNITS[r]!);
  return words;
}

/** A non-negative integer in English words: 1234 "one thousand two hundred thirty-four". */
export function enNumber(n: bigint): string {
  if (n === 0n) return 'zero';
  const triples: number[] = [];
  for (let v = n; v > 0n; v /= 1000n) triples.push(Number(v % 1000n));
  const words: string[] = [];
  for (let i = triples.length - 1; i >= 0; i--) {
    const t = triples[i]!;
    if (t === 0) continue;
    words.push(...enTriple(t));
    if (i > 0) {
      const scale = EN_SCALES[i - 1];
      if (!scale) throw new RangeError('amount too large for words');
      words.push(scale);
    }
  }
  return words.join(' ');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Amount (currency units, as a template holds it) in words; minor units in two figures. */
export function sumToString(amount: number, lang: Lang, currency: string): string {
  const micro = moneyFromDouble(amount);
  const neg = micro < 0;
  const cents = (BigInt(Math.abs(micro)) + 5_000n) / 10_000n;
  const major = cents / 100n;
  const minor = cents % 100n;
  const minorStr = minor.toString().padStart(2, '0');
  const code = currency.toUpperCase();
  const words = CURRENCIES[ALIASES[code] ?? code];
  let text: string;
  if (lang === 'ru') {
    const majorWords = ruNumber(major, words?.ru.majorGender ?? 'm');
    text = words
      ? `${majorWords} ${ruPlural(major, words.ru.major)} ${minorStr} ${ruPlural(minor, words.ru.minor)}`
      : `${majorWords} ${code} ${minorStr}`;
    if (neg) text = `минус ${text}`;
  } else {
    const majorWords = enNumber(major);
    text = words
      ? `${majorWords} ${major === 1n ? words.en.major[0] : words.en.major[1]} ${minorStr} ${
          minor === 1n ? words.en.minor[0] : words.en.minor[1]
        }`
      : `${majorWords} ${code} ${minorStr}`;
    if (neg) text = `minus ${text}`;
  }
  return capitalize(text);
}
