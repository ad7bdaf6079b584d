import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger } from '@utm5/common';
import { RADIUS_CALL, SESSION_COMMAND_CODE as CODE, type NasWire } from '@utm5/protocol';
import type { DaeClient } from './dae-client';
import { SessionCommands } from './session-commands';
import { SessionTable, type OpenSession } from './sessions';
import { RadiusState } from './state';

const NAS: NasWire = {
  id: 1,
  name: 'nas1',
  ip: '10.0.0.1',
  secret: 's',
  daePort: 3799,
  daeSecret: '',
  coa: false,
  attrs: [],
};
const session = (sid: string): OpenSession => ({
  key: SessionTable.key(NAS.ip, sid),
  login: 'bob',
  slinkId: 1,
  accountId: 2,
  userId: 3,
  dealerId: 0,
  serviceId: 4,
  framedIp: '10.9.0.1',
  startedAt: 0,
  lastSeen: 0,
});

function setUp(verdict: 'ack' | 'nak' | 'timeout') {
  const state = new RadiusState();
  state.apply('radius_nas', [NAS]);
  const sessions = new SessionTable(undefined, 10);
  sessions.add(session('s1'));
  const sent: { nas: string; login: string; key: string; framedIp: string }[] = [];
  const dm = {
    disconnect: async (nas: NasWire, s: Pick<OpenSession, 'key' | 'login' | 'framedIp'>) => {
      sent.push({ nas: nas.ip, key: s.key, login: s.login, framedIp: s.framedIp });
      return verdict;
    },
  };
  const cmds = new SessionCommands({
    state,
    sessions,
    dm: dm as unknown as DaeClient,
    forget: (k) => sessions.remove(k, true),
    log: nullLogger,
  });
  return { cmds, sessions, sent };
}

test("disconnect: the NAS's ACK, NAK or silence is the answer; an unknown NAS is refused without a packet", async () => {
  const args = { nas: NAS.ip, sid: 's1', login: 'bob', framedIp: '10.9.0.1' };
  for (const [verdict, code] of [
    ['ack', CODE.DONE],
    ['nak', CODE.NAS_REFUSED],
    ['timeout', CODE.NAS_TIMEOUT],
  ] as const) {
    const { cmds, sent } = setUp(verdict);
    assert.deepEqual(await cmds.disconnect(args), { code }, verdict);
    assert.deepEqual(sent, [{ nas: NAS.ip, key: '10.0.0.1|s1', login: 'bob', framedIp: '10.9.0.1' }]);
  }
  const { cmds, sent } = setUp('ack');
  assert.deepEqual(await cmds.disconnect({ ...args, nas: '10.0.0.9' }), { code: CODE.NO_NAS });
  // A session the core knows and this daemon does not is named by what the core sent.
  assert.deepEqual(await cmds.disconnect({ ...args, sid: 'other', login: 'alice', framedIp: '' }), { code: CODE.DONE });
  assert.deepEqual(sent, [{ nas: NAS.ip, key: '10.0.0.1|other', login: 'alice', framedIp: '' }]);
});

test('drop: the session stops counting here and is remembered as closed; the handlers check their arguments', async () => {
  const { cmds, sessions } = setUp('ack');
  const h = cmds.handlers();
  assert.deepEqual(Object.keys(h).sort(), [RADIUS_CALL.DISCONNECT, RADIUS_CALL.DROP].sort());
  assert.deepEqual(await h[RADIUS_CALL.DROP]!({ nas: NAS.ip, sid: 's1', login: 'bob', framedIp: '' }), {
    code: CODE.DONE,
  });
  assert.equal(sessions.size, 0);
  assert.equal(sessions.count('account', 2), 0);
  assert.ok(sessions.isClosed('10.0.0.1|s1'));
  assert.deepEqual(await h[RADIUS_CALL.DROP]!({ nas: NAS.ip, sid: 's1', login: 'bob', framedIp: '' }), {
    code: CODE.NO_SESSION,
  });
  await assert.rejects(h[RADIUS_CALL.DISCONNECT]!({ nas: NAS.ip }), /needs nas, sid, login and framedIp/);
});
