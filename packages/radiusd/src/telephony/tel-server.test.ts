import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nullLogger } from '@utm5/common';
import { StreamCallError, TEL_CALL, TEL_CALL_KIND, type TelAuthorizeArgs } from '@utm5/protocol';
import { encodeRequest } from '@utm5/radius';
import { parseRequest, type RequestView } from '../server/wire';
import type { TelOptions } from './tel-requests';
import { TelephonyServer, type TelCore } from './tel-server';

const SECRET = 'tel-server-secret';
const request = (
  attrs: Parameters<typeof encodeRequest>[1],
  code: 'Access-Request' | 'Accounting-Request',
): RequestView => {
  const r = parseRequest(encodeRequest(code, attrs, SECRET), Buffer.from(SECRET));
  if ('error' in r) throw new Error(r.error);
  return r;
};
const OPTS: TelOptions = {
  loginFromRemoteAddress: false,
  extendedRegistration: false,
  nasPorts: [],
  sessionTimeout: 3600,
  currency: 'USD',
  returnCodePositive: false,
  sendXpgkEpNumber: false,
  sendIvrIn: false,
  originReject: undefined,
  rewriteLoginAnswer: false,
  rewriteLoginOriginate: false,
  incomingTrunk: undefined,
  outgoingTrunk: undefined,
  pbxId: undefined,
};
const NAS = { ip: '10.0.0.1', name: 'gw' };

class FakeCore implements TelCore {
  asked: { method: string; args: TelAuthorizeArgs }[] = [];
  sent: { kind: string; items: unknown[]; seq?: number }[] = [];
  answer: () => Promise<unknown> = async () => ({
    accepted: true,
    code: 0,
    creditTime: 90,
    creditAmount: 3,
    numbers: [],
  });
  commit = true;
  private seq = 0;
  call(method: string, args: unknown): Promise<unknown> {
    this.asked.push({ method, args: args as TelAuthorizeArgs });
    return this.answer();
  }
  send(kind: string, items: unknown[], opts: { seq?: number; onSequenced?: (seq: number) => void }): Promise<void> {
    const seq = opts.seq ?? ++this.seq;
    if (opts.seq === undefined) opts.onSequenced?.(seq);
    this.sent.push({ kind, items, seq });
    return this.commit ? Promise.resolve() : new Promise(() => undefined);
  }
}

test('an Access-Request is asked of the core and answered with its credit time; a core away refuses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-tel-'));
  try {
    const core = new FakeCore();
    const tel = new TelephonyServer(OPTS, dir, core, nullLogger);
    const req = request(
      [
        { name: 'User-Name', value: 'alice' },
        { name: 'User-Password', value: 'pw' },
        { name: 'Calling-Station-Id', value: '100' },
        { name: 'Called-Station-Id', value: '200' },
        { name: 'h323-conf-id', value: 'c1' },
      ],
      'Access-Request',
    );
    const got = await new Promise<string>((resolve) =>
      tel.authorize(req, NAS, {
        accept: (attrs) => resolve(`accept ${attrs.map((a) => a.value).join(',')}`),
        reject: (why) => resolve(`reject ${why}`),
        drop: (why) => resolve(`drop ${why}`),
      }),
    );
    assert.equal(core.asked[0]!.method, TEL_CALL.AUTHORIZE);
    assert.equal(core.asked[0]!.args.sessionTimeout, 3600);
    assert.match(got, /^accept .*h323-credit-time=90/);
    core.answer = () => Promise.reject(new StreamCallError('offline', TEL_CALL.AUTHORIZE, 'down'));
    const away = await new Promise<string>((resolve) =>
      tel.authorize(req, NAS, {
        accept: () => resolve('accept'),
        reject: (why) => resolve(`reject ${why}`),
        drop: () => resolve('drop'),
      }),
    );
    assert.match(away, /^reject .*could not be authorized/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Start/Stop are answered once spooled, sent as tel_call records, and resent under their number after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'utm5-tel-'));
  try {
    const core = new FakeCore();
    core.commit = false; // the core never acknowledges: the batch stays on disk
    const tel = new TelephonyServer(OPTS, dir, core, nullLogger);
    tel.open();
    const stop = request(
      [
        { name: 'Acct-Status-Type', value: 'Stop' },
        { name: 'User-Name', value: 'alice' },
        { name: 'Acct-Session-Time', value: 30 },
        { name: 'h323-conf-id', value: 'h323-conf-id=c1' },
        { name: 'h323-call-origin', value: 'h323-call-origin=originate' },
      ],
      'Accounting-Request',
    );
    let answered = 0;
    tel.account(stop, 'stop', NAS.ip, 1000, () => answered++);
    tel.account(stop, 'interim', NAS.ip, 1000, () => answered++);
    assert.equal(answered, 1, 'Interim-Update answered at once, nothing recorded');
    tel.flush();
    assert.equal(answered, 2);
    assert.equal(core.sent.length, 1);
    assert.equal(core.sent[0]!.kind, TEL_CALL_KIND);
    assert.equal((core.sent[0]!.items[0] as { uid: string }).uid, 'c1/originate');
    const again = new FakeCore();
    new TelephonyServer(OPTS, dir, again, nullLogger).open();
    assert.equal(again.sent.length, 1);
    assert.equal(again.sent[0]!.seq, core.sent[0]!.seq, 'the same sequence number: the core applies it once');
    await new Promise((r) => setImmediate(r)); // the acknowledgement settles
    const third = new FakeCore();
    new TelephonyServer(OPTS, dir, third, nullLogger).open();
    assert.equal(third.sent.length, 0, 'acknowledged by the second run: removed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
