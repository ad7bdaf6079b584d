import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SecretBox, TestClock, nullLogger } from '@utm5/common';
import { tempDir } from '@utm5/common/testing';
import { openDatabase, verifyDatabase } from '@utm5/db';
import { sqliteSettings } from '@utm5/db/testing';
import { SystemUserService } from './system-user-service';

async function service() {
  const t = tempDir();
  const db = await openDatabase(sqliteSettings(join(t.dir, 'u.db')));
  await verifyDatabase(db, { verifyDatabase: true, verifyIndexes: false });
  const svc = new SystemUserService(db, SecretBox.fromKeyFile(join(t.dir, 'k')), new TestClock(1000), nullLogger);
  await svc.start();
  return {
    svc,
    db,
    done: async () => {
      await db.close();
      t.cleanup();
    },
  };
}

test('the default system users and groups exist, with encrypted passwords', async () => {
  const { svc, db, done } = await service();
  try {
    assert.deepEqual(
      svc.listUsers().map((u) => [u.id, u.login]),
      [
        [-1, 'init'],
        [-2, 'web'],
        [-3, 'radius'],
        [-4, 'rfw'],
        [-5, 'dhcp'],
        [-6, 'collector'],
      ],
    );
    assert.deepEqual(
      svc.listGroups().map((g) => g.name),
      ['Wheel', 'Dealers'],
    );
    assert.deepEqual(svc.byLogin('init')!.groups, [1]);
    const row = await db.knex('system_users').where({ login: 'init' }).first();
    assert.ok(!String(row.password_enc).includes('init'), 'password not stored in clear');
    assert.equal(svc.passwordOf(svc.byLogin('init')!), 'init');
  } finally {
    await done();
  }
});

test('init with its default password logs in from loopback only', async () => {
  const { svc, done } = await service();
  try {
    const ok = svc.checkLogin('init', '127.0.0.1');
    assert.equal(ok.ok, true);
    assert.equal(ok.ok && ok.password, 'init');
    assert.equal(svc.checkLogin('init', '::1').ok, true);
    assert.equal(svc.checkLogin('init', '::ffff:127.0.0.1').ok, true);
    const refused = svc.checkLogin('init', '10.0.0.1');
    assert.equal(refused.ok, false);
    assert.match(!refused.ok ? refused.reason : '', /default password and may log in from loopback only/);
    const u = svc.byLogin('init')!;
    await svc.editUser({ ...u, password: 'n3w-Pass' });
    assert.equal(svc.checkLogin('init', '10.0.0.1').ok, true, 'allowed once the password changed');
  } finally {
    await done();
  }
});

test('allowed subnets are enforced for IPv4 and IPv6, at the edges', async () => {
  const { svc, done } = await service();
  try {
    const id = await svc.addUser({
      login: 'cashier',
      password: 'pw-123456',
      ip4: '192.168.1.0',
      mask4: 24,
      ip6: '2001:db8::',
      mask6: 32,
      groups: [1],
    });
    assert.equal(id, -7);
    assert.equal(svc.checkLogin('cashier', '192.168.1.255').ok, true);
    assert.equal(svc.checkLogin('cashier', '192.168.2.1').ok, false);
    assert.equal(svc.checkLogin('cashier', '2001:db8:ffff::1').ok, true);
    assert.equal(svc.checkLogin('cashier', '2001:db9::1').ok, false);
    assert.equal(svc.checkLogin('nobody', '127.0.0.1').ok, false);
    await assert.rejects(
      svc.addUser({ login: 'cashier', password: 'x', ip4: '0.0.0.0', mask4: 0, ip6: '::', mask6: 0, groups: [] }),
      /already exists/,
    );
    await assert.rejects(
      svc.addUser({ login: 'bad login', password: 'x', ip4: '0.0.0.0', mask4: 0, ip6: '::', mask6: 0, groups: [] }),
      /must be 1-64 letters/,
    );
    await assert.rejects(
      svc.addUser({ login: 'g', password: 'x', ip4: '0.0.0.0', mask4: 33, ip6: '::', mask6: 0, groups: [] }),
      /mask4 must be 0\.\.32/,
    );
    await assert.rejects(svc.removeUser(-1), /cannot be removed/);
  } finally {
    await done();
  }
});

test('permissions follow current group membership', async () => {
  const { svc, done } = await service();
  try {
    const p = svc.principalOf(svc.byLogin('web')!);
    assert.equal(svc.permitted(p, 0x4417), true);
    const web = svc.byLogin('web')!;
    await svc.editUser({ ...web, password: '', groups: [2] });
    assert.equal(svc.permitted(p, 0x4417), false, 'removed from Wheel mid-session');
    assert.equal(svc.passwordOf(svc.byLogin('web')!), 'web', 'empty password keeps the old one');
  } finally {
    await done();
  }
});
