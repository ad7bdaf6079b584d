import type { CallKey, TelDirection } from './model';

/**
 * The directions in the manual's order (lexicographic, descending, by called prefix, then calling prefix, incoming
 * trunk, outgoing trunk, then id ascending) and the first-match lookup over them.
 *
 * Lookup: every direction has its rank in that order and sits in a trie under the literal start its called number
 * must have (the called prefix, or the literal head of a called regexp). The candidates of a call are the directions
 * at the trie nodes along its called number; the match is the candidate of least rank that matches in full. A node's
 * list is in rank order, so its scan stops at the first full match or at a rank no better than the best so far.
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

const desc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** The manual's order of directions. */
export function compareDirections(a: TelDirection, b: TelDirection): number {
  return (
    desc(a.calledPrefix, b.calledPrefix) ||
    desc(a.callingPrefix, b.callingPrefix) ||
    desc(a.incomingTrunk, b.incomingTrunk) ||
    desc(a.outgoingTrunk, b.outgoingTrunk) ||
    a.id - b.id
  );
}

interface Entry {
  readonly rank: number;
  readonly dir: TelDirection;
  /** Set for a called regexp (the trie only guarantees its literal head). */
  readonly called?: RegExp;
  readonly calling?: RegExp;
}

/**
 * A trie node. Numbers are digits: those children sit in a 10-slot array indexed by char code (a Map lookup per
 * character was most of a lookup's cost); anything else ('#', '+', letters of a regexp head) in a Map.
 */
interface Node {
  readonly digits: (Node | undefined)[];
  readonly other: Map<number, Node>;
  readonly entries: Entry[];
}

const newNode = (): Node => ({
  digits: new Array<Node | undefined>(10).fill(undefined),
  other: new Map(),
  entries: [],
});

function child(node: Node, code: number): Node | undefined {
  const d = code - 48;
  return d >= 0 && d <= 9 ? node.digits[d] : node.other.get(code);
}

function addChild(node: Node, code: number): Node {
  const found = child(node, code);
  if (found) return found;
  const next = newNode();
  const d = code - 48;
  if (d >= 0 && d <= 9) node.digits[d] = next;
  else node.other.set(code, next);
  return next;
}

export interface InvalidDirection {
  readonly direction: TelDirection;
  readonly reason: string;
}

export class DirectionIndex {
  /** In the manual's order. */
  readonly sorted: readonly TelDirection[];
  /** Directions with a pattern that does not compile: they never match. */
  readonly invalid: readonly InvalidDirection[];
  private readonly root: Node = newNode();
  /** The nodes along the number being looked up (reused: match allocates nothing). */
  private readonly path: Node[] = [];

  constructor(readonly directions: readonly TelDirection[]) {
    this.sorted = [...directions].sort(compareDirections);
    const invalid: InvalidDirection[] = [];
    this.sorted.forEach((dir, rank) => {
      let called: RegExp | undefined;
      let calling: RegExp | undefined;
      if (dir.calledRegexp) {
        const r = compileDirectionPattern(dir.calledPrefix);
        if (typeof r === 'string') return invalid.push({ direction: dir, reason: `called prefix: ${r}` });
        called = r;
      }
      if (dir.callingRegexp) {
        const r = compileDirectionPattern(dir.callingPrefix);
        if (typeof r === 'string') return invalid.push({ direction: dir, reason: `calling prefix: ${r}` });
        calling = r;
      }
      const key = dir.calledRegexp ? literalHead(dir.calledPrefix) : dir.calledPrefix;
      let node = this.root;
      for (let i = 0; i < key.length; i++) node = addChild(node, key.charCodeAt(i));
      // Ranks are visited ascending, so every node's list stays in rank order.
      node.entries.push({ rank, dir, ...(called && { called }), ...(calling && { calling }) });
    });
    this.invalid = invalid;
  }

  get size(): number {
    return this.directions.length;
  }

  /** The first direction in the manual's order that the call matches (a skip direction included), or undefined. */
  match(k: CallKey): TelDirection | undefined {
    // Deepest node first: a longer called prefix sorts before its own prefixes, so once a deep match is found the
    // shallower nodes' prefix entries are cut at their first entry; only regexps that sort earlier are still tried.
    const path = this.path;
    let depth = 0;
    const called = k.called;
    for (let node: Node | undefined = this.root; node; node = child(node, called.charCodeAt(depth - 1))) {
      path[depth++] = node;
      if (depth > called.length) break;
    }
    let best: Entry | undefined;
    while (depth > 0) {
      for (const e of path[--depth]!.entries) {
        if (best && e.rank >= best.rank) break;
        if (matches(e, k)) {
          best = e;
          break;
        }
      }
    }
    return best?.dir;
  }
}

function matches(e: Entry, k: CallKey): boolean {
  const d = e.dir;
  if (d.incomingTrunk !== '' && d.incomingTrunk !== k.incomingTrunk) return false;
  if (d.outgoingTrunk !== '' && d.outgoingTrunk !== k.outgoingTrunk) return false;
  if (d.pbxId !== '' && d.pbxId !== k.pbxId) return false;
  if (e.calling ? !e.calling.test(k.calling) : !k.calling.startsWith(d.callingPrefix)) return false;
  // A prefix direction's called prefix is its trie path, already matched.
  return e.called ? e.called.test(k.called) : true;
}
