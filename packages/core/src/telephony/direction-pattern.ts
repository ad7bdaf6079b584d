/**
 * Called and calling patterns of directions: POSIX 1003.2 extended regular expressions, matched at the number's start.
 * compileDirectionPattern gives the RegExp that decides a match; patternStarts reads which literal starts a matching
 * number must have, so the direction index can file a pattern in its trie and, where that is provably the same
 * thing, skip the RegExp.
 */

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  digit: '0-9',
  alpha: 'A-Za-z',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  xdigit: '0-9A-Fa-f',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
};
const ERE_SPECIAL = '.[]()*+?{}|^$\\';

/**
 * A POSIX 1003.2 extended regular expression as a JS RegExp matching at the string's start, or why it cannot be
 * read as the same thing (an error message for the administrator). Whether an anchored match exists does not depend
 * on POSIX's leftmost-longest rule, so JS's leftmost-first search decides it the same.
 */
export function compileDirectionPattern(p: string): RegExp | string {
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) return `pattern ${JSON.stringify(p)} ends in a lone backslash`;
      if (!ERE_SPECIAL.includes(n))
        return `pattern ${JSON.stringify(p)}: \\${n} is not POSIX (only special characters may be escaped; write [0-9] for \\d)`;
      out += '\\' + n;
      i += 2;
    } else if (c === '[') {
      const r = bracket(p, i);
      if (typeof r === 'string') return r;
      out += r.js;
      i = r.end;
    } else if (c === '(' && p[i + 1] === '?') {
      return `pattern ${JSON.stringify(p)}: "(?" is not POSIX (a group cannot start with a repetition)`;
    } else if (c === '{') {
      const m = /^\{\d+(,\d*)?\}/.exec(p.slice(i));
      if (!m) return `pattern ${JSON.stringify(p)}: "{" starts no interval {n}, {n,} or {n,m} (escape it as \\{)`;
      out += m[0];
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return new RegExp(`^(?:${out})`);
  } catch (e) {
    return `pattern ${JSON.stringify(p)} is not a valid regular expression: ${(e as Error).message}`;
  }
}

/** A bracket expression from p[i] == '[' translated to JS: POSIX backslashes are literal there, classes spelt out. */
function bracket(p: string, i: number): { js: string; end: number } | string {
  let j = i + 1;
  let js = '[';
  if (p[j] === '^') {
    js += '^';
    j++;
  }
  let first = true;
  for (;;) {
    const c = p[j];
    if (c === undefined) return `pattern ${JSON.stringify(p)}: "[" at ${i} is not closed`;
    if (c === ']' && !first) return { js: js + ']', end: j + 1 };
    first = false;
    if (c === '[' && (p[j + 1] === ':' || p[j + 1] === '.' || p[j + 1] === '=')) {
      const kind = p[j + 1]!;
      const close = p.indexOf(kind + ']', j + 2);
      if (close < 0) return `pattern ${JSON.stringify(p)}: "[${kind}" at ${j} is not closed`;
      const name = p.slice(j + 2, close);
      const cls = kind === ':' ? POSIX_CLASSES[name] : undefined;
      if (cls === undefined) return `pattern ${JSON.stringify(p)}: [${kind}${name}${kind}] is not supported`;
      js += cls;
      j = close + 2;
      continue;
    }
    js += c === '\\' || c === ']' || c === '[' ? '\\' + c : c;
    j++;
  }
}

/**
 * The literal characters every number a called pattern matches must start with: the pattern's head up to the first
 * special character (a character a repetition follows being optional, it is left out). An alternation outside every
 * group and bracket: none.
 */
export function literalHead(p: string): string {
  if (hasTopLevelAlternation(p)) return '';
  let i = p.startsWith('^') ? 1 : 0;
  let head = '';
  while (i < p.length && !ERE_SPECIAL.includes(p[i]!)) head += p[i++];
  const next = p[i];
  if (head.length > 0 && (next === '*' || next === '?' || next === '{')) head = head.slice(0, -1);
  return head;
}

function hasTopLevelAlternation(p: string): boolean {
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') i++;
    else if (c === '[') {
      // Skip the bracket expression: a ']' right after '[' or '[^' is a member, not its end.
      i += p[i + 1] === '^' ? 2 : 1;
      if (p[i] === ']') i++;
      while (i < p.length && p[i] !== ']')
        i += p[i] === '[' && p[i + 1] === ':' ? Math.max(1, p.indexOf(':]', i) + 2 - i) : 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth <= 0) return true;
  }
  return false;
}

