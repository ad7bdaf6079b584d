import { TestClockStore } from './clock/test-clock-store';
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import {
  Registry,
  SecretBox,
  ServiceHost,
  systemTimeZone,
  type Clock,
  type RootLogger,
  type Service,
} from '@utm5/common';
import { openDatabase, verifyDatabase, type Database } from '@utm5/db';
import type { SessionStore } from '@utm5/protocol';
import type { CoreConfig } from './config/core-config';
import { composeCore, type CoreGraph, type ProtocolCounters } from './compose';
import type { WritePause } from './archive/write-pause';
import { checkArchives } from './archive/archive-check';
import type { JournalActor } from './journal/journal';
import type { LoginResolvers } from './login/login-lookup';
import { TcpListener, type ConnectionHandle } from './net/tcp-listener';
import type { Scheduler } from './scheduler/scheduler';
import type { StreamHub } from './stream/stream-hub';
import type { Principal } from './system-users/principal';
import type { SystemUserService } from './system-users/system-user-service';
import type { SystemParameterService } from './settings/system-parameters';
import type { Billing } from './billing/billing';
import type { Tariffication } from './tariffication/engine';
import type { TrafficModule } from './traffic/traffic-module';
import type { RadiusModule } from './radius/radius-module';
import type { ShapingModule } from './shaping/shaping-module';
import type { TelephonyModule } from './telephony/telephony-module';
import type { FirewallModule } from './rfw/firewall-module';
import type { DhcpModule } from './dhcp/dhcp-module';
import type { DocumentsModule } from './documents/documents-module';
import type { MailModule } from './notifications/mail-module';
import type { BillingEvents } from './events/billing-events';
import type { ReportRepo } from './reports/report-repo';
import type { FunctionRegistry } from './urfa/registry';
import { CoreMetrics } from './metrics/core-metrics';
import { loadOrCreateTls } from './urfa/tls-material';
import { urfaProtocol } from './urfa/urfa-protocol';

export interface CoreDeps {
  readonly config: CoreConfig;
  readonly log: RootLogger;
  readonly clock: Clock;
  /** Where the core's metrics go (utm5_core's /metrics); a private registry when not given. */
  readonly metrics?: Registry;
}

/** A listener's per-connection protocol handler. */
export type ConnectionFactory = (socket: Socket, peer: string) => ConnectionHandle;

/**
 * The billing core. `Core.open()` opens and verifies the database, loads the secret key and the URFA certificate,
 * and builds the object graph (composeCore); `start()` starts the modules in order (they load what they keep in
 * memory and arm their timers), then opens the listeners; `stop()` undoes it in reverse and closes the database.
 */
export class Core implements CoreGraph {
  readonly config: CoreConfig;
  readonly log: RootLogger;
  readonly clock: Clock;
  readonly timezone: string;
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly tls: SecureContext;
  readonly counters: ProtocolCounters;
  readonly journal: (who: JournalActor, peer: string, action: string, details: string, userId?: number) => void;
  readonly systemUsers: SystemUserService;
  readonly scheduler: Scheduler;
  readonly stream: StreamHub;
  readonly params: SystemParameterService;
  readonly billing: Billing;
  readonly tariffication: Tariffication;
  readonly traffic: TrafficModule;
  readonly radius: RadiusModule;
  readonly shaping: ShapingModule;
  readonly telephony: TelephonyModule;
  readonly events: BillingEvents;
  readonly rfw: FirewallModule;
  readonly dhcp: DhcpModule;
  readonly documents: DocumentsModule;
  readonly mail: MailModule;
  readonly reports: ReportRepo;
  readonly functions: FunctionRegistry;
  readonly urfaSessions: SessionStore<Principal>;
  readonly writePause: WritePause;
  readonly clockStore: TestClockStore;
  readonly loginResolvers: LoginResolvers;
  readonly services: readonly Service[];
  readonly hupDuties: readonly (() => Promise<void>)[];
  readonly metrics: CoreMetrics;
  private readonly host: ServiceHost;
  private stopped = false;

