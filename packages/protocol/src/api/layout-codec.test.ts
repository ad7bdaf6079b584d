import { test } from 'node:test';
import assert from 'node:assert/strict';
import { L, type LayoutNode } from './layout';
import { LayoutErrorTag, NeedMoreData, ValueQueue, decodeLayout, encodeLayout } from './layout-codec';
import { VarStore, VariableError, MAX_TIME, evaluate } from './variables';
import { resultToVars } from './call-args';
import { hex } from '../testing/bytes';

const now = () => 1_000_000;

test('expressions: variables, now(), max_time(), size(), constants', () => {
  const v = new VarStore();
  v.setList('list', ['a', 'b', 'c']);
  v.set('x', [0], '7');
  assert.equal(evaluate('x', v, now), '7');
  assert.equal(evaluate('now()', v, now), '1000000');
  assert.equal(evaluate('max_time()', v, now), String(MAX_TIME));
  assert.equal(evaluate('size(list)', v, now), '3');
  assert.equal(evaluate('size(nothing)', v, now), '0');
  assert.equal(evaluate('42', v, now), '42');
});

test('variables: append-only writes, out-of-range aborts, remove and shift', () => {
  const v = new VarStore();
  v.set('a', [0], 'x');
  v.set('a', [1], 'y');
  assert.throws(
    () => v.set('a', [3], 'z'),
    (e: unknown) =>
      e instanceof VariableError &&
      /a\[3\] is out of range: the next element that can be written is index 2/.test(e.message),
  );
  assert.throws(() => v.require('a', [5]), /a\[5\] is out of range \(size 2\)/);
  assert.throws(() => v.require('nope'), /variable 'nope' is not set/);
  v.set('m', [0, 0], '00');
  v.set('m', [0, 1], '01');
  v.set('m', [1, 0], '10');
  assert.equal(v.size('m'), 2);
  assert.equal(v.size('m', [0]), 2);
  v.remove('a', 0);
  assert.deepEqual(v.list('a'), ['y']);
  v.setList('s', ['1', '2', '3']);
  v.shift('s');
  assert.deepEqual(v.list('s'), ['2', '3']);
  assert.deepEqual(
    v.dump().filter((l) => l.startsWith('m')),
    ['m[0][0]=00', 'm[0][1]=01', 'm[1][0]=10'],
  );
});

// A function's input with nested loops, defaults and two-index arrays, as api.xml writes them.
const INPUT: LayoutNode[] = [
  L.int('user_id'),
  L.long('date', { default: 'now()' }),
  L.int('count', { default: 'size(group)' }),
  L.for('i', '0', 'count', [
    L.int('group', { index: 'i' }),
    L.int('n', { default: 'size(ip)' }),
    L.for('j', '0', '2', [L.ip('ip', { index: 'i,j' })]),
  ]),
  L.double('sum'),
  L.str('comment', { default: '' }),
];

test('inputs encode from variables in schema order, with defaults', () => {
  const v = new VarStore();
  v.set('user_id', [0], '5');
  v.setList('group', ['10', '11']);
  v.setTree('ip', [
    ['10.0.0.1', '10.0.0.2'],
    ['10.0.1.1', '10.0.1.2'],
  ]);
  v.set('sum', [0], '12.5');
  const { values } = encodeLayout(INPUT, { vars: v, now });
  assert.deepEqual(values, [
    hex('00000005'),
    hex('00000000000f4240'),
    hex('00000002'),
    hex('0000000a'),
    hex('00000002'),
    hex('040a000001'),
    hex('040a000002'),
    hex('0000000b'),
    hex('00000002'),
    hex('040a000101'),
    hex('040a000102'),
    hex('4029000000000000'),
    Buffer.alloc(0),
  ]);
});

test('a missing input without default names itself', () => {
  assert.throws(
    () => encodeLayout(INPUT, { vars: new VarStore(), now }),
    /parameter 'user_id' is not set and has no default/,
  );
});