/** One literal start of a pattern; with `end`, the number must be exactly it (the pattern ends in `$` there). */
export interface PatternStart {
  readonly text: string;
  readonly end: boolean;
}

/**
 * The literal starts of a pattern (one that compiles): every number the pattern matches starts with one of them.
 * With `exact`, the converse holds too (a number starting with a start, and when the start has `end` equal to it,
 * matches), so the pattern's RegExp need not run. At most `limit` starts (a bracket or interval multiplies them);
 * a pattern with more falls back to its literal head, inexact.
 */
export function patternStarts(p: string, limit: number): { starts: PatternStart[]; exact: boolean } {
  const ast = parse(p);
  const branches = ast && ast.map((seq) => seqStarts(seq, limit));
  const total = branches?.reduce((n, b) => n + b.starts.length, 0) ?? Infinity;
  if (!branches || total > limit) return { starts: [{ text: literalHead(p), end: false }], exact: false };
  const exact = branches.every((b) => b.exact);
  // Inexact, the RegExp decides the end as well; a start without `end` covers the same text with it.
  const byText = new Map<string, boolean>();
  for (const b of branches)
    for (const s of b.starts) byText.set(s.text, exact && s.end && byText.get(s.text) !== false);
  // A start that a shorter one (without `end`) begins covers nothing more: "7{2,3}" starts as 77 alone.
  const covered = (text: string): boolean => {
    for (let n = 0; n < text.length; n++) if (byText.get(text.slice(0, n)) === false) return true;
    return false;
  };
  const starts = [...byText].filter(([text]) => !covered(text));
  return { starts: starts.map(([text, end]) => ({ text, end })), exact };
}

/**
 * A parsed pattern: an alternation of sequences of quantified atoms. An atom is a set of single characters (a
 * literal, an escape, a bracket), a group, or what no finite set of literal starts describes ('.', a negated or
 * non-ASCII bracket) or an anchor.
 */
type Alt = Seq[];
type Seq = Item[];
interface Item {
  readonly atom: Atom;
  readonly min: number;
  readonly max: number;
}
type Atom =
  | { readonly kind: 'chars'; readonly chars: readonly string[] }
  | { readonly kind: 'group'; readonly alt: Alt }
  | { readonly kind: 'bol' | 'eol' | 'other' };

/**
 * The pattern's syntax tree, or undefined for anything this reader does not mean to vouch for (a repetition of a
 * repetition, a stray ']' or '}', ...): those keep their literal head and the RegExp.
 */
function parse(p: string): Alt | undefined {
  let i = 0;
  const alt = (): Alt | undefined => {
    const out: Seq[] = [];
    for (;;) {
      const s = seq();
      if (!s) return undefined;
      out.push(s);
      if (p[i] !== '|') return out;
      i++;
    }
  };
  const seq = (): Seq | undefined => {
    const items: Item[] = [];
    while (i < p.length && p[i] !== '|' && p[i] !== ')') {
      const a = atom();
      if (!a) return undefined;
      const q = quantifier();
      if (!q) return undefined;
      if (a.kind !== 'chars' && a.kind !== 'group' && a.kind !== 'other' && (q.min !== 1 || q.max !== 1))
        return undefined;
      items.push({ atom: a, ...q });
    }
    return items;
  };
  const atom = (): Atom | undefined => {
    const c = p[i]!;
    if (c === '(') {
      i++;
      const inner = alt();
      if (!inner || p[i] !== ')') return undefined;
      i++;
      return { kind: 'group', alt: inner };
    }
    if (c === '[') {
      const b = bracket(p, i);
      if (typeof b === 'string') return undefined;
      i = b.end;
      return bracketChars(b.js);
    }
    i++;
    if (c === '\\') return i < p.length ? { kind: 'chars', chars: [p[i++]!] } : undefined;
    if (c === '^') return { kind: 'bol' };
    if (c === '$') return { kind: 'eol' };
    if (c === '.') return { kind: 'other' };
    if (ERE_SPECIAL.includes(c)) return undefined;
    return { kind: 'chars', chars: [c] };
  };
  const quantifier = (): { min: number; max: number } | undefined => {
    const c = p[i];
    let q: { min: number; max: number } = { min: 1, max: 1 };
    if (c === '*' || c === '+' || c === '?') {
      i++;
      q = { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity };
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    }
    // JS reads a second repetition as "lazy", POSIX as undefined: neither is for this reader to vouch for.
    const n = p[i];
    return n === '*' || n === '+' || n === '?' || n === '{' || q.min > q.max ? undefined : q;
  };
  const out = alt();
  return out && i === p.length ? out : undefined;
}

