import { TestClockStore } from './clock/test-clock-store';
import type { SecureContext } from 'node:tls';
import type { Clock, RootLogger, SecretBox, Service, TestClock } from '@utm5/common';
import { SystemServiceRepo, UserLogRepo, StreamSenderRepo, type Database } from '@utm5/db';
import { SessionStore, TOPIC } from '@utm5/protocol';
import type { CoreConfig } from './config/core-config';
import { Journal, type JournalActor } from './journal/journal';
import type { LoginResolvers } from './login/login-lookup';
import { Scheduler } from './scheduler/scheduler';
import { registerCoreServices } from './scheduler/core-services';
import { StreamHub } from './stream/stream-hub';
import { registerCoreStreams } from './stream/core-streams';
import type { Principal } from './system-users/principal';
import { SystemUserService } from './system-users/system-user-service';
import { SystemParameterService } from './settings/system-parameters';
import { Billing } from './billing/billing';
import type { CardTariffs } from './billing/cards/card-service';
import { Tariffication } from './tariffication/engine';
import { TrafficModule } from './traffic/traffic-module';
import { RadiusModule } from './radius/radius-module';
import { ShapingModule } from './shaping/shaping-module';
import { TelephonyModule } from './telephony/telephony-module';
import { FirewallModule } from './rfw/firewall-module';
import { DhcpModule } from './dhcp/dhcp-module';
import { DocumentsModule } from './documents/documents-module';
import { MailModule } from './notifications/mail-module';
import { BillingEvents } from './events/billing-events';
import { ReportRepo } from './reports/report-repo';
import { FunctionRegistry } from './urfa/registry';
import { ALL_FUNCTIONS } from './urfa/functions/index';
import { WritePause, pausableDatabase } from './archive/write-pause';

/** What the composition root is built from: everything that needed I/O is already open or loaded. */
export interface CoreGraphDeps {
  readonly config: CoreConfig;
  readonly log: RootLogger;
  readonly clock: Clock;
  readonly timezone: string;
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly tls: SecureContext;
}

/** Malformed input and refused logins per protocol, reported by the protocol_stats service. */
export interface ProtocolCounters {
  readonly urfa: { malformed: number; loginsRefused: number };
  readonly stream: { malformed: number; loginsRefused: number };
}

/** The core's object graph: built once, every member readonly and present. */
export interface CoreGraph {
  readonly config: CoreConfig;
  readonly log: RootLogger;
  readonly clock: Clock;
  readonly timezone: string;
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly tls: SecureContext;
  readonly counters: ProtocolCounters;
  /** Writes the core journal: logged and kept in user_log; never throws. */
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
  /** The billing's events (raised by the modules inside their transactions; the firewall rules listen). */
  readonly events: BillingEvents;
  readonly rfw: FirewallModule;
  readonly dhcp: DhcpModule;
  readonly documents: DocumentsModule;
  readonly mail: MailModule;
  /** Read-only report queries across the billing's tables. */
  readonly reports: ReportRepo;
  readonly functions: FunctionRegistry;
  readonly urfaSessions: SessionStore<Principal>;
  readonly writePause: WritePause;
  /** Where the test clock is kept between restarts. */
  readonly clockStore: TestClockStore;
  readonly loginResolvers: LoginResolvers;
  /** In start order (the listeners come after them); stopped in reverse. */
  readonly services: readonly Service[];
  /** SIGHUP duties beyond reopening the logs. */
  readonly hupDuties: readonly (() => Promise<void>)[];
}

/**
 * The composition root: builds the core's modules in dependency order, each from exactly what it uses, and wires
 * the hooks between them. No I/O happens here; the services' start() does it, in the order of `services`.
 */
