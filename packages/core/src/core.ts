import type { Socket } from 'node:net';
import { SecretBox, ServiceHost, type Clock, type RootLogger, type Service } from '@utm5/common';
import { openDatabase, verifyDatabase, type Database } from '@utm5/db';
import type { CoreConfig } from './config/core-config';
import { TcpListener, type ConnectionHandle } from './net/tcp-listener';
import { SystemUserService } from './system-users/system-user-service';

export interface CoreDeps {
  readonly config: CoreConfig;
  readonly log: RootLogger;
  readonly clock: Clock;
}

/** A listener's per-connection protocol handler, supplied by the protocol layer. */
export type ConnectionFactory = (socket: Socket, peer: string) => ConnectionHandle;

/**
 * The billing core: opens and verifies the database, loads what it keeps in memory, then opens its listeners.
 * Construction does no I/O; start() does it all, stop() undoes it in reverse.
 */
export class Core {
  db: Database | undefined;
  secrets: SecretBox | undefined;
  systemUsers: SystemUserService | undefined;
  urfaListener: TcpListener | undefined;
  streamListener: TcpListener | undefined;
  private host: ServiceHost | undefined;
  private readonly hupHandlers: (() => void | Promise<void>)[] = [];

  constructor(private readonly deps: CoreDeps) {}

  get config(): CoreConfig {
    return this.deps.config;
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get log(): RootLogger {
    return this.deps.log;
  }

  /** SIGHUP duties beyond reopening logs register here as later components come to exist. */
  onHup(fn: () => void | Promise<void>): void {
    this.hupHandlers.push(fn);
  }

  async start(protocols: { urfa: (core: Core) => ConnectionFactory; stream: (core: Core) => ConnectionFactory }): Promise<void> {
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
      this.systemUsers = new SystemUserService(db, this.secrets, clock, log.child({ component: 'sysusers' }));

      const services: Service[] = [this.systemUsers];
      if (config.urfa_bind_host.length > 0) {
        this.urfaListener = new TcpListener({
          name: 'URFA', hosts: config.urfa_bind_host, port: config.urfa_bind_port,
          maxConnections: config.urfa_max_connections, configHint: 'urfa_bind_host/urfa_bind_port',
          log: log.child({ component: 'urfa' }), onConnection: protocols.urfa(this),
        });
        services.push(this.urfaListener);
      } else {
        log.notice('URFA server disabled: no urfa_bind_host in the configuration');
      }
      this.streamListener = new TcpListener({
        name: 'Stream', hosts: [config.stream_bind_host], port: config.stream_bind_port,
        maxConnections: config.stream_max_connections, configHint: 'stream_bind_host/stream_bind_port',
        log: log.child({ component: 'stream' }), onConnection: protocols.stream(this),
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

  async stop(): Promise<void> {
    await this.host?.stop();
    this.host = undefined;
    await this.db?.close();
    this.db = undefined;
  }

  async hup(): Promise<void> {
    this.deps.log.reopen();
    this.deps.log.notice('SIGHUP: log files reopened');
    for (const fn of this.hupHandlers) {
      try {
        await fn();
      } catch (err) {
        this.deps.log.error(`SIGHUP duty failed: ${(err as Error).message}`);
      }
    }
  }
}