  private constructor(g: CoreGraph, metrics: CoreMetrics) {
    ({
      config: this.config,
      log: this.log,
      clock: this.clock,
      timezone: this.timezone,
      db: this.db,
      secrets: this.secrets,
      tls: this.tls,
      counters: this.counters,
      journal: this.journal,
      systemUsers: this.systemUsers,
      scheduler: this.scheduler,
      stream: this.stream,
      params: this.params,
      billing: this.billing,
      tariffication: this.tariffication,
      traffic: this.traffic,
      radius: this.radius,
      shaping: this.shaping,
      telephony: this.telephony,
      events: this.events,
      rfw: this.rfw,
      dhcp: this.dhcp,
      documents: this.documents,
      mail: this.mail,
      reports: this.reports,
      functions: this.functions,
      urfaSessions: this.urfaSessions,
      writePause: this.writePause,
      clockStore: this.clockStore,
      loginResolvers: this.loginResolvers,
      services: this.services,
      hupDuties: this.hupDuties,
    } = g);
    this.metrics = metrics;
    metrics.watch(this);
    this.host = new ServiceHost([...g.services, ...this.listeners()], g.log);
  }

  /** Opens the database and what the core reads at start, and builds the core; nothing listens yet. */
  static async open(deps: CoreDeps): Promise<Core> {
    const { config, log, clock } = deps;
    const dbLog = log.child({ component: 'db' });
    const metrics = new CoreMetrics(deps.metrics ?? new Registry());
    const db = metrics.timedDatabase(await openDatabase(config, dbLog));
    try {
      const report = await verifyDatabase(db, {
        verifyDatabase: config.verify_database,
        verifyIndexes: config.verify_database_index,
        verificatorLog: config.log_file_verificator,
        log: dbLog,
        now: () => clock.now(),
      });
      for (const p of report.parametersAdded) dbLog.info(`system parameter ${p} added with its default`);
      if (config.verify_archive_tables) await checkArchives(db, clock.now(), dbLog);
      log.info(`database ${db.where} ready`);
      // Before anything is armed on it: a test installation resumes at its own time, not the wall clock's.
      await new TestClockStore(db).restore(clock, log);
      const secrets = SecretBox.fromKeyFile(config.secret_key_file);
      const tls = await loadOrCreateTls(
        config.ssl_cert_file,
        config.ssl_privkey_file,
        config.ssl_privkey_passphrase,
        log,
      );
      return new Core(
        composeCore({ config, log, clock, db, secrets, tls, timezone: config.timezone ?? systemTimeZone() }),
        metrics,
      );
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  private listeners(): Service[] {
    const { config, log } = this;
    const out: Service[] = [];
    if (config.urfa_bind_host.length > 0) {
      out.push(
        new TcpListener({
          name: 'URFA',
          hosts: config.urfa_bind_host,
          port: config.urfa_bind_port,
          maxConnections: config.urfa_max_connections,
          configHint: 'urfa_bind_host/urfa_bind_port',
          log: log.child({ component: 'urfa' }),
          onConnection: urfaProtocol(this),
        }),
      );
    } else {
      log.notice('URFA server disabled: no urfa_bind_host in the configuration');
    }
    out.push(
      new TcpListener({
        name: 'Stream',
        hosts: [config.stream_bind_host],
        port: config.stream_bind_port,
        maxConnections: config.stream_max_connections,
        configHint: 'stream_bind_host/stream_bind_port',
        log: log.child({ component: 'stream' }),
        onConnection: this.stream.factory(),
      }),
    );
    return out;
  }

  /** Starts the modules in order, then the listeners; a failure stops what started and closes the database. */
  async start(): Promise<void> {
    try {
      await this.host.start();
    } catch (err) {
      await this.db.close();
      this.stopped = true;
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.host.stop();
    await this.db.close();
  }

  /** SIGHUP duties (the daemon runner has already reopened the logs). */
  async hup(): Promise<void> {
    for (const fn of this.hupDuties) {
      try {
        await fn();
      } catch (err) {
        this.log.error(`SIGHUP duty failed: ${(err as Error).message}`);
      }
    }
  }
}
