import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Spool,
  StatsFile,
  errorLine,
  writeFileAtomic,
  type DaemonBody,
  type HealthChecks,
  type Logger,
  type SpooledBatch,
} from '@utm5/common';
import {
  StreamClient,
  StreamRejectedError,
  TOPIC,
  TRAFFIC_RECORD_KIND,
  type CollectorItem,
  type IpGroupItem,
  type TclassItem,
  type TimeRangeWire,
  type TrafficItem,
} from '@utm5/protocol';
import {
  NetflowReceiver,
  RawFileWriter,
  type DecoderStats,
  type FlowAccounting,
  type FlowRecord,
  type RangeCheck,
} from '@utm5/netflow';
import type { CollectorConfig } from './config';

/** Properties used until the core has sent this collector's own (the manual's defaults for a new collector). */
const DEFAULTS: Omit<CollectorItem, 'id' | 'name'> = {
  rawPath: '',
  rawScript: '',
  rawMaxSize: 104857600,
  rawMaxCount: 0,
  sendLimit: 10000,
  bufferSize: 10000,
  commitInterval: 60,
  multiplierE6: 1_000_000,
  providers: [],
};

export interface CollectorCounters {
  packets: number;
  rawRecords: number;
  rawFilesClosed: number;
  records: number;
  malformed: number;
  unknownProvider: number;
  classified: number;
  aggregated: number;
  unaccounted: number;
  batchesSent: number;
  batchesAcked: number;
  itemsAcked: number;
  batchesRejected: number;
  batchesDropped: number;
  spooled: number;
}

/** What the core last told the collector, kept on disk so flows are counted even when it starts with the core down. */
interface TopicState {
  tclasses?: TclassItem[];
  ip_groups?: IpGroupItem[];
  traffic_collectors?: CollectorItem[];
}

/**
 * utm5_traffic_collector: UDP NetFlow in, classified aggregates out to the core in acknowledged batches. Every
 * commit interval (or when the buffer fills) the aggregates are cut into batches of at most the send limit, each
 * written to the disk buffer before it is sent and removed after the core committed it.
 */
export class Collector implements DaemonBody {
  private readonly receiver: NetflowReceiver<TimeRangeWire>;
  private readonly spool: Spool<TrafficItem>;
  private readonly stream: StreamClient;
  private settings: Omit<CollectorItem, 'id' | 'name'> = DEFAULTS;
  private raw: RawFileWriter | undefined;
  private rawKey = '';
  private commitTimer: NodeJS.Timeout | undefined;
  private readonly stats: StatsFile;
  private testNowMs: number | undefined;
  private warnedUnregistered = false;
  private readonly state: TopicState = {};
  readonly counters: CollectorCounters = {
    packets: 0,
    rawRecords: 0,
    rawFilesClosed: 0,
    records: 0,
    malformed: 0,
    unknownProvider: 0,
    classified: 0,
    aggregated: 0,
    unaccounted: 0,
    batchesSent: 0,
    batchesAcked: 0,
    itemsAcked: 0,
    batchesRejected: 0,
    batchesDropped: 0,
    spooled: 0,
  };

  constructor(
    private readonly config: CollectorConfig,
    private readonly log: Logger,
    inRange: RangeCheck<TimeRangeWire>,
  ) {
    this.receiver = new NetflowReceiver({
      host: config.nfbuffer_host,
      port: config.nfbuffer_port,
      bufsize: config.nfbuffer_bufsize,
      templateTimeoutSec: config.template_timeout,
      inRange,
      onFlow: (f, acct, provider) => this.rawFlow(f, acct, provider),
      onFull: () => this.commit(),
      onSocketError: (err) => log.error(`NetFlow socket: ${err.message}`),
    });
    // On a core with the test clock, traffic happens at the core's time, not the generator's.
    this.receiver.flowTimeMs = () => this.testNowMs;
    this.stats = new StatsFile(config.tc_stats_file, config.tc_stats_interval_ms, () => this.snapshot(), log);
    this.spool = new Spool(config.tc_spool_dir, config.tc_spool_max);
    this.stream = new StreamClient({
      host: config.core_host,
      port: config.core_port,
      login: config.tc_login,
      password: config.tc_password,
      sender: config.tc_name,
      topics: Object.values(TOPIC),
      pingIntervalMs: config.stream_ping_interval * 1000,
      log,
      onSnapshot: (topic, items) => this.onTopic(topic, items),
      onConnected: ({ now, testClock }) => {
        this.testNowMs = testClock ? now * 1000 : undefined;
      },
      onTime: (now) => {
        if (this.testNowMs !== undefined) this.testNowMs = now * 1000;
      },
    });
  }

  /** The NetFlow decoder's own counters (per version, malformed packets), for /metrics. */
  decoderStats(): DecoderStats {
    return this.receiver.decoder.stats;
  }

