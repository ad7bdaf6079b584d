import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, describeConfig, validateEntries } from '@utm5/common';
import { sendCdrConfig } from './config';

const load = (entries: Record<string, string>) =>
  validateEntries(
    sendCdrConfig,
    'test.cfg',
    Object.entries(entries).map(([key, value], i) => ({ name: key, value, line: i + 1 })),
  );

test("the manual's defaults: positions 0 1 2, space delimiter, no quote, batches of 5000", () => {
  const v = load({}).values;
  assert.equal(v.pbx_calling_sid, 0);
  assert.equal(v.pbx_called_sid, 1);
  assert.equal(v.pbx_duration, 2);
  assert.equal(v.pbx_delimiter, 'space');
  assert.equal(v.pbx_quote, '');
  assert.equal(v.pbx_time, undefined);
  assert.equal(v.batch_size, 5000);
  assert.equal(v.core_port, 11758);
});

test('bad values are refused, each naming the key', () => {
  for (const [k, v] of [
    ['batch_size', '10001'],
    ['pbx_time', '-1'],
    ['timezone', 'Nowhere/Land'],
    ['core_port', '65535'],
  ] as const) {
    assert.throws(
      () => load({ [k]: v }),
      (e: unknown) => e instanceof ConfigError && e.problems.some((p) => JSON.stringify(p).includes(k)),
      k,
    );
  }
});

test('-v output masks the password', () => {
  const l = load({ core_password: 'sekret' });
  assert.doesNotMatch(describeConfig(sendCdrConfig, l), /sekret/);
});
