import { RFW_METHOD, rfwSyncArgs, type RfwSyncFlag, type RfwSyncResult } from '@utm5/protocol';
import type { Clock, Logger, SecretBox, Service } from '@utm5/common';
import type { Database } from '@utm5/db';
import type { BillingEvents } from '../events/billing-events';
import type { Scheduler } from '../scheduler/scheduler';
import type { SystemParameterService } from '../settings/system-parameters';
import type { StreamHub } from '../stream/stream-hub';
import { ContextReader } from './context';
import { Dispatcher, rfwNameOf } from './dispatcher';
import { FirewallRepo } from './firewall-repo';
import { FW_EVENTS_RAISED, eventMask } from './fw-events';
import { CommandQueue } from './queue';
import { QueueReport } from './queue-report';
import { RuleRepo } from './rule-repo';
import { syncFirewall } from './sync';
import { FW_VARIABLES, variableEventMask } from './variables';

export interface FirewallModuleDeps {
  readonly db: Database;
  readonly secrets: SecretBox;
  /** The billing's events: the module listens and queues the commands of the rules they trigger. */
  readonly events: BillingEvents;
  /** utm5_rfw links: RFW_METHOD.EXEC is called on them, RFW_METHOD.SYNC answered. */
  readonly stream: StreamHub;
  readonly params: Pick<SystemParameterService, 'get'>;
  /** The queue's expiry runs as a system service (rfw_queue_expiry), on the test clock too. */
  readonly scheduler: Scheduler;
  /** Told when a firewall (a NetFlow provider) is added, changed or removed. */
  readonly providersChanged: () => void;
  readonly clock: Clock;
  readonly timezone: string;
  /** How long a command waits for its firewall's utm5_rfw before it expires (utm5.cfg rfw_queue_keep_hours). */
  readonly keepSeconds: number;
  readonly log: Logger;
}

const DEFAULT_RULE_ID_OFFSET = 5000;

/**
 * Firewall rules in the core (the manual's "RFW"): the rules and the firewalls they apply to, the rendering of a
 * rule's command template with the manual's variables for an event, the per-firewall queue of rendered commands, and
 * their delivery to each firewall's utm5_rfw over Stream, in order, acknowledged, kept while it is away.
 */
export class FirewallModule implements Service {
  readonly name = 'rfw';
  readonly firewalls: FirewallRepo;
  readonly rules: RuleRepo;
  readonly queue: CommandQueue;
  readonly report: QueueReport;
  private readonly context: ContextReader;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly d: FirewallModuleDeps) {
    this.firewalls = new FirewallRepo(d.db, d.secrets, d.providersChanged);
    this.rules = new RuleRepo(d.db);
    this.context = new ContextReader({
      secrets: d.secrets,
      ruleIdOffset: () => {
        const n = Number(d.params.get('fw_rule_id_offset'));
        return Number.isFinite(n) ? n : DEFAULT_RULE_ID_OFFSET;
      },
    });
    this.dispatcher = new Dispatcher({
      db: d.db,
      firewalls: this.firewalls,
      links: () => d.stream.answering(RFW_METHOD.EXEC),
      clock: d.clock,
      log: d.log,
      expire: (now) => this.queue.expire(now, d.keepSeconds),
    });
    this.queue = new CommandQueue({
      db: d.db,
      rules: this.rules,
      firewalls: this.firewalls,
      context: this.context,
      log: d.log,
      queued: () => this.dispatcher.kick(),
    });
    this.report = new QueueReport(d.db);
    d.events.on(this.queue.onEvent);
    d.stream.method(RFW_METHOD.SYNC, (_from, args, sender) => this.sync(args, sender ?? ''));
    d.scheduler.register({
      name: 'rfw_queue_expiry',
      title: 'Expire firewall commands whose utm5_rfw stayed away longer than rfw_queue_keep_hours',
      // Hourly: the keep time is set in hours, and each delivery expires its firewall's stale commands first.
      schedule: { kind: 'periodic', periodMin: 60, alignMin: 0 },
      enabled: true,
      runGroups: [],
      run: async () => `${await this.queue.expire(d.clock.now(), d.keepSeconds)} firewall command(s) expired`,
    });
  }

  async start(): Promise<void> {
    this.dispatcher.start();
  }

  async stop(): Promise<void> {
    await this.dispatcher.stop();
  }

  /** Whether the firewall's utm5_rfw is connected (rpcf_get_routers_list's is_online). */
  online(firewallId: number): boolean {
    return this.dispatcher.online(firewallId);
  }

  /** The events this core raises (rpcf_get_fw_events). */
  eventsRaised(): number {
    return eventMask(FW_EVENTS_RAISED);
  }

  /** Each variable with the mask of the events it applies to (rpcf_get_fw_subst). */
  substitutions(): { name: string; events: number }[] {
    return FW_VARIABLES.map((x) => ({ name: x.name, events: variableEventMask(x) }));
  }

  /** Removes a firewall (see FirewallRepo.remove). */
  removeFirewall(id: number): Promise<void> {
    return this.firewalls.remove(id, this.d.clock.now());
  }

  /** Queues, for one firewall, the commands of the current state of the sync flags' events (the manual's sync). */
  synchronise(firewallId: number, flags: readonly RfwSyncFlag[]): Promise<number> {
    return syncFirewall(
      { db: this.d.db, rules: this.rules, context: this.context, queue: this.queue },
      firewallId,
      flags,
      this.d.clock.now(),
    );
  }

  /** RFW_METHOD.SYNC: queues the current state's commands of the flags' events for the calling rfw's firewall. */
  private async sync(args: unknown, sender: string): Promise<RfwSyncResult> {
    const a = rfwSyncArgs(args);
    if (!a)
      throw new Error('rfw_sync: flags must be a list of enable, disable, users, iptraffic, dialup, blocks, shaping');
    const name = rfwNameOf({ sender });
    const fw = await this.firewalls.byName(name);
    if (!fw)
      throw new Error(`no firewall is named '${name}': register it with rpcf_put_router (router_ip = '${name}') first`);
    const queued = await this.synchronise(fw.id, a.flags);
    this.d.log.notice(`utm5_rfw '${name}' synchronises ${a.flags.join(',') || 'nothing'}: ${queued} command(s) queued`);
    return { queued };
  }
}
