import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { decodePacket, encodeRequest, verifyResponse, type RadiusPacket } from '@utm5/radius';
import { exchange } from './helpers/radius-client';
import { createRadius, radclient, type RadiusInstance } from './helpers/radius-instance';
import { urfaSession, type UrfaSession } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const SECRET = 'card-nas-secret';

/**
 * The manual's prepaid-card dial-up: a plan whose dial-up service costs 3.6 an hour, a pool of cards worth 10 on that
 * plan, and a NAS; returns the cards (id, PIN).
 */
async function setUpCards(s: UrfaSession): Promise<{ id: string; pin: string }[]> {
  await s.call('rpcf_add_time_range', {
    tr_name: 'always',
    priority: 0,
    sec_start: [0],
    sec_stop: [59],
    min_start: [0],
    min_stop: [59],
    hour_start: [0],
    hour_stop: [23],
    wday_start: [0],
    wday_stop: [6],
    internal_id: [],
    mday: [],
    month: [],
  });
  const range = (await s.call('rpcf_get_time_ranges')).get('range_id', [0])!;
  const tp = Number(
    (await s.call('rpcf_add_tariff_new', { name: 'Cards', balance_rollover: 0, comments: 'prepaid dial-up' })).get(
      'tp_id',
    ),
  );
  const service = {
    parent_id: -1,
    tariff_id: 0,
    service_id: 0,
    service_name: 'Card dial-up',
    comment: '',
    link_by_default: 1,
    is_dynamic: 0,
    contract_type: 0,
    discount_method: 2,
    cost: 0,
    start_date: T0,
    expire_date: 2000000000,
    pool_name: '',
    max_timeout: 0,
    null_service_prepaid: 0,
    radius_sessions_limit: 0,
    login_prefix: '',
    range_cost: [3.6],
    range_id: [range],
  };
  const template = Number((await s.call('rpcf_add_dialup_service', service)).get('result'));
  assert.ok(
    Number(
      (await s.call('rpcf_add_dialup_service', { ...service, parent_id: template, tariff_id: tp })).get('result'),
    ) > 0,
  );
  await s.call('rpcf_put_nas', {
    mode: 0,
    id: 0,
    nas_id: '127.0.0.1',
    auth_secret: SECRET,
    acct_secret: SECRET,
    dac_secret: '',
    das_port: 0,
    flags: 0,
    isg_profile: 0,
    variable: [],
    value: [],
  });
  await s.call('rpcf_card_pool_add', { size: 3, balance: 10, sec_size: 8, service_id: tp });
  const list = await s.call('rpcf_card_list', { pool_id: 1 });
  return [0, 1, 2].map((i) => ({ id: list.get('card_id', [i])!, pin: list.get('secret', [i])! }));
}

const access = (port: number, login: string, password: string) =>
  exchange(
    port,
    SECRET,
    'Access-Request',
    [
      { name: 'User-Name', value: login },
      { name: 'User-Password', value: password },
      { name: 'NAS-Port-Type', value: 0 },
    ],
    12_000,
  );

/** Sends one Access-Request and, while it waits, the same packet again (a NAS's retransmit); collects every answer. */
async function accessWithRetransmit(port: number, login: string, pin: string): Promise<RadiusPacket[]> {
  const req = encodeRequest(
    'Access-Request',
    [
      { name: 'User-Name', value: login },
      { name: 'User-Password', value: pin },
    ],
    SECRET,
    { messageAuthenticator: true },
  );
  const sock = createSocket('udp4');
  const answers: RadiusPacket[] = [];
  sock.on('message', (m) => {
    assert.ok(verifyResponse(req, m, SECRET));
    const d = decodePacket(m, SECRET, { requestAuthenticator: req.subarray(4, 20) });
    if (d.ok) answers.push(d.packet);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  sock.send(req, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 5));
  sock.send(req, port, '127.0.0.1');
  const end = Date.now() + 12_000;
  while (answers.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300)); // a second answer, if any, would come now
  sock.close();
  return answers;
}

const usersOf = async (s: UrfaSession) => {
  const l = await s.call('rpcf_get_users_list', { from: 0, to: 1000, card_user: 1 });
  return Array.from({ length: Number(l.get('cnt')) }, (_, i) => l.get('login_array', [i]));
};

