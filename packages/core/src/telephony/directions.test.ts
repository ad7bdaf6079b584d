import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareDirections, compileDirectionPattern, DirectionIndex, literalHead } from './directions';
import type { CallKey, TelDirection } from './model';

let nextId = 1;
const dir = (p: Partial<TelDirection>): TelDirection => ({
  id: nextId++,
  zoneId: 0,
  name: '',
  calledPrefix: '',
  callingPrefix: '',
  calledRegexp: false,
  callingRegexp: false,
  incomingTrunk: '',
  outgoingTrunk: '',
  pbxId: '',
  skip: false,
  ...p,
});
const key = (called: string, p: Partial<CallKey> = {}): CallKey => ({
  called,
  calling: '',
  incomingTrunk: '',
  outgoingTrunk: '',
  pbxId: '',
  ...p,
});

/** The manual's rule read literally: sort, then the first that matches. */
function naive(dirs: readonly TelDirection[], k: CallKey): TelDirection | undefined {
  const part = (pattern: string, regexp: boolean, value: string) => {
    if (!regexp) return value.startsWith(pattern);
    const r = compileDirectionPattern(pattern);
    return typeof r !== 'string' && r.test(value);
  };
  return [...dirs]
    .sort(compareDirections)
    .find(
      (d) =>
        part(d.calledPrefix, d.calledRegexp, k.called) &&
        part(d.callingPrefix, d.callingRegexp, k.calling) &&
        (d.incomingTrunk === '' || d.incomingTrunk === k.incomingTrunk) &&
        (d.outgoingTrunk === '' || d.outgoingTrunk === k.outgoingTrunk) &&
        (d.pbxId === '' || d.pbxId === k.pbxId),
    );
}

test("the manual's test case zones: each number finds its zone's direction, the longest prefix first", () => {
  const zones: [number, string[]][] = [
    [1, ['7095']],
    [2, ['7812']],
    [3, ['7910', '7915', '7916', '7917']],
    [4, ['7351']],
    [5, ['7345']],
    [6, ['81039']],
    [7, ['81033']],
    [8, ['810249']],
  ];
  const dirs = zones.flatMap(([zoneId, ps]) => ps.map((calledPrefix) => dir({ zoneId, calledPrefix })));
  const other = dir({ zoneId: 9, calledPrefix: '7' });
  const idx = new DirectionIndex([...dirs, other]);
  assert.equal(idx.match(key('78125551234'))?.zoneId, 2);
  assert.equal(idx.match(key('79165551234'))?.zoneId, 3);
  assert.equal(idx.match(key('810249123'))?.zoneId, 8);
  assert.equal(idx.match(key('81039123'))?.zoneId, 6);
  assert.equal(idx.match(key('74951234567')), other);
  assert.equal(idx.match(key('5409653')), undefined);
  assert.deepEqual(
    idx.sorted.slice(0, 3).map((d) => d.calledPrefix),
    ['81039', '81033', '810249'],
  );
});

test('with equal called prefixes, calling prefixes are taken in descending order, then trunks, then PBX', () => {
  const anyCaller = dir({ calledPrefix: '7095', name: 'any' });
  const from540 = dir({ calledPrefix: '7095', callingPrefix: '540', name: '540' });
  const from5409 = dir({ calledPrefix: '7095', callingPrefix: '5409', name: '5409' });
  const trunk = dir({ calledPrefix: '7095', callingPrefix: '5409', incomingTrunk: 'T1', name: 'T1' });
  const out = dir({ calledPrefix: '7095', callingPrefix: '5409', incomingTrunk: 'T1', outgoingTrunk: 'O', name: 'O' });
  const pbx = dir({ calledPrefix: '70', pbxId: 'pbx2', name: 'pbx' });
  const idx = new DirectionIndex([anyCaller, from540, from5409, trunk, out, pbx]);
  assert.deepEqual(
    idx.sorted.map((d) => d.name),
    ['O', 'T1', '5409', '540', 'any', 'pbx'],
  );
  assert.equal(idx.match(key('7095123', { calling: '5409652' })), from5409);
  assert.equal(idx.match(key('7095123', { calling: '5401111' })), from540);
  assert.equal(idx.match(key('7095123', { calling: '1111' })), anyCaller);
  assert.equal(idx.match(key('7095123', { calling: '5409652', incomingTrunk: 'T1' })), trunk);
  assert.equal(idx.match(key('7095123', { calling: '5409652', incomingTrunk: 'T1', outgoingTrunk: 'O' })), out);
  assert.equal(idx.match(key('7011', { pbxId: 'pbx1' })), undefined);
  assert.equal(idx.match(key('7011', { pbxId: 'pbx2' })), pbx);
});