  health(): HealthChecks {
    return {
      core_link: this.stream.connected
        ? { ok: true }
        : { ok: false, reason: `no Stream link to the core at ${this.config.core_host}:${this.config.core_port}` },
    };
  }

  describe(): string {
    return `NetFlow on ${this.config.nfbuffer_host}:${this.config.nfbuffer_port}, core ${this.config.core_host}:${this.config.core_port} as '${this.config.tc_name}'`;
  }

  async start(): Promise<void> {
    const { batches, problems } = this.spool.open();
    for (const p of problems)
      this.log.error(`disk buffer: ${p.file} is unreadable (${p.reason}); kept as ${p.file}.bad`);
    this.loadState();
    if (batches.length > 0)
      this.log.notice(`disk buffer: ${batches.length} batch(es) from the last run will be delivered`);
    for (const b of batches) this.deliver(b);
    this.stream.start();
    this.log.info(`NetFlow receive buffer ${await this.receiver.listen()} bytes`);
    this.armCommit();
    this.stats.start();
  }

  /** A flow for the raw detail files, unless its class is "don't save". */
  private rawFlow(f: FlowRecord, acct: FlowAccounting, provider: string): void {
    if (!this.raw || acct.dontSave) return;
    try {
      this.raw.write({ ...f, tclass: acct.tclass, provider, accountId: acct.accountId, slinkId: acct.slinkId });
      this.counters.rawRecords++;
    } catch (err) {
      this.log.error(`raw traffic file: ${errorLine(err)}`);
    }
  }

  /** (Re)opens the raw file writer when the core's properties for it change (path, sizes). */
  private async configureRaw(): Promise<void> {
    const s = this.settings;
    const key = [s.rawPath, s.rawMaxSize, s.rawMaxCount, s.bufferSize].join('|');
    if (key === this.rawKey) return;
    this.rawKey = key;
    const old = this.raw;
    this.raw = undefined;
    await old?.close().catch((err) => this.log.error(`raw traffic file: ${errorLine(err)}`));
    if (!s.rawPath) return;
    try {
      mkdirSync(s.rawPath, { recursive: true });
    } catch (err) {
      this.log.error(
        `raw traffic files: cannot create ${s.rawPath}: ${errorLine(err)} (Path to .utm file of collector '${this.config.tc_name}')`,
      );
      return;
    }
    this.raw = new RawFileWriter({
      dir: s.rawPath,
      maxFileSize: s.rawMaxSize,
      maxFileCount: s.rawMaxCount,
      bufferSize: Math.max(1, s.bufferSize),
      onClose: (path, records) => this.rawClosed(path, records),
    });
    this.log.info(
      `raw traffic files in ${s.rawPath} (at most ${s.rawMaxSize} bytes each, ${s.rawMaxCount || 'unlimited'} files)`,
    );
  }

  /** "Raw traffic file closed": journaled on the core, and the raw process script run with the file's path. */
  private rawClosed(path: string, records: number): void {
    this.counters.rawFilesClosed++;
    this.stream
      .send('journal', [
        { action: 'raw_traffic_file_closed', details: `${this.config.tc_name}: ${path} (${records} records)` },
      ])
      .catch((err: Error) => this.log.warn(`cannot journal the raw file close: ${err.message}`));
    const script = this.settings.rawScript;
    if (!script) return;
    const child = spawn(script, [path], { stdio: 'ignore', detached: false });
    child.on('error', (err) => this.log.error(`raw process script ${script}: ${err.message}`));
    child.on('exit', (code, sig) => {
      if (code !== 0) this.log.error(`raw process script ${script} ${path} failed (${sig ?? `exit ${code}`})`);
    });
  }

  private armCommit(): void {
    if (this.commitTimer) clearInterval(this.commitTimer);
    this.commitTimer = setInterval(() => this.commit(), this.settings.commitInterval * 1000);
  }

  /** Cuts the aggregates into batches, writes each to the disk buffer, and sends it. */
  commit(): void {
    const limit = Math.max(1, this.settings.sendLimit);
    const agg = this.receiver.aggregator;
    void this.raw?.flush().catch((err: Error) => this.log.error(`raw traffic file: ${err.message}`));
    while (agg.pending > 0) {
      const items = agg.drain(limit);
      let added;
      try {
        added = this.spool.add(items);
      } catch (err) {
        // Without the disk buffer the batch still goes out; it is only not crash-safe.
        this.log.error(`disk buffer ${this.config.tc_spool_dir}: ${errorLine(err)}; sending without it`);
        this.deliver({ id: 0, seq: 0, items });
        continue;
      }
      for (const d of added.dropped) {
        this.counters.batchesDropped++;
        this.log.error(
          `disk buffer full (tc_spool_max ${this.config.tc_spool_max}): batch of ${d.items.length} aggregate(s) dropped`,
        );
      }
      this.deliver(added.batch);
    }
  }

