import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileDirectionPattern, patternStarts, type PatternStart } from './direction-pattern';

const texts = (s: readonly PatternStart[]): string[] => s.map((x) => (x.end ? `${x.text}$` : x.text)).sort();

test('literal starts of the patterns operators write: exact ones need no RegExp', () => {
  const cases: [string, string[], boolean][] = [
    ['^79[0-9]', ['790', '791', '792', '793', '794', '795', '796', '797', '798', '799'], true],
    ['8(800|804)', ['8800', '8804'], true],
    ['^0[1-4]$', ['01$', '02$', '03$', '04$'], true],
    ['7[0-9]+', ['70', '71', '72', '73', '74', '75', '76', '77', '78', '79'], true],
    ['79?1', ['71', '791'], true],
    ['7(0|1)*', ['7'], true],
    ['.*', [''], true],
    ['70|81$', ['70', '81$'], true],
    ['7{2,3}', ['77'], true],
    ['7|71|8$|8', ['7', '8'], true],
    ['70$|7', ['7'], true],
    ['[[:digit:]]{0}5', ['5'], true],
    ['\\+7', ['+7'], true],
    ['7|', [''], true],
    // The rest is left to the RegExp; the starts still hold for every match.
    ['7.5', ['7'], false],
    ['^7[^1]', ['7'], false],
    ['7[0-9]*5', ['7'], false],
    ['7(1$|2)', ['7'], false],
    ['7$$', ['7'], false],
    ['^79[0-9]{7}$', ['79'], false],
    ['(7|8).+$', ['7', '8'], false],
    ['^7[0-9]+$', ['70', '71', '72', '73', '74', '75', '76', '77', '78', '79'], false],
    // Not for this reader: its literal head.
    ['7*?1', [''], false],
    ['7]', ['7'], false],
  ];
  for (const [p, want, exact] of cases) {
    const s = patternStarts(p, 1000);
    assert.deepEqual({ p, starts: texts(s.starts), exact: s.exact }, { p, starts: want.sort(), exact });
  }
});

test('past the limit a pattern keeps its leading starts, or its literal head', () => {
  assert.deepEqual(patternStarts('^7[0-9]{3}', 1000).starts.length, 1000);
  assert.deepEqual(patternStarts('^7[0-9]{3}', 100), { starts: [{ text: '7', end: false }], exact: false });
  assert.deepEqual(patternStarts('7[0-9][0-9]', 9), { starts: [{ text: '7', end: false }], exact: false });
  assert.deepEqual(patternStarts('70|71|72', 2), { starts: [{ text: '', end: false }], exact: false });
  assert.deepEqual(patternStarts('7{1000}', 1000), { starts: [{ text: '', end: false }], exact: false });
});

let seed = 4242;
const rnd = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
/** Numbers over a small alphabet (so patterns hit often) with the characters patterns treat specially. */
const ALPHABET = ['0', '1', '2', '.', '#', 'a'];
const number = (): string => Array.from({ length: rnd(7) }, () => pick(ALPHABET)).join('');

const ATOMS = ['0', '1', '2', '#', '\\.', '.', '[01]', '[^1]', '[[:digit:]]', '[.a]', '[]1]', '[1-2#]'];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{0,2}', '{1,}', '{0}'];

/** A random ERE over the same small alphabet: groups, alternations, anchors anywhere. */
function randomPattern(depth: number): string {
  const seq = (): string => {
    let s = rnd(4) === 0 ? '^' : '';
    for (let n = rnd(4); n > 0; n--) {
      const atom = depth > 0 && rnd(4) === 0 ? `(${randomPattern(depth - 1)})` : pick(ATOMS);
      s += atom + pick(QUANTIFIERS);
      if (rnd(12) === 0) s += pick(['^', '$']);
    }
    return s + (rnd(4) === 0 ? '$' : '');
  };
  let p = seq();
  while (rnd(4) === 0) p += '|' + seq();
  return p;
}

test('property: every match starts with a start; when exact, every number starting with one matches', () => {
  let exact = 0;
  let checked = 0;
  for (let round = 0; round < 3000; round++) {
    const p = randomPattern(2);
    const re = compileDirectionPattern(p);
    if (typeof re === 'string') continue;
    const limit = pick([1, 4, 30, 1000]);
    const s = patternStarts(p, limit);
    assert.ok(s.starts.length <= Math.max(limit, 1), `${p}: ${s.starts.length} starts past ${limit}`);
    if (s.exact) exact++;
    for (let q = 0; q < 60; q++) {
      const n = q < 20 && s.starts.length > 0 ? pick(s.starts).text + number().slice(0, rnd(3)) : number();
      const byStarts = s.starts.some((x) => n.startsWith(x.text) && (!x.end || n === x.text));
      const matched: boolean = re.test(n);
      if (matched) assert.ok(byStarts, `${p} matches ${JSON.stringify(n)} outside its starts ${texts(s.starts)}`);
      if (s.exact) assert.equal(byStarts, matched, `${p} exact, ${JSON.stringify(n)}: starts ${texts(s.starts)}`);
      checked++;
    }
  }
  // The generator must exercise both kinds.
  assert.ok(exact > 300 && checked > 100_000, `exact=${exact} checked=${checked}`);
});