test('a skip direction is returned like any other: the caller decides', () => {
  const skip = dir({ calledPrefix: '8800', skip: true });
  const eight = dir({ calledPrefix: '8' });
  const idx = new DirectionIndex([eight, skip]);
  assert.equal(idx.match(key('88001234'))?.skip, true);
  assert.equal(idx.match(key('8812')), eight);
});

test('regexp directions take their place in the order by their pattern text', () => {
  // "^79[0-9]" sorts before every digit prefix ('^' > '9'), "7[0-9]+$" before "7095" ('[' > '0'), ".*" last.
  const mobile = dir({ calledPrefix: '^79[0-9]', calledRegexp: true, name: 'mobile' });
  const moscow = dir({ calledPrefix: '7095', name: 'moscow' });
  const sevenRe = dir({ calledPrefix: '7[0-9]+$', calledRegexp: true, name: 'seven-re' });
  const seven = dir({ calledPrefix: '7', name: 'seven' });
  const callerRe = dir({ calledPrefix: '7', callingPrefix: '5409(652|653)', callingRegexp: true, name: 'ours' });
  const catchAll = dir({ calledPrefix: '.*', calledRegexp: true, name: 'all' });
  const idx = new DirectionIndex([seven, moscow, mobile, sevenRe, callerRe, catchAll]);
  assert.deepEqual(
    idx.sorted.map((d) => d.name),
    ['mobile', 'seven-re', 'moscow', 'ours', 'seven', 'all'],
  );
  assert.equal(idx.match(key('79161234567')), mobile);
  assert.equal(idx.match(key('70951234567')), sevenRe);
  assert.equal(idx.match(key('7095123456#')), moscow);
  assert.equal(idx.match(key('74951234567')), sevenRe);
  assert.equal(idx.match(key('7x', { calling: '5409652' })), callerRe);
  assert.equal(idx.match(key('7x', { calling: '5409654' })), seven);
  assert.equal(idx.match(key('1234')), catchAll);
  // Anchored at the number's start even when the pattern does not say so.
  assert.equal(idx.match(key('17951234')), catchAll);
});

test('POSIX patterns: classes translated, JS-only syntax refused, an invalid direction never matches', () => {
  const c = compileDirectionPattern('[[:digit:]]{3}\\.');
  assert.ok(c instanceof RegExp);
  assert.ok(c.test('123.'));
  assert.ok(!c.test('12a.'));
  // In a POSIX bracket the backslash is a literal.
  const b = compileDirectionPattern('[\\d]');
  assert.ok(b instanceof RegExp && b.test('\\') && b.test('d') && !b.test('5'));
  assert.equal(typeof compileDirectionPattern('\\d+'), 'string');
  assert.equal(typeof compileDirectionPattern('(?:79)'), 'string');
  assert.equal(typeof compileDirectionPattern('79('), 'string');
  assert.equal(typeof compileDirectionPattern('[0-9'), 'string');
  assert.equal(typeof compileDirectionPattern('7{x'), 'string');
  const bad = dir({ calledPrefix: '79(', calledRegexp: true });
  const ok = dir({ calledPrefix: '7' });
  const idx = new DirectionIndex([bad, ok]);
  assert.equal(idx.invalid.length, 1);
  assert.equal(idx.invalid[0]!.direction, bad);
  assert.match(idx.invalid[0]!.reason, /called prefix/);
  assert.equal(idx.match(key('79(')), ok);
});

test('literal heads of called patterns', () => {
  assert.equal(literalHead('^7095[0-9]'), '7095');
  assert.equal(literalHead('7095'), '7095');
  assert.equal(literalHead('^79?1'), '7');
  assert.equal(literalHead('79+'), '79');
  assert.equal(literalHead('^7(095|812)'), '7');
  assert.equal(literalHead('70|81'), '');
  assert.equal(literalHead('7[|]1|8'), '');
  assert.equal(literalHead('7[[:digit:]|]1'), '7');
  assert.equal(literalHead('.*'), '');
});