test(
  'radius_card_autoadd: a card number and PIN (PAP) register the card user at the first Access-Request and let it in',
  { timeout: 120_000 },
  async () => {
    const s = await urfaSession(T0);
    let rad: RadiusInstance | undefined;
    try {
      const [card, other, third] = await setUpCards(s);
      rad = await createRadius(s.core, { radius_card_autoadd: 'yes' });
      await rad.until("the core's data", (x) => x.connected && x.nas === 1);

      // A wrong PIN: rejected, nothing made, the card still usable.
      assert.equal((await access(rad.authPort, card!.id, `${card!.pin}9`))?.codeName, 'Access-Reject');
      await s.core.proc.waitForOutput(
        new RegExp(`card login '${card!.id}' from NAS 127\\.0\\.0\\.1 not registered: card ${card!.id}: wrong PIN`),
      );
      assert.deepEqual(await usersOf(s), []);

      // The first connection: registered and let in at once, a retransmit meanwhile does not register it twice.
      const answers = await accessWithRetransmit(rad.authPort, card!.id, card!.pin);
      assert.deepEqual(
        answers.map((a) => a.codeName),
        ['Access-Accept'],
        'one answer: the retransmit waited for it',
      );
      assert.equal(answers[0]!.integer('Session-Timeout'), 10_000, "the card's 10 pays for 10,000 s at 3.6 an hour");
      const [, userId, accountId, slinkId] = (await s.core.proc.waitForOutput(
        new RegExp(
          `card ${card!.id}: card user 'card_${card!.id}' \\(user (\\d+), account (\\d+)\\) registered for dial-up login '${card!.id}' \\(link (\\d+)\\)`,
        ),
      ))!;
      assert.deepEqual(await usersOf(s), [`card_${card!.id}`]);
      assert.equal((await s.call('rpcf_get_accountinfo', { account_id: accountId! })).get('balance'), '10');
      const link = await s.call('rpcf_get_dialup_service_link', { slink_id: slinkId! });
      assert.deepEqual(
        [link.get('login'), link.get('password')],
        [card!.id, card!.pin],
        'login = card number, password = PIN',
      );
      const tariffs = await s.call('rpcf_get_user_tariffs', { user_id: userId! });
      assert.equal(tariffs.get('user_tariffs_size'), '1', "the card's tariff plan attached");

      // Later connections: the same number and PIN as login and password, no registration; another PIN is just wrong.
      const again = await radclient(
        ['-x', '-r', '1', '-t', '5', `127.0.0.1:${rad.authPort}`, 'auth', SECRET],
        `User-Name = "${card!.id}"\nUser-Password = "${card!.pin}"\n`,
      );
      assert.match(again.out, /Access-Accept/, again.out);
      assert.equal((await access(rad.authPort, card!.id, 'guess'))?.codeName, 'Access-Reject');
      assert.equal(s.core.proc.output().match(/registered for dial-up login/g)?.length, 1, 'registered once');

      // A card number with CHAP is not registered (the manual: PAP only).
      const chap = await radclient(
        ['-x', '-r', '1', '-t', '5', `127.0.0.1:${rad.authPort}`, 'auth', SECRET],
        `User-Name = "${other!.id}"\nCHAP-Password = "${other!.pin}"\n`,
      );
      assert.match(chap.out, /Access-Reject/, chap.out);
      assert.deepEqual(await usersOf(s), [`card_${card!.id}`]);
      const log = readFileSync(`${rad.dir}/debug.log`, 'utf8') + rad.proc.output();
      assert.match(log, /card users are registered with PAP only/);
      for (const c of [card!, other!, third!]) assert.ok(!log.includes(c.pin), 'no PIN in the radius log');
      assert.ok(!s.core.proc.output().includes(card!.pin), 'no PIN in the core log');
    } finally {
      await rad?.cleanup();
      await s.close();
    }
  },
);

test('radius_card_autoadd off (the default): a card number is an unknown login', { timeout: 60_000 }, async () => {
  const s = await urfaSession(T0);
  const rad = await createRadius(s.core);
  try {
    const [card] = await setUpCards(s);
    await rad.until("the core's data", (x) => x.connected && x.nas === 1);
    assert.equal((await access(rad.authPort, card!.id, card!.pin))?.codeName, 'Access-Reject');
    assert.match(
      readFileSync(`${rad.dir}/debug.log`, 'utf8') + rad.proc.output(),
      new RegExp(`Access-Reject for '${card!.id}' from NAS [^:]+: unknown login`),
    );
    assert.deepEqual(await usersOf(s), []);
  } finally {
    await rad.cleanup();
    await s.close();
  }
});