/**
 * The single characters a translated bracket matches, found by asking the RegExp engine itself about every ASCII
 * character. A negated bracket or one naming a non-ASCII character may match characters beyond: 'other'.
 */
function bracketChars(js: string): Atom {
  if (js.startsWith('[^') || !/^[\x20-\x7e]*$/.test(js)) return { kind: 'other' };
  const re = new RegExp(`^${js}$`);
  const chars: string[] = [];
  for (let c = 0; c < 128; c++) if (re.test(String.fromCharCode(c))) chars.push(String.fromCharCode(c));
  return { kind: 'chars', chars };
}

/** Every string an atom or item matches, when those are finite and at most `limit`; else undefined. */
function atomStrings(a: Atom, limit: number): string[] | undefined {
  if (a.kind === 'chars') return a.chars.length <= limit ? [...a.chars] : undefined;
  if (a.kind !== 'group') return undefined;
  const out = new Set<string>();
  for (const s of a.alt) {
    const ss = seqStrings(s, limit);
    if (!ss) return undefined;
    for (const x of ss) out.add(x);
    if (out.size > limit) return undefined;
  }
  return [...out];
}

function seqStrings(s: Seq, limit: number): string[] | undefined {
  let acc: string[] | undefined = [''];
  for (const it of s) {
    const xs = itemStrings(it, it.max, limit);
    acc = xs && product(acc, xs, limit);
    if (!acc) return undefined;
  }
  return acc;
}

/** Longer than any telephone number: a larger count is read as unbounded (and {100000} costs nothing to read). */
const MAX_REPEAT = 32;

/** The item repeated min to max times. */
function itemStrings(it: Item, max: number, limit: number): string[] | undefined {
  if (max > MAX_REPEAT) return undefined;
  const one = atomStrings(it.atom, limit);
  if (!one) return undefined;
  const out = new Set<string>(it.min === 0 ? [''] : []);
  let pow: string[] | undefined = [''];
  for (let k = 1; k <= max; k++) {
    pow = product(pow, one, limit);
    if (!pow) return undefined;
    if (k >= it.min) for (const x of pow) out.add(x);
    if (out.size > limit) return undefined;
  }
  return [...out];
}

function product(a: readonly string[], b: readonly string[], limit: number): string[] | undefined {
  if (a.length * b.length > limit) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

/**
 * A top-level branch's starts: the strings of its leading finite items. It is exact when what follows cannot change
 * whether a number matches: nothing, a final '$', or only items that may match nothing (a repetition whose least
 * count is taken instead, "7[0-9]+" starting as "7[0-9]", is the last such item). The rest is left to the RegExp.
 */
function seqStarts(s: Seq, limit: number): { starts: PatternStart[]; exact: boolean } {
  let i = 0;
  while (i < s.length && s[i]!.atom.kind === 'bol') i++;
  let acc = [''];
  for (; i < s.length; i++) {
    const it = s[i]!;
    if (it.atom.kind === 'eol' && i === s.length - 1)
      return { starts: acc.map((text) => ({ text, end: true })), exact: true };
    const xs = itemStrings(it, it.max, limit);
    const next = xs && product(acc, xs, limit);
    if (next) {
      acc = next;
      continue;
    }
    // From here on only a start and the question whether the rest can match nothing.
    const least = it.min === 0 ? [''] : itemStrings(it, it.min, limit);
    const withLeast = least && product(acc, least, limit);
    const restEmpty = s.slice(i + 1).every((r) => r.min === 0 && r.atom.kind !== 'bol' && r.atom.kind !== 'eol');
    return { starts: (withLeast ?? acc).map((text) => ({ text, end: false })), exact: !!withLeast && restEmpty };
  }
  return { starts: acc.map((text) => ({ text, end: false })), exact: true };
}