test('a pattern and a prefix of the same text: the calling prefix, trunks and id decide, as for two prefixes', () => {
  const re = dir({ calledPrefix: '12', calledRegexp: true, name: 're' });
  const prefix = dir({ calledPrefix: '12', name: 'prefix' });
  const reFrom5 = dir({ calledPrefix: '12', calledRegexp: true, callingPrefix: '5', name: 're5' });
  const exact = dir({ calledPrefix: '^12$', calledRegexp: true, name: 'exact' });
  const idx = new DirectionIndex([prefix, reFrom5, re, exact]);
  assert.deepEqual(
    idx.sorted.map((d) => d.name),
    ['exact', 're5', 're', 'prefix'],
  );
  assert.equal(idx.match(key('12')), exact);
  assert.equal(idx.match(key('123')), re);
  assert.equal(idx.match(key('123', { calling: '55' })), reFrom5);
  assert.equal(new DirectionIndex([prefix, re]).match(key('129')), re);
  assert.equal(new DirectionIndex([re, prefix]).match(key('129')), re);
});

test('a pattern past the limits falls back to its literal head and its RegExp, with the same answers', () => {
  const wide = dir({ calledPrefix: '^7[0-9]{3}5', calledRegexp: true, name: 'wide' });
  const prefix = dir({ calledPrefix: '7123', name: 'prefix' });
  for (const limits of [
    undefined,
    { startsPerPattern: 10, startsBudget: 1000 },
    { startsPerPattern: 1000, startsBudget: 0 },
  ]) {
    const idx = new DirectionIndex([prefix, wide], limits);
    assert.equal(idx.match(key('712359')), wide);
    assert.equal(idx.match(key('712349')), prefix);
    assert.equal(idx.match(key('71235')), wide);
    assert.equal(idx.match(key('7123')), prefix);
  }
});

let seed = 12345;
const rnd = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => String(rnd(4))).join('');
/** Numbers now and then with a character outside the digit slots of the trie. */
const number = (n: number) =>
  Array.from({ length: n }, () => (rnd(12) === 0 ? pick(['#', '.', '*']) : String(rnd(4)))).join('');

test('property: match equals the naive scan over the sorted list on random directions and numbers', () => {
  // Patterns of every kind: filed exactly (with and without $), filed at a literal start with their RegExp run,
  // plain texts that sort beside the prefixes, invalid ones.
  const patterns = [
    ...['^1[0-2]', '2+3', '1?0', '[13]2', '^(12|30)', '0.1', '.*', '3$', '2{2}', '(', '^[^1]', '1', '12', '3'],
    ...['^1[0-3]{2}', '(1|2)(0|3)$', '^2[0-9]*$', '10|2$|31', '\\*1', '[[:digit:]]#', '1(2|)', '0{0,2}1', '^$', '2.*'],
  ];
  const limitsOf = [
    undefined,
    { startsPerPattern: 3, startsBudget: 1000 },
    { startsPerPattern: 1000, startsBudget: 5 },
  ];
  for (let round = 0; round < 150; round++) {
    const dirs = Array.from({ length: 1 + rnd(40) }, () => {
      const calledRegexp = rnd(4) === 0;
      const callingRegexp = rnd(10) === 0;
      return dir({
        calledRegexp,
        callingRegexp,
        calledPrefix: calledRegexp ? pick(patterns) : digits(rnd(4)),
        callingPrefix: callingRegexp ? pick(patterns) : rnd(3) === 0 ? digits(1 + rnd(2)) : '',
        incomingTrunk: rnd(5) === 0 ? pick(['a', 'b']) : '',
        outgoingTrunk: rnd(6) === 0 ? pick(['x', 'y']) : '',
        pbxId: rnd(8) === 0 ? pick(['p', 'q']) : '',
        skip: rnd(10) === 0,
      });
    });
    // Now and then a second direction of the same texts (the id decides between them).
    if (rnd(3) === 0) dirs.push({ ...pick(dirs), id: nextId++ });
    const idx = new DirectionIndex(dirs, pick(limitsOf));
    for (let q = 0; q < 200; q++) {
      const k = key(number(rnd(7)), {
        calling: number(rnd(5)),
        incomingTrunk: pick(['', 'a', 'b']),
        outgoingTrunk: pick(['', 'x', 'y']),
        pbxId: pick(['', 'p', 'q']),
      });
      assert.equal(idx.match(k), naive(dirs, k), `round ${round}: ${JSON.stringify(k)}`);
    }
  }
});
