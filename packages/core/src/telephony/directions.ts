import { compileDirectionPattern, patternStarts, type PatternStart } from './direction-pattern';
import type { CallKey, TelDirection } from './model';

export { compileDirectionPattern, literalHead } from './direction-pattern';

/**
 * The directions in the manual's order (lexicographic, descending, by called prefix, then calling prefix, incoming
 * trunk, outgoing trunk, then id ascending) and the first-match lookup over them.
 */

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

/**
 * A called pattern files at most startsPerPattern literal starts in the trie ("^7[0-9]{3}" files 1,000), all of them
 * together at most startsBudget; past either, a pattern files its literal head and runs its RegExp. (Tests lower them
 * to reach that fallback.)
 */
export interface DirectionIndexLimits {
  readonly startsPerPattern: number;
  readonly startsBudget: number;
}
const LIMITS: DirectionIndexLimits = { startsPerPattern: 1000, startsBudget: 300_000 };

/** An entry's flags: the number must end at the entry's node; the direction's conditions must be checked. */
const END = 1;
const CHECK = 2;

/** What is left to check of a direction beyond its place in the trie. */
interface Check {
  readonly dir: TelDirection;
  /** The called RegExp, when its literal starts do not decide the match alone. */
  readonly called: RegExp | undefined;
  readonly calling: RegExp | undefined;
}

const NO_MATCH = 0x7fffffff;

/** A growable trie over char codes: digit children in one Int32Array (10 slots a node), others in one Map. */
class TrieBuilder {
  kids = new Int32Array(10 * 4096);
  readonly other = new Map<number, number>();
  nodes = 1;
  maxDepth = 0;

  /** The node for `text` (created as needed). Node 0 is the root; child 0 means none. */
  node(text: string): number {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const d = c - 48;
      const slot = d >= 0 && d <= 9 ? n * 10 + d : -1;
      let next = slot >= 0 ? this.kids[slot]! : (this.other.get(n * 65536 + c) ?? 0);
      if (next === 0) {
        next = this.nodes++;
        if (next * 10 >= this.kids.length) {
          const grown = new Int32Array(this.kids.length * 2);
          grown.set(this.kids);
          this.kids = grown;
        }
        if (slot >= 0) this.kids[slot] = next;
        else this.other.set(n * 65536 + c, next);
      }
      n = next;
    }
    if (text.length > this.maxDepth) this.maxDepth = text.length;
    return n;
  }
}

export interface InvalidDirection {
  readonly direction: TelDirection;
  readonly reason: string;
}

/**
 * Lookup: every direction has its rank in the manual's order and sits in a trie at each literal start its called
 * number must have: the called prefix, or the starts of a called pattern ("^79[0-9]" at 790 ... 799, "8(800|804)"
 * at 8800 and 8804; see patternStarts). A pattern whose starts decide its match alone runs no RegExp; a direction
 * with no calling prefix, trunk or PBX checks nothing more. The match is the matching entry of least rank on the
 * called number's path. Each node's entries are in rank order, and the path is scanned deepest node first: a
 * longer prefix sorts before its own prefixes, so once the deepest entry matches, a shallower node costs one
 * comparison (its first rank is no better) unless it holds a pattern that sorts first ("^...", "7[...").
 */
export class DirectionIndex {
  /** In the manual's order. */
  readonly sorted: readonly TelDirection[];
  /** Directions with a pattern that does not compile: they never match. */
  readonly invalid: readonly InvalidDirection[];
  private readonly kids: Int32Array;
  private readonly other: ReadonlyMap<number, number>;
  /** Node n's entries are ranks[first[n] .. first[n + 1]), ascending, each with its flags. */
  private readonly first: Int32Array;
  private readonly ranks: Int32Array;
  private readonly flags: Uint8Array;
  /** By rank, for entries flagged CHECK. */
  private readonly checks: (Check | undefined)[];
  /** The nodes along the number being looked up (reused: match allocates nothing). */
  private readonly path: Int32Array;