export function composeCore(d: CoreGraphDeps): CoreGraph {
  const { config, log, clock, timezone } = d;
  const writePause = new WritePause(log.child({ component: 'archive' }));
  const db = pausableDatabase(d.db, writePause);
  const counters: ProtocolCounters = {
    urfa: { malformed: 0, loginsRefused: 0 },
    stream: { malformed: 0, loginsRefused: 0 },
  };
  const events = new BillingEvents();
  const journal = new Journal(
    new UserLogRepo(db),
    clock,
    log.child({ component: 'journal' }),
    (fn) => db.tx(fn),
    events,
  );
  const systemUsers = new SystemUserService(db, d.secrets, clock, log.child({ component: 'sysusers' }));
  const scheduler = new Scheduler(clock, timezone, new SystemServiceRepo(db), log.child({ component: 'scheduler' }));
  const stream = new StreamHub({
    log: log.child({ component: 'stream' }),
    clock,
    systemUsers,
    counters: counters.stream,
    tls: d.tls,
    senders: new StreamSenderRepo(db),
    tx: (fn) => db.tx(fn),
    settings: {
      tls: config.stream_tls,
      loginTimeoutMs: config.urfa_login_timeout * 1000,
      silenceTimeoutMs: config.stream_silence_timeout * 1000,
    },
  });
  const params = new SystemParameterService(db, (name, value) =>
    stream.publish({ topic: 'system_parameters', op: 'upsert', key: name, item: { name, value } }),
  );
  const param = (n: string) => params.get(n);
  // Card activation links the card's tariff plan: tariffication, built after billing, answers for it.
  const billing: Billing = new Billing({
    db,
    secrets: d.secrets,
    clock,
    log: log.child({ component: 'billing' }),
    param,
    cardTariffs: (): CardTariffs => tariffication.cardTariffs,
    events,
  });
  const tariffication: Tariffication = new Tariffication({
    db,
    billing,
    clock,
    timezone: () => timezone,
    log: log.child({ component: 'tariffication' }),
    param,
  });
  const traffic = new TrafficModule({
    db,
    billing,
    tariffication,
    scheduler,
    stream,
    clock,
    timezone,
    param,
    log: log.child({ component: 'traffic' }),
    nfbuffer: config.nfbuffer_enable
      ? {
          host: config.nfbuffer_host,
          port: config.nfbuffer_port,
          bufsize: config.nfbuffer_bufsize,
          log: log.child({ component: 'nfbuffer' }),
        }
      : undefined,
  });
  tariffication.linkHooks.push(...traffic.linkHooks);
  const radius = new RadiusModule({
    db,
    secrets: d.secrets,
    billing,
    tariffication,
    stream,
    clock,
    timezone,
    log: log.child({ component: 'radius' }),
    accountingTraffic: traffic.accounting,
    ipGroupsChanged: () => traffic.changed(TOPIC.IP_GROUPS),
    events,
  });
  const shaping = new ShapingModule({
    db,
    scheduler,
    stream,
    clock,
    timezone,
    log: log.child({ component: 'shaping' }),
    events,
  });
  traffic.billing.consumed.push((trx, ids) => shaping.afterCommit(trx, ids));
  tariffication.linkHooks.push(shaping.linkHook);
  const telephony = new TelephonyModule({
    db,
    secrets: d.secrets,
    tariffication,
    billing,
    stream,
    clock,
    timezone,
    log: log.child({ component: 'telephony' }),
    events,
  });
  const rfw = new FirewallModule({
    db,
    secrets: d.secrets,
    events,
    stream,
    params,
    scheduler,
    providersChanged: () => traffic.changed(TOPIC.COLLECTORS),
    clock,
    timezone,
    keepSeconds: config.rfw_queue_keep_hours * 3600,
    log: log.child({ component: 'rfw' }),
  });
  const dhcp = new DhcpModule({ db, events, stream, clock, timezone, log: log.child({ component: 'dhcp' }) });
  const documents = new DocumentsModule({
    db,
    events,
    scheduler,
    params,
    clock,
    timezone,
    paths: {
      docPath: config.doc_path,
      tmpPath: config.tmp_path,
      libreofficePath: config.libreoffice_path,
      maxUploadSize: config.max_upload_size,
    },
    log: log.child({ component: 'documents' }),
  });
  // Invoices are issued inside each account's period close.
  tariffication.periodHooks.push(documents.invoicing);

  const mail = new MailModule({
    db,
    events,
    scheduler,
    params,
    documents,
    clock,
    timezone,
    docPath: config.doc_path,
    log: log.child({ component: 'mail' }),
  });

  const urfaSessions = new SessionStore<Principal>(config.urfa_session_timeout, () => clock.now());
  const loginResolvers: LoginResolvers = {
    customer: (login) => {
      const c = billing.users.credentials(login);
      return c && { principal: { kind: 'customer', id: c.id, login }, password: c.password };
    },
    dealer: (login, ip) => {
      const dl = billing.dealers.credentials(login, ip);
      if (!dl || 'refused' in dl) return dl;
      return { principal: { kind: 'dealer', id: dl.id, login }, password: dl.password };
    },
  };
  registerCoreServices({ scheduler, tariffication, urfaSessions, counters, params, journal, log });
  registerCoreStreams({ hub: stream, params, journal });
  if (clock.kind === 'test') (clock as TestClock).onMove((now) => stream.broadcastTime(now));

  const functions = new FunctionRegistry(ALL_FUNCTIONS);
  return {
    config,
    log,
    clock,
    timezone,
    db,
    secrets: d.secrets,
    tls: d.tls,
    counters,
    journal: (who, peer, action, details, userId) => journal.write(who, peer, action, details, userId),
    systemUsers,
    scheduler,
    stream,
    params,
    billing,
    tariffication,
    traffic,
    radius,
    shaping,
    telephony,
    events,
    rfw,
    dhcp,
    documents,
    mail,
    reports: new ReportRepo(db),
    functions,
    urfaSessions,
    writePause,
    clockStore: new TestClockStore(db),
    loginResolvers,
    services: [
      params,
      systemUsers,
      billing,
      tariffication,
      traffic,
      radius,
      shaping,
      telephony,
      rfw,
      dhcp,
      documents,
      mail,
      scheduler,
    ],
    hupDuties: [() => traffic.hup()],
  };
}
