import { param, section } from '../config/param';
import { intType, ipType } from '../config/value-types';

/**
 * Where a daemon serves Prometheus text (/metrics) and its health (/healthz); every daemon's schema spreads these in,
 * like the log parameters. Off (port 0) unless configured: the endpoint has no authentication, so the shipped
 * sample (the one `npm start` uses) binds it to loopback on the daemon's own port (DESIGN.md "Observability").
 */
export const metricsParams = (samplePort: number) =>
  section('Metrics', {
    metrics_bind_host: param(ipType, {
      listen: { port: 'metrics_bind_port' },
      doc: 'Address on which /metrics (Prometheus text) and /healthz are served. Keep it on loopback or a management network: the endpoint has no authentication.',
      default: '127.0.0.1',
    }),
    metrics_bind_port: param(intType({ min: 0, max: 65535 }), {
      doc: 'Port of the /metrics and /healthz endpoint; 0 turns it off.',
      default: 0,
      sample: String(samplePort),
    }),
  });

export type MetricsParamValues = {
  metrics_bind_host: string;
  metrics_bind_port: number;
};