test('decoding fills variables, asks for more data when short, and reports each value', () => {
  const values = [
    hex('00000005'),
    hex('0000000000000001'),
    hex('00000001'),
    hex('00000007'),
    hex('00000002'),
    hex('c0a80001'),
    hex('040a000002'),
    hex('bff0000000000000'),
    Buffer.from('hi'),
  ];
  assert.throws(
    () => decodeLayout(INPUT, new ValueQueue(values.slice(0, 5)), { vars: new VarStore(), now }),
    NeedMoreData,
  );
  const v = new VarStore();
  const seen: string[] = [];
  decodeLayout(INPUT, new ValueQueue(values), {
    vars: v,
    now,
    onValue: (n, p, val) => seen.push(`${n.name}[${p}]=${val}`),
  });
  assert.equal(v.get('ip', [0, 0]), '192.168.0.1');
  assert.equal(v.get('ip', [0, 1]), '10.0.0.2');
  assert.equal(v.get('sum'), '-1');
  assert.equal(seen[5], 'ip[0,0]=192.168.0.1');
});

test('outputs: if/error map sentinels to errors; break ends the loop; the count pattern reads per-row arrays', () => {
  const OUT: LayoutNode[] = [
    L.int('user_id'),
    L.if('user_id', 'eq', '0', [L.error('10', 'user not found')]),
    L.int('rows'),
    L.for('i', '0', 'rows', [
      L.int('n'),
      L.set({ dst: 'n_array', dstIndex: 'i', src: 'n' }),
      L.for('j', '0', 'n', [
        L.str('v', { index: 'i,j' }),
        L.set({ dst: 'last', src: 'v', srcIndex: 'i,j' }),
        L.if('last', 'eq', 'end', [L.break()]),
      ]),
    ]),
  ];
  const vars = resultToVars({
    user_id: 3,
    rows: 2,
    n_array: [2, 3],
    v: [
      ['a', 'b'],
      ['c', 'end', 'never'],
    ],
  });
  const { values, error } = encodeLayout(OUT, { vars, now });
  assert.equal(error, undefined);
  assert.deepEqual(
    values.map((b) => (b.length === 4 ? String(b.readInt32BE(0)) : b.toString())),
    ['3', '2', '2', 'a', 'b', '3', 'c', 'end'],
  );
  const back = new VarStore();
  decodeLayout(OUT, new ValueQueue(values), { vars: back, now });
  assert.deepEqual(back.list('n_array'), ['2', '3']);
  assert.equal(back.get('v', [1, 1]), 'end');
  assert.equal(back.size('v', [1]), 2);

  const gone = encodeLayout(OUT, { vars: resultToVars({ user_id: 0 }), now });
  assert.equal(gone.values.length, 1);
  assert.equal(gone.error?.code, 10);
  assert.throws(
    () => decodeLayout(OUT, new ValueQueue(gone.values), { vars: new VarStore(), now }),
    (e: unknown) => e instanceof LayoutErrorTag && e.code === 10 && e.message === 'user not found',
  );
});

test('a loop of rows (scalars indexed by its counter) reads and writes as the generic loop does', () => {
  const rows = [L.int('count'), L.for('i', '0', 'count', [L.str('a', { index: 'i' }), L.int('b', { index: 'i' })])];
  // The same loop with a constant in its body: not a flat loop, read value by value.
  const generic = [
    L.int('count'),
    L.for('i', '0', 'count', [L.str('a', { index: 'i' }), L.int('b', { index: 'i' }), L.set({ dst: 'k', value: '1' })]),
  ];
  const v = new VarStore();
  v.set('count', [0], '3');
  v.setList('a', ['x', '', 'zz']);
  v.setList('b', ['1', '-2', '3']);
  const flat = encodeLayout(rows, { vars: v, now }).values;
  assert.deepEqual(flat, encodeLayout(generic, { vars: v, now }).values);
  const got = new VarStore();
  decodeLayout(rows, new ValueQueue(flat), { vars: got, now });
  const ref = new VarStore();
  decodeLayout(generic, new ValueQueue(flat), { vars: ref, now });
  for (const n of ['count', 'a', 'b']) assert.deepEqual(got.list(n), ref.list(n), n);
  assert.equal(got.get('i'), '2', 'the counter ends at its last value');
  assert.equal(got.get('i'), ref.get('i'));

  // Short of data: how many values it needs in all, so a server gathering packets need not decode again before.
  const short = new ValueQueue(flat.slice(0, 4));
  assert.throws(
    () => decodeLayout(rows, short, { vars: new VarStore(), now }),
    (e: unknown) => e instanceof NeedMoreData && e.atLeast === 7,
  );
  // A missing row value without a default names the row.
  const w = new VarStore();
  w.set('count', [0], '2');
  w.setList('a', ['x']);
  w.setList('b', ['1', '2']);
  assert.throws(() => encodeLayout(rows, { vars: w, now }), /parameter 'a'\[1\] is not set and has no default/);
});
