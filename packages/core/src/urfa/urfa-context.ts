import type { TestClockStore } from '../clock/test-clock-store';
import type { Clock, Logger } from '@utm5/common';
import type { WritePause } from '../archive/write-pause';
import type { FunctionSchema, SessionStore } from '@utm5/protocol';
import type { Billing } from '../billing/billing';
import type { CoreConfig } from '../config/core-config';
import type { JournalActor } from '../journal/journal';
import type { RadiusModule } from '../radius/radius-module';
import type { Scheduler } from '../scheduler/scheduler';
import type { SystemParameterService } from '../settings/system-parameters';
import type { ShapingModule } from '../shaping/shaping-module';
import type { TelephonyModule } from '../telephony/telephony-module';
import type { FirewallModule } from '../rfw/firewall-module';
import type { DhcpModule } from '../dhcp/dhcp-module';
import type { DocumentsModule } from '../documents/documents-module';
import type { MailModule } from '../notifications/mail-module';
import type { ReportRepo } from '../reports/report-repo';
import type { Principal } from '../system-users/principal';
import type { SystemUserService } from '../system-users/system-user-service';
import type { Tariffication } from '../tariffication/engine';
import type { TrafficModule } from '../traffic/traffic-module';

/**
 * What URFA handlers may call: the domain services and the core's settings, never the database. Handlers translate
 * the call and check what the principal may see; the services own the data, its locks and its audit.
 */
export interface UrfaContext {
  readonly config: CoreConfig;
  readonly log: Logger;
  readonly clock: Clock;
  /** The billing time zone (utm5.cfg timezone, or the system's). */
  readonly timezone: string;
  /** Writes the core journal: logged and kept in user_log; never throws. */
  readonly journal: (who: JournalActor, peer: string, action: string, details: string, userId?: number) => void;
  readonly systemUsers: SystemUserService;
  readonly scheduler: Scheduler;
  readonly params: SystemParameterService;
  readonly billing: Billing;
  readonly tariffication: Tariffication;
  readonly traffic: TrafficModule;
  readonly radius: RadiusModule;
  readonly shaping: ShapingModule;
  readonly telephony: TelephonyModule;
  readonly rfw: FirewallModule;
  readonly dhcp: DhcpModule;
  readonly documents: DocumentsModule;
  readonly mail: MailModule;
  readonly reports: ReportRepo;
  /** The functions the core serves (rpcf_liburfa_symtab, rpcf_whoami, the rights lists). */
  readonly functions: { all(): readonly { readonly schema: FunctionSchema; readonly module: string }[] };
  readonly urfaSessions: SessionStore<Principal>;
  /** db_archiver -l: holds the core's database writes back while an archive run moves rows. */
  readonly writePause: WritePause;
  /** Where the test clock is kept between restarts (utm5ts_set_time and utm5ts_advance_time save it). */
  readonly clockStore: TestClockStore;
}