  private deliver(b: SpooledBatch<TrafficItem>): void {
    this.counters.batchesSent++;
    this.stream
      .send(TRAFFIC_RECORD_KIND, b.items, {
        ...(b.seq > 0 ? { seq: b.seq } : {}),
        onSequenced: (seq) => {
          if (b.id > 0) this.spool.setSeq(b, seq);
        },
      })
      .then(
        () => {
          this.counters.batchesAcked++;
          this.counters.itemsAcked += b.items.length;
          this.spool.remove(b.id);
        },
        (err: Error) => {
          this.counters.batchesRejected++;
          // A batch the core refuses will be refused again: logged with its content's size and removed.
          this.log.error(
            `${err instanceof StreamRejectedError ? err.message : errorLine(err)} (${b.items.length} aggregate(s) dropped)`,
          );
          this.spool.remove(b.id);
        },
      );
  }

  private onTopic(topic: string, items: unknown[]): void {
    if (topic === TOPIC.TCLASSES) this.state.tclasses = items as TclassItem[];
    else if (topic === TOPIC.IP_GROUPS) this.state.ip_groups = items as IpGroupItem[];
    else if (topic === TOPIC.COLLECTORS) this.state.traffic_collectors = items as CollectorItem[];
    else return;
    this.apply();
    try {
      writeFileAtomic(join(this.config.tc_spool_dir, 'topics.json'), JSON.stringify(this.state));
    } catch (err) {
      this.log.warn(`cannot keep the core's settings in ${this.config.tc_spool_dir}: ${errorLine(err)}`);
    }
  }

  private loadState(): void {
    try {
      Object.assign(
        this.state,
        JSON.parse(readFileSync(join(this.config.tc_spool_dir, 'topics.json'), 'utf8')) as TopicState,
      );
      this.apply();
      this.log.info('traffic classes and IP groups from the last run loaded (until the core sends current ones)');
    } catch {
      // first run: nothing kept yet
    }
  }

  private apply(): void {
    const agg = this.receiver.aggregator;
    if (this.state.tclasses)
      for (const e of agg.setClasses(this.state.tclasses)) this.log.error(`traffic class skipped: ${e.message}`);
    if (this.state.ip_groups) {
      const bad = agg.setIpGroups(this.state.ip_groups);
      if (bad > 0) this.log.warn(`${bad} IP group(s) with a bad address skipped`);
    }
    if (this.state.traffic_collectors) {
      const me = this.state.traffic_collectors.find((c) => c.name === this.config.tc_name);
      if (!me && !this.warnedUnregistered) {
        this.warnedUnregistered = true;
        this.log.error(
          `no traffic collector named '${this.config.tc_name}' is registered on the core (tc_name); using default properties`,
        );
      }
      const before = this.settings.commitInterval;
      this.settings = me ?? DEFAULTS;
      this.receiver.providers = new Set(this.settings.providers);
      this.receiver.bufferSize = Math.max(1, this.settings.bufferSize);
      agg.multiplierE6 = this.settings.multiplierE6;
      if (this.commitTimer && before !== this.settings.commitInterval) this.armCommit();
      void this.configureRaw();
    }
  }

  /** Counters as the stats file shows them. */
  snapshot(): CollectorCounters & {
    pendingAggregates: number;
    unacknowledged: number;
    connected: boolean;
    tclasses: number;
    ipGroups: number;
  } {
    const a = this.receiver.aggregator.counters;
    Object.assign(this.counters, this.receiver.counters, {
      classified: a.classified,
      aggregated: a.aggregated,
      unaccounted: a.unaccounted,
      spooled: this.spool.size,
    });
    return {
      ...this.counters,
      pendingAggregates: this.receiver.aggregator.pending,
      unacknowledged: this.stream.unacknowledged,
      connected: this.stream.connected,
      tclasses: this.state.tclasses?.length ?? 0,
      ipGroups: this.state.ip_groups?.length ?? 0,
    };
  }

  /** SIGHUP: commit the aggregates now. */
  async hup(): Promise<void> {
    this.commit();
  }

  /** Stops receiving, puts what is aggregated into the disk buffer, and closes the link (the buffer is sent next run). */
  async stop(): Promise<void> {
    if (this.commitTimer) clearInterval(this.commitTimer);
    await this.receiver.close();
    this.commit();
    await this.raw?.close().catch((err: Error) => this.log.error(`raw traffic file: ${err.message}`));
    // A moment for acknowledgements of what is in flight; the rest stays in the disk buffer.
    await this.stream.drain(2000);
    await this.stream.stop();
    this.stats.stop();
  }
}