  constructor(
    readonly directions: readonly TelDirection[],
    limits: DirectionIndexLimits = LIMITS,
  ) {
    this.sorted = [...directions].sort(compareDirections);
    const invalid: InvalidDirection[] = [];
    const trie = new TrieBuilder();
    const entNode: number[] = [];
    const entRank: number[] = [];
    const entFlags: number[] = [];
    this.checks = [];
    let budget = limits.startsBudget;
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
      let starts: readonly PatternStart[] = [{ text: dir.calledPrefix, end: false }];
      if (called) {
        const s = patternStarts(dir.calledPrefix, Math.min(limits.startsPerPattern, budget));
        budget -= s.starts.length;
        starts = s.starts;
        if (s.exact) called = undefined;
      }
      const check =
        called !== undefined ||
        calling !== undefined ||
        dir.callingPrefix !== '' ||
        dir.incomingTrunk !== '' ||
        dir.outgoingTrunk !== '' ||
        dir.pbxId !== '';
      if (check) this.checks[rank] = { dir, called, calling };
      for (const s of starts) {
        entNode.push(trie.node(s.text));
        entRank.push(rank);
        entFlags.push((s.end ? END : 0) | (check ? CHECK : 0));
      }
    });
    this.invalid = invalid;
    this.kids = trie.kids.slice(0, trie.nodes * 10);
    this.other = trie.other;
    this.path = new Int32Array(trie.maxDepth + 1);
    // Entries grouped by node; a stable counting sort keeps the ascending ranks they were made in.
    const first = new Int32Array(trie.nodes + 1);
    for (const n of entNode) first[n + 1]!++;
    for (let n = 0; n < trie.nodes; n++) first[n + 1]! += first[n]!;
    const fill = first.slice(0, trie.nodes);
    this.ranks = new Int32Array(entNode.length);
    this.flags = new Uint8Array(entNode.length);
    entNode.forEach((n, i) => {
      const at = fill[n]!++;
      this.ranks[at] = entRank[i]!;
      this.flags[at] = entFlags[i]!;
    });
    this.first = first;
  }

  get size(): number {
    return this.directions.length;
  }

  /** The first direction in the manual's order that the call matches (a skip direction included), or undefined. */
  match(k: CallKey): TelDirection | undefined {
    const called = k.called;
    const { kids, path, first, ranks, flags } = this;
    let node = 0;
    let depth = 0;
    while (depth < called.length) {
      const c = called.charCodeAt(depth);
      const d = c - 48;
      const next = d >= 0 && d <= 9 ? kids[node * 10 + d]! : (this.other.get(node * 65536 + c) ?? 0);
      if (next === 0) break;
      node = next;
      path[++depth] = node;
    }
    let best = NO_MATCH;
    for (; depth >= 0; depth--) {
      const n = path[depth]!;
      for (let i = first[n]!, e = first[n + 1]!; i < e; i++) {
        const r = ranks[i]!;
        if (r >= best) break;
        const f = flags[i]!;
        if (f === 0 || this.matches(f, r, depth === called.length, k)) {
          best = r;
          break;
        }
      }
    }
    return best === NO_MATCH ? undefined : this.sorted[best];
  }

  private matches(f: number, rank: number, atEnd: boolean, k: CallKey): boolean {
    if (f & END && !atEnd) return false;
    if (!(f & CHECK)) return true;
    const { dir: d, called, calling } = this.checks[rank]!;
    if (d.incomingTrunk !== '' && d.incomingTrunk !== k.incomingTrunk) return false;
    if (d.outgoingTrunk !== '' && d.outgoingTrunk !== k.outgoingTrunk) return false;
    if (d.pbxId !== '' && d.pbxId !== k.pbxId) return false;
    if (calling ? !calling.test(k.calling) : !k.calling.startsWith(d.callingPrefix)) return false;
    return called ? called.test(k.called) : true;
  }
}
