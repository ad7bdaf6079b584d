import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INIT, testCore, type TestCore } from '../testing/core-fixture';

// inject runs handlers through their api.xml layouts without a socket: these cases would fail if the layouts, the
// rights check or the refusal paths of the in-process call broke.
describe('URFA inject', () => {
  let t: TestCore;
  before(async () => {
    t = await testCore();
  });
  after(async () => t.done());

  const user = { login: 'alice', password: 'pw-1', full_name: 'Alice A.', groups: [] as number[] };

  it('adds a user and reads it back by id and by name, as a client decodes the outputs', async () => {
    const added = await t.inject('rpcf_add_user_new', user, INIT);
    assert.equal(added.error, undefined);
    const id = Number(added.get('user_id'));
    assert.ok(id > 0);
    assert.ok(Number(added.get('basic_account')) > 0);
    const info = await t.inject(0x2006, { user_id: id }, INIT);
    assert.equal(info.get('login'), 'alice');
    assert.equal(info.get('full_name'), 'Alice A.');
    const found = await t.inject('rpcf_search_users_lite', { login: 'lic', email: '', fname: '' }, INIT);
    assert.equal(found.get('show_count'), '1');
    assert.equal(found.get('login', 0), 'alice');
  });

  it('reports a refused change in the data, with the <error> tag a client sees', async () => {
    const again = await t.inject('rpcf_add_user_new', user, INIT);
    assert.equal(again.get('user_id'), '0');
    assert.equal(again.get('error_code'), '1');
    assert.equal(again.error?.code, 10);
  });

  it('refuses unknown functions, forbidden calls, unknown and missing inputs', async () => {
    await assert.rejects(t.inject('rpcf_no_such_function', {}, INIT), { code: 'UTM_URFA_UNKNOWN_FUNCTION' });
    const customer = { kind: 'customer', id: 1, login: 'alice' } as const;
    await assert.rejects(t.inject('rpcf_add_user_new', user, customer), { code: 'UTM_URFA_FORBIDDEN' });
    await assert.rejects(t.inject('rpcf_get_userinfo', { user_id: 1, usr_id: 2 }, INIT), /no input 'usr_id'/);
    await assert.rejects(t.inject('rpcf_get_userinfo', {}, INIT), { code: 'UTM_URFA_BAD_INPUT', message: /user_id/ });
  });
});
