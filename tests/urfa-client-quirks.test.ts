import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UrfaClient, encodeScalar, decodeScalar } from '@utm5/protocol';
import { UrfaApi } from '@utm5/urfaclient';
import { createCore, type CoreInstance } from './helpers/core-instance';
import { ROOT } from './helpers/paths';

const API = join(ROOT, 'xml', 'api.xml');

// What public third-party URFA clients send that the 5.3 api.xml does not say, against the real core.
describe('URFA as third-party clients speak it', () => {
  let core: CoreInstance;
  let api: UrfaApi;

  before(async () => {
    core = await createCore({ config: { timezone: 'UTC' } });
    api = await UrfaApi.open(API, { host: '127.0.0.1', port: core.urfaPort, login: 'init', password: 'init' });
  });
  after(async () => {
    await api.close();
    await core.cleanup();
  });

  test('login type 0 (and none) with a system login logs in as that system user', async () => {
    for (const loginType of [0, undefined]) {
      const c = await UrfaClient.connect({
        host: '127.0.0.1',
        port: core.urfaPort,
        login: 'init',
        password: 'init',
        sslMode: 0,
        ...(loginType === undefined ? {} : { loginType }),
      });
      // rpcf_core_version (0x45) is a system function: a customer principal would be refused.
      const out = await c.callRaw(0x45, []);
      assert.match(out[0]!.toString(), /UTM5-TS/);
      await c.close();
    }
  });

  test('login type 0: a customer of the same login as a system user wins when the customer password is given', async () => {
    await api.call('rpcf_add_user_new', { login: 'init', password: 'cust-pw' });
    const c = await UrfaClient.connect({
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'cust-pw',
      sslMode: 0,
      loginType: 0,
    });
    const info = await c.callRaw(-0x4052, []);
    assert.equal(decodeScalar('string', info[1]!), 'init', 'rpcf_user5_get_user_info answers for the customer');
    await c.close();
  });

  test('rpcf_add_account takes external_id as a string (an empty one as 0 bytes) or as the integer', async () => {
    const user = Number((await api.call('rpcf_add_user_new', { login: 'ext', password: 'x' })).get('user_id'));
    const c = await UrfaClient.connect({
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'init',
      password: 'init',
      sslMode: 0,
    });
    const add = async (ext: Buffer) => {
      const head = [user, 1, 0].map((v) => encodeScalar('integer', String(v)));
      const money = [0, 0, 0, 0].map((v) => encodeScalar('double', String(v)));
      const flags = [1, 0, 1].map((v) => encodeScalar('integer', String(v)));
      const out = await c.callRaw(0x1510a, [...head, ...money, ...flags, ext]);
      return Number(decodeScalar('integer', out[0]!));
    };
    const ids = [
      await add(Buffer.from('ACC-77', 'utf8')),
      await add(Buffer.alloc(0)),
      await add(encodeScalar('integer', '4242')),
    ];
    assert.ok(
      ids.every((id) => id > 0),
      `accounts created: ${ids.join(', ')}`,
    );
    await c.close();
    const ext = async (id: number) =>
      (await api.call('rpcf_get_accountinfo', { account_id: id })).get('external_id') ?? '';
    assert.deepEqual([await ext(ids[0]!), await ext(ids[1]!), await ext(ids[2]!)], ['ACC-77', '', '4242']);
  });

  test('the cabinet reads its accounts (rpcf_user5_get_accounts_new) and the currencies', async () => {
    await api.call('rpcf_add_user_new', { login: 'cab', password: 'cab-pw' });
    const cust = await UrfaApi.open(API, {
      host: '127.0.0.1',
      port: core.urfaPort,
      login: 'cab',
      password: 'cab-pw',
      loginType: 0,
    });
    const accs = await cust.call('rpcf_user5_get_accounts_new');
    assert.equal(accs.get('accounts_size'), '1');
    assert.deepEqual([accs.get('internet_status', [0]), accs.get('block_status', [0])], ['1', '0']);
    const cur = await cust.call('rpcf_user5_get_currency_list');
    assert.ok(Number(cur.get('currency_size')) >= 1);
    await cust.close();
  });
});
