import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RADIUS_CALL, StreamCallError, type CardRegisterArgs } from '@utm5/protocol';
import { encodeRequest } from '@utm5/radius';
import { CardRegistrar, cardPin } from './card-autoadd';
import { parseRequest, type RequestView } from './wire';

const SECRET = 'card-test-secret';
const request = (attrs: Parameters<typeof encodeRequest>[1]): RequestView => {
  const r = parseRequest(encodeRequest('Access-Request', attrs, SECRET), Buffer.from(SECRET));
  if ('error' in r) throw new Error(r.error);
  return r;
};

test('a card is offered by a login of digits with a PAP password (its PIN); not by other logins or CHAP', () => {
  assert.equal(
    cardPin(
      request([
        { name: 'User-Name', value: '000123' },
        { name: 'User-Password', value: '48151623' },
      ]),
      '000123',
    ),
    '48151623',
  );
  assert.equal(
    cardPin(
      request([
        { name: 'User-Name', value: 'bob' },
        { name: 'User-Password', value: '1' },
      ]),
      'bob',
    ),
    undefined,
  );
  assert.equal(
    cardPin(
      request([
        { name: 'User-Name', value: '1234567890123456' },
        { name: 'User-Password', value: '1' },
      ]),
      '1234567890123456',
    ),
    undefined,
    'longer than any card number the core makes',
  );
  const chap = request([
    { name: 'User-Name', value: '5' },
    { name: 'CHAP-Password', value: Buffer.alloc(17, 1) },
  ]);
  assert.equal(cardPin(chap, '5'), undefined, 'PAP only (the manual)');
});

test('requests for one card and PIN while its registration is in flight share it: the core is asked once', async () => {
  const calls: { method: string; args: CardRegisterArgs; timeout: number }[] = [];
  let answer: (v: unknown) => void = () => undefined;
  const reg = new CardRegistrar(
    {
      call: (method, args, timeout) => {
        calls.push({ method, args: args as CardRegisterArgs, timeout });
        return new Promise((r) => {
          answer = r;
        });
      },
    },
    1234,
  );
  const first = reg.register('5', '1111', '10.0.0.1');
  const again = reg.register('5', '1111', '10.0.0.1');
  assert.equal(first, again, 'the same registration');
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0], {
    method: RADIUS_CALL.CARD_REGISTER,
    args: { login: '5', pin: '1111', nas: '10.0.0.1' },
    timeout: 1234,
  });
  answer({ registered: true, userId: 1, accountId: 2, slinkId: 3 });
  assert.deepEqual(await first, { ok: true });
  assert.equal(reg.pending, 0, 'forgotten once answered');
});

test('another PIN for the same card is its own question; refusals and failures of the link become reasons', async () => {
  const answers: Record<string, unknown> = {
    '5:1111': Promise.resolve({ registered: false, reason: 'card 5: wrong PIN' }),
    '5:2222': Promise.reject(new StreamCallError('offline', RADIUS_CALL.CARD_REGISTER, 'down')),
    '6:1': Promise.reject(new StreamCallError('timeout', RADIUS_CALL.CARD_REGISTER, 'slow')),
    '7:1': Promise.reject(new StreamCallError('link_lost', RADIUS_CALL.CARD_REGISTER, 'gone')),
    '8:1': Promise.reject(new StreamCallError('refused', RADIUS_CALL.CARD_REGISTER, 'bad args')),
    '9:1': Promise.resolve('nonsense'),
  };
  const reg = new CardRegistrar(
    { call: (_m, a) => answers[`${(a as CardRegisterArgs).login}:${(a as CardRegisterArgs).pin}`] as Promise<unknown> },
    8000,
  );
  const reasons = await Promise.all(
    [
      ['5', '1111'],
      ['5', '2222'],
      ['6', '1'],
      ['7', '1'],
      ['8', '1'],
      ['9', '1'],
    ].map(async ([l, p]) => {
      const o = await reg.register(l!, p!, 'nas');
      return o.ok ? 'ok' : o.reason;
    }),
  );
  assert.deepEqual(reasons, [
    'card 5: wrong PIN',
    'the core is not connected, and registering a card needs it',
    'the core did not answer the card registration in 8 s',
    'the link to the core dropped during the card registration',
    'the core refused the card registration: Stream call radius_card_register: bad args',
    'the core answered the card registration with something else than a result',
  ]);
  for (const r of reasons) assert.doesNotMatch(r, /1111|2222/, 'no PIN in a reason (they are logged)');
});

test('PIN guessing: after five refusals of one card number in 15 minutes the core is not asked again until the window passes', async () => {
  let now = 1_000_000;
  let asked = 0;
  const reg = new CardRegistrar(
    {
      call: async () => {
        asked++;
        return { registered: false, reason: 'card 5: wrong PIN' };
      },
    },
    1000,
    () => now,
  );
  for (let i = 0; i < 5; i++)
    assert.deepEqual(await reg.register('5', `000${i}`, '10.0.0.1'), { ok: false, reason: 'card 5: wrong PIN' });
  const r = await reg.register('5', '1234', '10.0.0.1');
  assert.equal(r.ok, false);
  assert.match(
    (r as { reason: string }).reason,
    /5 refused registrations of card 5 in 15 minutes: not asking the core for 15 more minute\(s\) \(PIN guessing\)/,
  );
  assert.equal(asked, 5, 'the sixth guess did not reach the core');
  assert.equal((await reg.register('6', '1234', '10.0.0.1')).ok, false);
  assert.equal(asked, 6, 'another card number is asked');
  now += 15 * 60_000;
  reg.sweep();
  await reg.register('5', '1234', '10.0.0.1');
  assert.equal(asked, 7, 'after the window the core is asked again');
});
