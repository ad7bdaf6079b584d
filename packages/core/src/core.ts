import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import {
  SecretBox, ServiceHost, systemTimeZone, type Clock, type RootLogger, type Service, type TestClock,
} from '@utm5/common';
import { SystemServiceRepo, UserLogRepo, openDatabase, verifyDatabase, type Database } from '@utm5/db';
import type { SessionStore } from '@utm5/protocol';
import type { CoreConfig } from './config/core-config';
import type { LoginResolvers } from './login/login-lookup';
import { TcpListener, type ConnectionHandle } from './net/tcp-listener';
import { Scheduler } from './scheduler/scheduler';
import { StreamHub } from './stream/stream-hub';
import { registerCoreStreams } from './stream/core-streams';
import { registerCoreServices } from './scheduler/core-services';
import type { Principal } from './system-users/principal';
import { SystemUserService } from './system-users/system-user-service';
import { SystemParameterService } from './settings/system-parameters';
import { Billing } from './billing/billing';
import { Tariffication } from './tariffication/engine';
import { TrafficModule } from './traffic/traffic-module';
import { RadiusModule } from './radius/radius-module';
import { ShapingModule } from './shaping/shaping-module';
import { FunctionRegistry } from './urfa/registry';
import { ALL_FUNCTIONS } from './urfa/functions/index';
import { loadOrCreateTls } from './urfa/tls-material';
import { urfaProtocol } from './urfa/urfa-protocol';

export interface CoreDeps {
  readonly config: CoreConfig;
  readonly log: RootLogger;
  readonly clock: Clock;
}

/** A listener's per-connection protocol handler. */
export type ConnectionFactory = (socket: Socket, peer: string) => ConnectionHandle;

/**
 * The billing core: opens and verifies the database, loads what it keeps in memory, starts the scheduler, then opens
 * its listeners. Construction does no I/O; start() does it all, stop() undoes it in reverse.
 */
export class Core {
  db: Database | undefined;
  secrets: SecretBox | undefined;
  systemUsers: SystemUserService | undefined;
  params: SystemParameterService | undefined;
  billing: Billing | undefined;
  tariffication: Tariffication | undefined;
  traffic: TrafficModule | undefined;
  radius: RadiusModule | undefined;
  shaping: ShapingModule | undefined;
  scheduler: Scheduler | undefined;
  stream: StreamHub | undefined;
  tls: SecureContext | undefined;
  urfaSessions: SessionStore<Principal> | undefined;
  urfaListener: TcpListener | undefined;
  streamListener: TcpListener | undefined;
  readonly functions = new FunctionRegistry(ALL_FUNCTIONS);
  /** Customer and dealer logins, registered by the billing engine. */
  readonly loginResolvers: LoginResolvers = {};
  readonly timezone: string;
  /** Malformed input and refused logins per protocol, reported by the protocol_stats service. */
  readonly counters = { urfa: { malformed: 0, loginsRefused: 0 }, stream: { malformed: 0, loginsRefused: 0 } };
  private host: ServiceHost | undefined;
  private readonly hupHandlers: (() => void | Promise<void>)[] = [];

  constructor(private readonly deps: CoreDeps) {
    this.timezone = deps.config.timezone ?? systemTimeZone();
  }

  get config(): CoreConfig {
    return this.deps.config;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get log(): RootLogger {
    return this.deps.log;
  }

  /** SIGHUP duties beyond reopening logs register here. */
  onHup(fn: () => void | Promise<void>): void {
    this.hupHandlers.push(fn);
  }

  /** The core journal: who did what, logged and kept in user_log. Never throws. */
  journal(who: { id: number; login: string }, peer: string, action: string, details: string, userId?: number): void {
    this.log.child({ component: 'journal' }).notice(`${who.login}@${peer}: ${action}: ${details}`);
    if (!this.db) return;
    const ip = peer.replace(/^\[?([^\]]*?)\]?:\d+$/, '$1');
    void new UserLogRepo(this.db).append({
      ts: this.clock.now(), actorId: who.id, actorLogin: who.login, actorIp: ip, action, userId: userId ?? null, details,
    }).catch((err) => this.log.error(`cannot write the journal: ${(err as Error).message}`));
  }

