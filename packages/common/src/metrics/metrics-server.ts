import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { UtmError, errorLine } from '../errors/utm-error';
import type { Logger } from '../log/logger';

/** One check of a daemon's health (database reachable, Stream link to the core up ...): ok, or why not. */
export interface HealthCheck {
  readonly ok: boolean;
  readonly reason?: string;
}

/** What /healthz reports besides uptime: each named check; the daemon is healthy when every one is ok. */
export type HealthChecks = Readonly<Record<string, HealthCheck>>;

export class MetricsBindError extends UtmError {
  constructor(where: string, cause: unknown) {
    super(
      'UTM_METRICS_BIND',
      `cannot serve metrics on ${where}: ${errorLine(cause)}; set metrics_bind_host/metrics_bind_port to a free address or metrics_bind_port=0`,
    );
  }
}

/** A daemon's metrics registry with the default process metrics (CPU, memory, event loop lag, open files). */
export function createDaemonRegistry(program: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ program });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export interface MetricsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** The daemon's checks; a check that throws counts as failed with the error as its reason. */
  readonly health: () => Promise<HealthChecks> | HealthChecks;
  readonly log: Logger;
  /** Milliseconds since the epoch at which the daemon started (for uptime). */
  readonly startedAt?: number;
}

/**
 * The HTTP endpoint of a daemon: GET /metrics (Prometheus text) and GET /healthz (200 with a short JSON when every
 * check holds, 503 with the failed checks' reasons otherwise). Any other path is 404; a failing scrape is 500 and a
 * warning, never fatal to the daemon.
 */
export class MetricsServer {
  private server: Server | undefined;
  private readonly startedAt: number;

  constructor(private readonly o: MetricsServerOptions) {
    this.startedAt = o.startedAt ?? Date.now();
  }

  /** The port actually bound (differs from the configured one only when that was 0 in tests). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.answer(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(new MetricsBindError(`${this.o.host}:${this.o.port}`, err)));
      server.listen(this.o.port, this.o.host, () => resolve());
    });
    server.on('error', (err) => this.o.log.warn(`metrics endpoint: ${errorLine(err)}`));
    this.server = server;
    this.o.log.info(`metrics on http://${this.o.host}:${this.port}/metrics, health on /healthz`);
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The health report /healthz sends: status, each check, uptime in seconds. */
  async healthReport(): Promise<{ healthy: boolean; body: Record<string, unknown> }> {
    let checks: HealthChecks;
    try {
      checks = await this.o.health();
    } catch (err) {
      checks = { daemon: { ok: false, reason: errorLine(err) } };
    }
    const failed = Object.entries(checks).filter(([, c]) => !c.ok);
    const body: Record<string, unknown> = { status: failed.length === 0 ? 'ok' : 'fail' };
    for (const [name, c] of Object.entries(checks)) body[name] = c.ok ? 'ok' : (c.reason ?? 'failed');
    body.uptime = Math.floor((Date.now() - this.startedAt) / 1000);
    return { healthy: failed.length === 0, body };
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (path === '/metrics') {
        const text = await this.o.registry.metrics();
        res.writeHead(200, { 'content-type': this.o.registry.contentType }).end(text);
      } else if (path === '/healthz') {
        const { healthy, body } = await this.healthReport();
        res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
      }
    } catch (err) {
      this.o.log.warn(`metrics endpoint ${path}: ${errorLine(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`${errorLine(err)}\n`);
    }
  }
}
