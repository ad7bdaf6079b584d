import { join } from 'node:path';
import { TestClock, loadConfigText, nullLogger, type RootLogger } from '@utm5/common';
import { freePort, tempDir } from '@utm5/common/testing';
import type { Backend } from '@utm5/db/testing';
import { coreConfig } from '../config/core-config';
import { Core } from '../core';
import type { BillingEvent } from '../events/billing-events';
import { emptyProfile } from '../billing/users/user-profile';
import { eventMask, type FwEventKey } from '../rfw/fw-events';
import type { FwRuleDef } from '../rfw/rule-repo';
import { ACCOUNT, ADMIN, T0 } from './billing-fixture';

export interface RfwQueueRow {
  readonly id: number;
  readonly routerId: number;
  readonly ruleId: number;
  readonly event: string;
  readonly orderKey: string;
  readonly argv: string[];
  readonly status: string | null;
  readonly exitCode: number | null;
  readonly attempts: number;
  readonly stderr: string | null;
}

/**
 * The whole core in process on a backend's fresh database (test clock at 2003-04-01, Stream on a free loopback port,
 * no URFA listener), for the firewall-rule tests: set data up, raise billing events, read rfw_queue, restart.
 */
export interface RfwTestCore {
  core: Core;
  readonly clock: TestClock;
  readonly streamPort: number;
  /** Lines the core logged at WARN and above. */
  readonly warnings: string[];
  /** Raises a billing event in a transaction of its own (rolled back when `rollback`). */
  emit(ev: BillingEvent, rollback?: boolean): Promise<void>;
  user(o?: {
    login?: string;
    email?: string;
    fullName?: string;
    groups?: number[];
  }): Promise<{ userId: number; accountId: number }>;
  /** An IP traffic service link of the account with these IP groups (ip/bits). */
  ipLink(accountId: number, groups: { ip: string; mask?: number; login?: string; mac?: string }[]): Promise<number>;
  /** A tariff linked to the account as its current tariff. */
  tariff(accountId: number): Promise<number>;
  group(id: number): Promise<number>;
  firewall(name: string): Promise<number>;
  rule(events: FwEventKey[], rule: string, o?: Partial<FwRuleDef>): Promise<number>;
  queue(): Promise<RfwQueueRow[]>;
  /** Stops the core and opens it again on the same database and key. */
  restart(): Promise<void>;
  done(): Promise<void>;
}

export async function rfwTestCore(backend: Backend, name: string): Promise<RfwTestCore> {
  const t = tempDir('utm5-rfw-');
  const streamPort = await freePort();
  const text = Object.entries({
    database_type: 'sqlite',
    database: join(t.dir, 'utm5.db'),
    stream_bind_host: '127.0.0.1',
    secret_key_file: join(t.dir, 'utm5.key'),
    ssl_cert_file: join(t.dir, 'cert.crt'),
    ssl_privkey_file: join(t.dir, 'key.pem'),
    core_pid_file: join(t.dir, 'core.pid'),
    test_clock: 'enable',
    timezone: 'UTC',
  })
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const config = {
    ...loadConfigText(coreConfig, join(t.dir, 'utm5.cfg'), text).values,
    ...backend.fresh(name),
    urfa_bind_host: [],
    stream_bind_port: streamPort,
  };
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const logger = { ...nullLogger, warn, error: warn, crit: warn, child: () => logger };
  const log: RootLogger = { ...logger, addSecret() {}, reopen() {}, close() {} };
  const clock = new TestClock(T0);
  const open = async () => {
    const c = await Core.open({ config, log, clock });
    await c.start();
    return c;
  };
  let n = 0;
  const f: RfwTestCore = {
    core: await open(),
    clock,
    streamPort,
    warnings,
    async emit(ev, rollback = false) {
      const undo = new Error('rolled back by the test');
      try {
        await f.core.db.tx(async (trx) => {
          await f.core.events.emit(trx, ev, clock.now());
          if (rollback) throw undo;
        });
      } catch (err) {
        if (err !== undo) throw err;
      }
    },
    async user(o = {}) {
      n++;
      return f.core.billing.users.add(ADMIN, {
        login: o.login ?? `user${n}`,
        password: `pw${n}`,
        profile: { ...emptyProfile(810), email: o.email ?? '', full_name: o.fullName ?? '' },
        params: [],
        groups: o.groups ?? [],
        account: { ...ACCOUNT },
      });
    },
    async ipLink(accountId, groups) {
      const k = f.core.db.knex;
      const acc = await k('accounts').where({ id: accountId }).first('user_id');
      const [serviceId] = await k('services').insert({ name: `ip${++n}`, service_type: 3, status: 0 });
      const [slinkId] = await k('service_links').insert({
        account_id: accountId,
        user_id: acc.user_id,
        service_id: serviceId,
        start_date: clock.now(),
        created_at: clock.now(),
      });
      const rows = groups.map((g) => ({
        slink_id: slinkId,
        ip: g.ip,
        mask: g.mask ?? 32,
        login: g.login ?? '',
        mac: g.mac ?? '',
      }));
      for (let i = 0; i < rows.length; i += 100) await k('ip_groups').insert(rows.slice(i, i + 100));
      return Number(slinkId);
    },
    async tariff(accountId) {
      const k = f.core.db.knex;
      const now = clock.now();
      const acc = await k('accounts').where({ id: accountId }).first('user_id');
      const [tariffId] = await k('tariffs').insert({
        name: `t${++n}`,
        create_date: now,
        who_create: -1,
        change_date: now,
        who_change: -1,
      });
      await k('tariff_links').insert({
        account_id: accountId,
        user_id: acc.user_id,
        tariff_current: tariffId,
        tariff_next: tariffId,
        discount_period_id: 0,
        link_date: now,
      });
      return Number(tariffId);
    },
    async group(id) {
      await f.core.db.knex('user_groups').insert({ id, name: `g${id}` });
      return id;
    },
    firewall: (fwName) =>
      f.core.rfw.firewalls.put(0, { type: 0, name: fwName, ip: '0.0.0.0', login: '', password: '', comment: '' }),
    rule: (events, rule, o = {}) =>
      f.core.rfw.rules.add(
        {
          flags: 1,
          events: eventMask(events),
          routerId: 0,
          tariffId: 0,
          groupId: 0,
          userId: 0,
          rule,
          comment: '',
          ...o,
        },
        clock.now(),
      ),
    async queue() {
      const rows: Record<string, unknown>[] = await f.core.db.knex('rfw_queue').orderBy('id');
      return rows.map((r) => ({
        id: Number(r['id']),
        routerId: Number(r['router_id']),
        ruleId: Number(r['rule_id']),
        event: String(r['event']),
        orderKey: String(r['order_key']),
        argv: JSON.parse(String(r['argv'])) as string[],
        status: r['status'] === null ? null : String(r['status']),
        exitCode: r['exit_code'] === null ? null : Number(r['exit_code']),
        attempts: Number(r['attempts']),
        stderr: r['stderr'] === null ? null : String(r['stderr']),
      }));
    },
    async restart() {
      await f.core.stop();
      f.core = await open();
    },
    async done() {
      await f.core.stop();
      t.cleanup();
    },
  };
  return f;
}
