import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VariableMatcher, renderArgv, splitTemplate } from './template';
import { FW_VARIABLE_MATCHER, variableValue } from './variables';

const argv = (t: string) => {
  const r = splitTemplate(t);
  assert.ok('argv' in r, `'${t}' splits`);
  return r.argv;
};

test('a template splits on whitespace; quotes group words, backslashes escape', () => {
  assert.deepEqual(argv('add element inet utm5 allowed { UIP }'), [
    'add',
    'element',
    'inet',
    'utm5',
    'allowed',
    '{',
    'UIP',
    '}',
  ]);
  assert.deepEqual(argv(`  a   'b c'  "d \\"e\\" \\\\ f"  g\\ h  `), ['a', 'b c', 'd "e" \\ f', 'g h']);
  assert.deepEqual(argv(`x ''`), ['x', ''], 'an empty quoted word is a word');
  assert.deepEqual(argv(`pre'mid dle'post`), ['premid dlepost'], 'quotes join with what touches them');
  assert.deepEqual(argv(`'$(x)' "\`y\`"`), ['$(x)', '`y`'], 'no expansion inside quotes');
  assert.deepEqual(argv('a\tb\nc'), ['a', 'b', 'c']);
});

test('a template that does not split is refused with the reason', () => {
  for (const [t, why] of [
    ['', /empty/],
    ['   \t ', /empty/],
    [`echo 'open`, /' quote is not closed/],
    [`echo "open`, /" quote is not closed/],
    ['echo end\\', /backslash/],
  ] as const) {
    const r = splitTemplate(t);
    assert.ok('error' in r && why.test(r.error), `${JSON.stringify(t)}: ${JSON.stringify(r)}`);
  }
});

const render = (
  t: string,
  values: Record<string, string>,
  event: Parameters<typeof variableValue>[1] = 'internet_on',
) => renderArgv(argv(t), FW_VARIABLE_MATCHER, (n) => variableValue(n, event, new Map(Object.entries(values))));

test('hostile values stay one literal argument each', () => {
  const hostile = ['; rm -rf /', `it's "quoted"`, '$(reboot)', '`id`', 'a\nb\r\nc', '  spaced  ', '', '\\'];
  for (const h of hostile) {
    assert.deepEqual(render('nft add element inet utm5 allowed { UIP } LOGIN', { UIP: '10.0.0.1', LOGIN: h }), [
      'nft',
      'add',
      'element',
      'inet',
      'utm5',
      'allowed',
      '{',
      '10.0.0.1',
      '}',
      h,
    ]);
  }
  assert.deepEqual(render(`/bin/echo "user=LOGIN;"`, { LOGIN: '; rm -rf /' }), ['/bin/echo', 'user=; rm -rf /;']);
});

test('a value holding another variable name is not substituted again; longest names first, no word boundaries', () => {
  assert.deepEqual(render('x LOGIN ULOGIN', { LOGIN: 'UIP', ULOGIN: 'ACCOUNT_ID', UIP: '1.2.3.4' }), [
    'x',
    'UIP',
    'ACCOUNT_ID',
  ]);
  assert.deepEqual(render('x USW_IP/UIP', { USW_IP: 'sw', UIP: '1.2.3.4' }), ['x', 'sw/1.2.3.4']);
  assert.deepEqual(
    render(
      'rate IN_BANDWIDTH_KBITSk/OUT_BANDWIDTH_KBITSk BANDWIDTH',
      {
        IN_BANDWIDTH_KBITS: '512',
        OUT_BANDWIDTH_KBITS: '256',
        BANDWIDTH: '512',
      },
      'bw_in_set',
    ),
    ['rate', '512k/256k', '512'],
  );
  const m = new VariableMatcher(['A', 'AB']);
  assert.equal(
    m.substitute('ABA', (n) => `<${n}>`),
    '<AB><A>',
  );
  assert.deepEqual(m.names('xx AB A'), ['AB', 'A']);
});
