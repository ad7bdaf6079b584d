import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchFileError, parseBatch, splitCsvLine } from './batch-file';

test('CSV fields: quotes hold commas and "" is a quote; an unclosed quote or text after one is not a line', () => {
  assert.deepEqual(splitCsvLine('1, 2 ,x'), ['1', '2', 'x']);
  assert.deepEqual(splitCsvLine('"a, b","say ""hi""",'), ['a, b', 'say "hi"', '']);
  assert.equal(splitCsvLine('"open'), undefined);
  assert.equal(splitCsvLine('"a"b,c'), undefined);
});

test("the header's names and aliases; line numbers are the file's, comments and blanks skipped", () => {
  const recs = parseBatch('# gateway export\n\nAccount,Amount,External Number,Method\n7,10,X-1,2\n\n8,5\n');
  assert.deepEqual(recs, [
    { line: 4, fields: { account_id: '7', payment: '10', external_number: 'X-1', payment_method: '2' } },
    { line: 6, fields: {}, problem: '2 fields where the header has 4' },
  ]);
  assert.throws(() => parseBatch('account,amount\n1,2\n'), BatchFileError);
  assert.throws(() => parseBatch('account,amount,external,payment\n'), /two columns set payment/);
  assert.throws(() => parseBatch('\n# only comments\n'), /no header line/);
});