  async start(): Promise<void> {
    const { config, log, clock } = this.deps;
    const dbLog = log.child({ component: 'db' });
    const db = await openDatabase(config, dbLog);
    this.db = db;
    try {
      const report = await verifyDatabase(db, {
        verifyDatabase: config.verify_database,
        verifyIndexes: config.verify_database_index,
        verificatorLog: config.log_file_verificator,
        log: dbLog,
        now: () => clock.now(),
      });
      for (const p of report.parametersAdded) dbLog.info(`system parameter ${p} added with its default`);
      log.info(`database ${db.where} ready`);
      this.secrets = SecretBox.fromKeyFile(config.secret_key_file);
      this.tls = await loadOrCreateTls(config.ssl_cert_file, config.ssl_privkey_file, config.ssl_privkey_passphrase, log);
      this.systemUsers = new SystemUserService(db, this.secrets, clock, log.child({ component: 'sysusers' }));
      this.scheduler = new Scheduler(clock, this.timezone, new SystemServiceRepo(db), log.child({ component: 'scheduler' }));
      this.stream = new StreamHub(this);
      this.params = new SystemParameterService(db, (name, value) =>
        this.stream?.publish({ topic: 'system_parameters', op: 'upsert', key: name, item: { name, value } }));
      this.billing = new Billing({
        db, secrets: this.secrets, clock, log: log.child({ component: 'billing' }), param: (n) => this.params?.get(n),
        cardTariffs: () => this.tariffication?.cardTariffs,
      });
      this.registerBillingLogins(this.billing);
      this.tariffication = new Tariffication({
        db, billing: this.billing, clock, timezone: () => this.timezone, log: log.child({ component: 'tariffication' }), param: (n) => this.params?.get(n),
      });
      this.traffic = new TrafficModule(this);
      this.radius = new RadiusModule(this);
      this.shaping = new ShapingModule(this);
      registerCoreServices(this);
      registerCoreStreams(this);
      if (clock.kind === 'test') (clock as TestClock).onMove((now) => this.stream?.broadcastTime(now));

      const services: Service[] = [this.params, this.systemUsers, this.billing, this.tariffication, this.traffic, this.radius, this.shaping, this.scheduler];
      if (config.urfa_bind_host.length > 0) {
        this.urfaListener = new TcpListener({
          name: 'URFA', hosts: config.urfa_bind_host, port: config.urfa_bind_port,
          maxConnections: config.urfa_max_connections, configHint: 'urfa_bind_host/urfa_bind_port',
          log: log.child({ component: 'urfa' }), onConnection: urfaProtocol(this),
        });
        services.push(this.urfaListener);
      } else {
        log.notice('URFA server disabled: no urfa_bind_host in the configuration');
      }
      this.streamListener = new TcpListener({
        name: 'Stream', hosts: [config.stream_bind_host], port: config.stream_bind_port,
        maxConnections: config.stream_max_connections, configHint: 'stream_bind_host/stream_bind_port',
        log: log.child({ component: 'stream' }), onConnection: this.stream.factory(),
      });
      services.push(this.streamListener);
      this.host = new ServiceHost(services, log);
      await this.host.start();
    } catch (err) {
      await db.close();
      this.db = undefined;
      throw err;
    }
  }

  /** Customers and dealers log in to URFA by their own logins and passwords. */
  private registerBillingLogins(b: Billing): void {
    this.loginResolvers.customer = (login) => {
      const c = b.users.credentials(login);
      return c && { principal: { kind: 'customer', id: c.id, login }, password: c.password };
    };
    this.loginResolvers.dealer = (login, ip) => {
      const d = b.dealers.credentials(login, ip);
      if (!d || 'refused' in d) return d;
      return { principal: { kind: 'dealer', id: d.id, login }, password: d.password };
    };
  }

  async stop(): Promise<void> {
    await this.host?.stop();
    this.host = undefined;
    await this.db?.close();
    this.db = undefined;
  }

  /** SIGHUP duties (the daemon runner has already reopened the logs). */
  async hup(): Promise<void> {
    for (const fn of this.hupHandlers) {
      try {
        await fn();
      } catch (err) {
        this.deps.log.error(`SIGHUP duty failed: ${(err as Error).message}`);
      }
    }
  }
}
