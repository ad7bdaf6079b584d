import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { onEveryBackend } from '@utm5/db/testing';
import { rfwTestCore, type RfwTestCore } from '../testing/rfw-fixture';
import { FW_EVENT_BIT } from './fw-events';

const HOSTILE = `; rm -rf / "q" 'q' $(id) \`id\`\nnext`;

onEveryBackend('firewall rules: rules, firewalls and the commands events queue', (backend) => {
  let f: RfwTestCore;
  let fw1 = 0;
  let fw2 = 0;
  before(async () => {
    f = await rfwTestCore(backend(), 'rfwqueue');
    fw1 = await f.firewall('fw1');
    fw2 = await f.firewall('fw2');
  });
  after(() => f.done());

  /** The rows a block of work queued, the queue emptied afterwards. */
  const queuedBy = async (fn: () => Promise<unknown>) => {
    await f.core.db.knex('rfw_queue').delete();
    await fn();
    return f.queue();
  };
  const clearRules = async () => {
    for (const r of await f.core.rfw.rules.all()) await f.core.rfw.rules.remove(r.id);
  };

  test('rules are stored and listed; bad ones are refused with the reason', async () => {
    const rules = f.core.rfw.rules;
    const id = await f.rule(['internet_on', 'payment'], 'echo UIP', { comment: 'c' });
    const got = (await rules.all()).find((r) => r.id === id)!;
    assert.equal(got.events, FW_EVENT_BIT.internet_on + FW_EVENT_BIT.payment);
    assert.deepEqual([got.rule, got.comment, got.flags], ['echo UIP', 'c', 1]);
    await rules.edit(id, { ...got, rule: 'echo LOGIN', events: 2 ** 42 });
    assert.equal((await rules.all()).find((r) => r.id === id)!.events, 2 ** 42, 'masks above 32 bits are exact');
    const base = { flags: 0, events: 1, routerId: 0, tariffId: 0, groupId: 0, userId: 0, rule: 'echo', comment: '' };
    for (const [bad, why] of [
      [{ routerId: 999 }, /no firewall 999/],
      [{ tariffId: 999 }, /no tariff 999/],
      [{ groupId: 999 }, /no user group 999/],
      [{ userId: 999 }, /no user 999/],
      [{ rule: '  ' }, /empty/],
      [{ rule: `echo 'x` }, /quote is not closed/],
      [{ events: 2 ** 43 }, /bits of no event/],
      [{ events: 0 }, /at least one/],
      [{ flags: 4 }, /flags 4/],
    ] as const) {
      await assert.rejects(rules.add({ ...base, ...bad }, 0), why);
    }
    await rules.remove(id);
    assert.ok(!(await rules.all()).some((r) => r.id === id));
    await assert.rejects(rules.remove(id), /no firewall rule/);
  });

  test('firewalls: names are unique, the password is sealed, one in use is not removed', async () => {
    const fws = f.core.rfw.firewalls;
    const id = await fws.put(0, {
      type: 1,
      name: 'cisco1',
      ip: '10.9.9.9',
      login: 'netup',
      password: 's3cret',
      comment: 'x',
    });
    const row = await f.core.db.knex('netflow_providers').where({ id }).first();
    assert.notEqual(row.password, 's3cret');
    assert.equal(await fws.password(id), 's3cret');
    await fws.put(id, { type: 1, name: 'cisco1', ip: '10.9.9.9', login: 'netup', password: '', comment: 'y' });
    assert.equal(await fws.password(id), 's3cret', 'an empty password keeps the stored one');
    assert.equal((await fws.byId(id))!.comment, 'y');
    await assert.rejects(
      fws.put(0, { type: 0, name: 'cisco1', ip: '', login: '', password: '', comment: '' }),
      /exists/,
    );
    await assert.rejects(fws.put(0, { type: 2, name: 'z', ip: '', login: '', password: '', comment: '' }), /type 2/);
    await assert.rejects(fws.put(0, { type: 0, name: 'a b', ip: '', login: '', password: '', comment: '' }), /name/);
    const rule = await f.rule(['payment'], 'echo', { routerId: id });
    await assert.rejects(f.core.rfw.removeFirewall(id), /firewall rule/);
    await f.core.rfw.rules.remove(rule);
    await f.core.rfw.removeFirewall(id);
    assert.equal(await fws.byId(id), undefined);
  });

  test('Internet on/off render once per IP group and firewall, with the address variables', async () => {
    await clearRules();
    const u = await f.user({ login: 'alice', email: 'a@example.net' });
    await f.ipLink(u.accountId, [
      { ip: '10.0.0.5', login: 'alice-ip', mac: 'aa:bb' },
      { ip: '10.1.0.0', mask: 24 },
    ]);
    const on = await f.rule(
      ['internet_on'],
      'nft add element inet utm5 allowed { UIP/UBITS } UMASK UINVERTMASK ULOGIN MAC LOGIN',
    );
    const off = await f.rule(['internet_off'], 'nft delete element inet utm5 allowed { UIP } BALANCE', {
      routerId: fw2,
    });
    const rows = await queuedBy(() => f.emit({ kind: 'internet', on: true, accountId: u.accountId }));
    assert.deepEqual(
      rows.map((r) => [r.routerId, r.ruleId, r.event, r.orderKey, r.argv.slice(7)]),
      [
        [
          fw1,
          on,
          'internet_on',
          '10.0.0.5',
          ['10.0.0.5/32', '}', '255.255.255.255', '0.0.0.0', 'alice-ip', 'aa:bb', 'alice'],
        ],
        [
          fw2,
          on,
          'internet_on',
          '10.0.0.5',
          ['10.0.0.5/32', '}', '255.255.255.255', '0.0.0.0', 'alice-ip', 'aa:bb', 'alice'],
        ],
        [fw1, on, 'internet_on', '10.1.0.0', ['10.1.0.0/24', '}', '255.255.255.0', '0.0.0.255', '', '', 'alice']],
        [fw2, on, 'internet_on', '10.1.0.0', ['10.1.0.0/24', '}', '255.255.255.0', '0.0.0.255', '', '', 'alice']],
      ],
    );
    const offRows = await queuedBy(() => f.emit({ kind: 'internet', on: false, accountId: u.accountId }));
    assert.deepEqual(
      offRows.map((r) => [r.routerId, r.ruleId, r.argv.slice(7)]),
      [
        [fw2, off, ['10.0.0.5', '}', '0']],
        [fw2, off, ['10.1.0.0', '}', '0']],
      ],
      'place: only its firewall; BALANCE does not apply to Internet events (its default)',
    );
  });

  test('a rolled-back transaction queues nothing', async () => {
    const u = await f.user();
    await f.ipLink(u.accountId, [{ ip: '10.2.0.1' }]);
    const rows = await queuedBy(() => f.emit({ kind: 'internet', on: true, accountId: u.accountId }, true));
    assert.deepEqual(rows, []);
  });

  test('user, block, balance, payment, session, link, tech parameter, bandwidth, file and user log events', async () => {
    await clearRules();
    const g = await f.group(70);
    const u = await f.user({ login: 'bob', email: 'bob@example.net', fullName: 'Bob B', groups: [g] });
    const slink = await f.ipLink(u.accountId, [{ ip: '10.3.0.1', login: 'bob-ip' }, { ip: '10.3.0.2' }]);
    const ruleOf = async (event: Parameters<typeof f.rule>[0][0], t: string) => f.rule([event], t, { routerId: fw1 });
    const cases: [Parameters<typeof f.rule>[0][0], string, Parameters<typeof f.emit>[0], string[][]][] = [
      [
        'user_add',
        'add UID LOGIN EMAIL RULE_ID UGROUP FULL_NAME SLINK_ID',
        { kind: 'user', op: 'add', userId: u.userId },
        [['add', String(u.userId), 'bob', 'bob@example.net', String(5000 + u.userId), String(g), 'Bob B', '0']],
      ],
      [
        'user_edit',
        'edit LOGIN ACCOUNT_ID',
        { kind: 'user', op: 'edit', userId: u.userId },
        [['edit', 'bob', String(u.accountId)]],
      ],
      ['user_delete', 'del LOGIN EMAIL', { kind: 'user', op: 'delete', userId: u.userId }, [['del', 'bob', '']]],
      [
        'block_changed',
        'block BLOCK_TYPE SLINK_LIST IP_GROUP_LIST ACCOUNT_ID',
        { kind: 'block', accountId: u.accountId, blockType: 16 },
        [['block', '16', String(slink), '10.3.0.1/32/bob-ip///;10.3.0.2/32////', String(u.accountId)]],
      ],
      [
        'balance',
        'bal BALANCE UIP',
        { kind: 'balance', accountId: u.accountId, balance: -12_500_000, border: 0 },
        [['bal', '-12.5', '0.0.0.0']],
      ],
      [
        'payment',
        'pay PAYMENT_AMOUNT PAYMENT_TYPE LOGIN',
        { kind: 'payment', accountId: u.accountId, amount: 100_000_000, method: 1 },
        [['pay', '100', '1', 'bob']],
      ],
      [
        'session_open',
        'open SESSION_ID NAS_IP ACCT_STATUS_TYPE FRAMED_IP CALLING_SID SLINK_ID',
        {
          kind: 'session',
          op: 'open',
          accountId: u.accountId,
          slinkId: slink,
          serviceId: 1,
          serviceType: 5,
          nasId: 'nas1',
          nasIp: '10.9.0.1',
          sessionId: 's1',
          callingSid: HOSTILE,
          calledSid: '',
          framedIp: '10.4.0.1',
        },
        [['open', 's1', '10.9.0.1', '1', '10.4.0.1', HOSTILE, String(slink)]],
      ],
      [
        'session_close',
        'close ACCT_STATUS_TYPE',
        {
          kind: 'session',
          op: 'close',
          accountId: u.accountId,
          slinkId: slink,
          serviceId: 1,
          serviceType: 5,
          nasId: '',
          nasIp: '',
          sessionId: '',
          callingSid: '',
          calledSid: '',
          framedIp: '',
        },
        [['close', '2']],
      ],
      [
        'iptraffic_link_add',
        'ipl SLINK_ID IP_GROUP_ID IP_GROUP_LIST',
        { kind: 'link', op: 'add', serviceType: 3, accountId: u.accountId, slinkId: slink },
        [
          [
            'ipl',
            String(slink),
            String((await f.core.db.knex('ip_groups').where({ slink_id: slink }).orderBy('id').first('id')).id),
            '10.3.0.1/32/bob-ip///;10.3.0.2/32////',
          ],
        ],
      ],
      [
        'iptraffic_link_delete',
        'ipd SLINK_ID',
        { kind: 'link', op: 'delete', serviceType: 3, accountId: u.accountId, slinkId: slink },
        [['ipd', String(slink)]],
      ],
      [
        'dialup_link_add',
        'dl SLINK_ID UCID',
        { kind: 'link', op: 'add', serviceType: 5, accountId: u.accountId, slinkId: slink },
        [['dl', String(slink), '']],
      ],
      [
        'tel_link_edit',
        'tl SLINK_ID TEL_LIST',
        { kind: 'link', op: 'edit', serviceType: 6, accountId: u.accountId, slinkId: slink },
        [['tl', String(slink), '']],
      ],
      [
        'tech_param_add',
        'tp TECH_PARAM_ID TECH_PARAM_VALUE TECH_PARAM_PASS SERVICE_TYPE',
        {
          kind: 'tech_param',
          op: 'add',
          accountId: u.accountId,
          slinkId: slink,
          serviceType: 3,
          id: 4,
          typeId: 1,
          value: 'v',
          password: 'p w',
        },
        [['tp', '4', 'v', 'p w', '3']],
      ],
      [
        'bw_in_set',
        'tc UIP BANDWIDTH IN_BANDWIDTH_KBITS OUT_BANDWIDTH_KBITS IN_BANDWIDTH_BITS',
        { kind: 'bandwidth', dir: 'in', op: 'set', accountId: u.accountId, slinkId: slink, kbit: 512, otherKbit: 256 },
        [
          ['tc', '10.3.0.1', '512', '512', '256', '524288'],
          ['tc', '10.3.0.2', '512', '512', '256', '524288'],
        ],
      ],
      [
        'bw_out_delete',
        'tcd UIP OUT_BANDWIDTH_KBITS',
        {
          kind: 'bandwidth',
          dir: 'out',
          op: 'delete',
          accountId: u.accountId,
          slinkId: slink,
          kbit: 0,
          otherKbit: 512,
        },
        [
          ['tcd', '10.3.0.1', '0'],
          ['tcd', '10.3.0.2', '0'],
        ],
      ],
      [
        'raw_file_closed',
        'raw PATH UID',
        { kind: 'raw_file_closed', path: '/var/raw/1.utm' },
        [['raw', '/var/raw/1.utm', '']],
      ],
      [
        'user_log',
        'log ACTION COMMENTS WHO',
        { kind: 'user_log', userId: u.userId, action: 'edit', comments: HOSTILE, who: 'init' },
        [['log', 'edit', HOSTILE, 'init']],
      ],
    ];
    for (const [event, template, ev, want] of cases) {
      const id = await ruleOf(event, template);
      const rows = await queuedBy(() => f.emit(ev));
      assert.deepEqual(
        rows.map((r) => r.argv),
        want,
        event,
      );
      assert.ok(
        rows.every((r) => r.event === event && r.ruleId === id && r.routerId === fw1),
        event,
      );
      await f.core.rfw.rules.remove(id);
    }
  });

  test('applicability: by user, group or tariff, with OR or AND', async () => {
    await clearRules();
    const g = await f.group(71);
    const a = await f.user({ login: 'in-group', groups: [g] });
    const b = await f.user({ login: 'on-tariff' });
    const tariff = await f.tariff(b.accountId);
    const c = await f.user({ login: 'nobody' });
    const byGroup = await f.rule(['payment'], 'g LOGIN', { flags: 0, groupId: g, routerId: fw1 });
    const byTariff = await f.rule(['payment'], 't LOGIN', { flags: 0, tariffId: tariff, routerId: fw1 });
    const both = await f.rule(['payment'], 'and LOGIN', {
      flags: 2,
      tariffId: tariff,
      userId: a.userId,
      routerId: fw1,
    });
    const either = await f.rule(['payment'], 'or LOGIN', {
      flags: 0,
      tariffId: tariff,
      userId: a.userId,
      routerId: fw1,
    });
    const pay = (accountId: number) => queuedBy(() => f.emit({ kind: 'payment', accountId, amount: 1, method: 1 }));
    assert.deepEqual(
      (await pay(a.accountId)).map((r) => r.ruleId),
      [byGroup, either],
    );
    assert.ok(!(await pay(a.accountId)).some((r) => r.ruleId === both), 'AND: the user but not the tariff');
    assert.deepEqual(
      (await pay(b.accountId)).map((r) => r.ruleId),
      [byTariff, either],
    );
    assert.deepEqual(
      (await pay(c.accountId)).map((r) => r.ruleId),
      [],
    );
  });

  test('commands waiting longer than rfw_queue_keep_hours expire', async () => {
    await clearRules();
    const u = await f.user();
    await f.rule(['payment'], 'pay LOGIN', { routerId: fw1 });
    await queuedBy(() => f.emit({ kind: 'payment', accountId: u.accountId, amount: 1, method: 1 }));
    assert.equal(await f.core.rfw.queue.expire(f.clock.now() + 3600, 24 * 3600), 0);
    assert.equal(await f.core.rfw.queue.expire(f.clock.now() + 24 * 3600 + 1, 24 * 3600), 1);
    assert.deepEqual(
      (await f.queue()).map((r) => r.status),
      ['expired'],
    );
    assert.ok(
      f.warnings.some((w) => /1 firewall command\(s\) expired .*fw1 1/.test(w)),
      f.warnings.join('\n'),
    );
  });

  test('the queue survives a core restart', async () => {
    await clearRules();
    const u = await f.user({ login: 'carol' });
    await f.rule(['payment'], 'pay LOGIN', { routerId: fw1 });
    await queuedBy(() => f.emit({ kind: 'payment', accountId: u.accountId, amount: 1, method: 1 }));
    await f.restart();
    const rows = await f.queue();
    assert.deepEqual(
      rows.map((r) => [r.argv, r.status]),
      [[['pay', 'carol'], null]],
    );
  });
});
