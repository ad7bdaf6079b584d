import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandWordsError, splitCommandWords } from './command-words';

test('a command line splits on whitespace; quotes group words and backslashes escape', () => {
  assert.deepEqual(splitCommandWords('  add element inet utm5 allowed { UIP }  '), [
    'add',
    'element',
    'inet',
    'utm5',
    'allowed',
    '{',
    'UIP',
    '}',
  ]);
  assert.deepEqual(splitCommandWords(`-f 'a b' "c \\"d\\" \\\\" e\\ f ''`), ['-f', 'a b', 'c "d" \\', 'e f', '']);
  assert.deepEqual(splitCommandWords('x;y $(id) | z'), ['x;y', '$(id)', '|', 'z']);
  assert.deepEqual(splitCommandWords(''), []);
});

test('an unclosed quote or a trailing backslash is refused with a one-line reason', () => {
  assert.throws(() => splitCommandWords("a 'b"), CommandWordsError);
  assert.throws(() => splitCommandWords('a "b'), /quote is not closed/);
  assert.throws(() => splitCommandWords('a \\'), /backslash ends it/);
});
