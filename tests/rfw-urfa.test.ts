import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '@utm5/common/testing';
import { FW_EVENTS, FW_EVENTS_RAISED, FW_VARIABLES, eventMask } from '@utm5/core';
import { RFW_METHOD, StreamClient, rfwExecArgs, type RfwSyncResult } from '@utm5/protocol';
import type { UrfaApi } from '@utm5/urfaclient';
import { urfaclient, urfaSession, value, type UrfaSession } from './helpers/urfa';

const T0 = 1049155200; // 2003-04-01 00:00 UTC
const quiet = { debug() {}, info() {}, notice() {}, warn() {}, error() {} };

describe('firewalls and firewall rules over URFA', () => {
  let session: UrfaSession;
  const call = (name: string, inputs: Parameters<UrfaApi['call']>[1] = {}) => session.call(name, inputs);
  const run = async (action: string, params: Record<string, string | number> = {}) => {
    const r = await urfaclient(session.core, [
      '-a',
      action,
      ...Object.entries(params).flatMap(([k, v]) => [`-${k}`, String(v)]),
    ]);
    assert.equal(r.code, 0, `${action}: ${r.stderr}`);
    return r.stdout;
  };
  let fw = 0;
  let rule = 0;

  before(async () => {
    session = await urfaSession(T0);
  });
  after(() => session.close());

  test('a firewall is registered by the put_router action script and listed without its password', async () => {
    await run('put_router', {
      router_type: 1,
      router_ip: 'fw1',
      login: 'netup',
      password: 'rsh-secret',
      router_comments: 'border',
      router_bin_ip: '10.0.0.1',
    });
    const l = await call('rpcf_get_routers_list');
    assert.equal(l.get('routers_size'), '1');
    fw = Number(l.get('router_id', [0]));
    assert.deepEqual(
      ['router_type', 'router_ip', 'login', 'password', 'router_comments', 'router_bin_ip', 'is_online'].map((n) =>
        l.get(n, [0]),
      ),
      ['1', 'fw1', 'netup', '', 'border', '10.0.0.1', '0'],
    );
    await call('rpcf_put_router', {
      router_id: fw,
      router_type: 0,
      router_ip: 'fw1',
      login: '',
      password: '',
      router_comments: 'edited',
      router_bin_ip: '10.0.0.2',
    });
    const e = await call('rpcf_get_routers_list');
    assert.deepEqual(
      [e.get('router_type', [0]), e.get('router_comments', [0]), e.get('router_bin_ip', [0])],
      ['0', 'edited', '10.0.0.2'],
    );
    // rpcf_put_router has no output: a refusal ends the call without data, and the core log says why.
    await call('rpcf_put_router', {
      router_id: 0,
      router_type: 0,
      router_ip: 'fw1',
      login: '',
      password: '',
      router_comments: '',
      router_bin_ip: '10.0.0.3',
    });
    assert.equal((await call('rpcf_get_routers_list')).get('routers_size'), '1', 'no second firewall of one name');
    await waitFor(() => /named 'fw1' exists/.test(session.core.proc.output()), 5_000, 'the reason in the core log');
    assert.ok(!session.core.proc.output().includes('rsh-secret'), 'the password is never logged');
  });

  test('rpcf_get_fw_events and rpcf_get_fw_subst describe the events and variables', async () => {
    const ev = await call('rpcf_get_fw_events');
    assert.equal(Number(ev.get('fw_events')), eventMask(FW_EVENTS_RAISED));
    assert.ok(Number(ev.get('fw_events')) < 2 ** FW_EVENTS.length);
    const s = await call('rpcf_get_fw_subst');
    assert.equal(Number(s.get('subst_count')), FW_VARIABLES.length);
    const names = Array.from({ length: FW_VARIABLES.length }, (_, i) => s.get('subst', [i]));
    const uip = names.indexOf('UIP');
    assert.ok(uip >= 0 && names.includes('IN_BANDWIDTH_KBITS') && names.includes('USW_IP'));
    assert.equal(Number(s.get('events', [uip])) % 2, 1, 'UIP applies to Internet on (bit 0)');
  });

  test('rules are added, listed, edited and removed; bad ones are refused', async () => {
    const events = eventMask(['user_add', 'internet_on']);
    const def = { flags: 1, events, router_id: fw, tariff_id: 0, group_id: 0, user_id: 0 };
    rule = Number(value(await run('add_fwrule_new', { ...def, rule: 'echo user LOGIN', comment: 'users' }), 'rule_id'));
    assert.ok(rule > 0);
    const l = await call('rpcf_get_fwrules_list_new');
    assert.equal(l.get('rules_count'), '1');
    assert.deepEqual(
      ['rule_id', 'flags', 'events', 'router_id', 'rule', 'comment'].map((n) => l.get(n, [0])),
      [String(rule), '1', String(events), String(fw), 'echo user LOGIN', 'users'],
    );
    const big = 2 ** 42; // Store user log: above 32 bits, sent as URFA long
    const ed = await call('rpcf_edit_fwrule_new', {
      rule_id: rule,
      ...def,
      events: events + big,
      rule: 'echo user LOGIN UID',
      comment: 'edited',
    });
    assert.equal(ed.get('result'), '0');
    const l2 = await call('rpcf_get_fwrules_list_new');
    assert.deepEqual([l2.get('events', [0]), l2.get('rule', [0])], [String(events + big), 'echo user LOGIN UID']);
    // Back to user adds only: the queue report below counts them.
    await call('rpcf_edit_fwrule_new', { rule_id: rule, ...def, rule: 'echo user LOGIN UID', comment: 'edited' });
    for (const bad of [
      { router_id: 999, rule: 'echo' },
      { user_id: 999, rule: 'echo' },
      { rule: '   ' },
      { rule: `echo 'open` },
      { events: 2 ** 50, rule: 'echo' },
    ]) {
      const r = await call('rpcf_add_fwrule_new', { ...def, comment: '', ...bad });
      assert.equal(r.get('rule_id'), '-1', JSON.stringify(bad));
    }
    assert.equal(
      (await call('rpcf_edit_fwrule_new', { rule_id: 999, ...def, rule: 'x', comment: '' })).get('result'),
      '-1',
    );
    assert.equal((await call('rpcf_del_router', { router_id: fw })).get('router_code'), '-1', 'a rule uses it');
    const tmp = Number((await call('rpcf_add_fwrule_new', { ...def, rule: 'echo', comment: '' })).get('rule_id'));
    assert.equal((await call('rpcf_del_fwrule_new', { rule_id: tmp })).get('result'), '0');
    assert.equal((await call('rpcf_del_fwrule_new', { rule_id: tmp })).get('result'), '-1');
  });

  test('the queue report shows what a firewall ran and why a command failed', async () => {
    await call('rpcf_add_user_new', { login: 'alice', password: 'a' });
    await call('rpcf_add_user_new', { login: 'bob', password: 'b' });
    const client = new StreamClient({
      host: '127.0.0.1',
      port: session.core.streamPort,
      login: 'rfw',
      password: 'rfw',
      sender: 'fw1',
      topics: [],
      pingIntervalMs: 500,
      log: quiet,
      calls: {
        [RFW_METHOD.EXEC]: async (args) => ({
          results: rfwExecArgs(args)!.commands.map((c) =>
            c.argv.includes('bob')
              ? { seq: c.seq, status: 'failed', exitCode: 4, attempts: 3, stderr: 'no such set' }
              : { seq: c.seq, status: 'ok', exitCode: 0, attempts: 1, stderr: '' },
          ),
        }),
      },
    });
    client.start();
    try {
      await client.ready();
      await waitFor(async () => (await call('rpcf_get_routers_list')).get('is_online', [0]) === '1', 5_000, 'online');
      const report = (status: string) =>
        call('rpcf_rfw_queue_report', { time_start: 0, time_end: 2_000_000_000, router_id: fw, status });
      const FIELDS = ['rule_id', 'event', 'status', 'exit_code', 'attempts', 'command', 'stderr'] as const;
      /** The report's rows of User added (journal entries may add Store user log rows at any time). */
      const userAdds = async (status: string) => {
        const r = await report(status);
        return Array.from({ length: Number(r.get('count')) }, (_, i) => FIELDS.map((n) => r.get(n, [i]))).filter(
          (row) => row[1] === 'user_add',
        );
      };
      // The user adds above queued their own commands (User added is raised where users are added).
      const before = (await userAdds('')).length;
      const r = (await client.call(RFW_METHOD.SYNC, { flags: ['users'] }, 10_000)) as RfwSyncResult;
      assert.equal(r.queued, 2, 'one command per user');
      await waitFor(async () => (await report('pending')).get('count') === '0', 10_000, 'delivered');
      assert.equal((await userAdds('')).length, before + 2);
      const failed = await userAdds('failed');
      assert.ok(failed.length >= 1);
      for (const row of failed)
        assert.deepEqual(row, [String(rule), 'user_add', 'failed', '4', '3', 'echo user bob 2', 'no such set']);
      assert.ok((await userAdds('ok')).every((row) => row[5] === 'echo user alice 1'));
      const out = await run('rfw_queue_report', { time_start: 0, time_end: 2_000_000_000, status: 'failed' });
      assert.match(out, /name="command" index="0" value="echo user bob 2"/, 'the action script shows it');
    } finally {
      await client.stop();
    }
  });

  test('a firewall no rule or IP group uses is removed', async () => {
    assert.equal((await call('rpcf_del_fwrule_new', { rule_id: rule })).get('result'), '0');
    assert.equal((await call('rpcf_del_router', { router_id: fw })).get('router_code'), '0');
    assert.equal((await call('rpcf_get_routers_list')).get('routers_size'), '0');
  });
});
