import { Histogram, registerReadMetrics, type Registry } from '@utm5/common';
import { REJECT_KINDS } from './server/authorize';
import type { RadiusDaemon } from './radius-daemon';

type Snapshot = ReturnType<RadiusDaemon['snapshot']>;

/** utm5_radius's domain metrics, read at scrape time from the counters the daemon keeps (and its stats file shows). */
export function registerRadiusMetrics(registry: Registry, snapshot: () => Snapshot): void {
  registerReadMetrics<Snapshot>(registry, snapshot, [
    {
      name: 'utm5_radius_requests_total',
      help: 'RADIUS requests received from known NASes, by code.',
      type: 'counter',
      labelNames: ['code'],
      read: (s) => [
        [{ code: 'access-request' }, s.authRequests],
        [{ code: 'accounting-request' }, s.acctRequests],
        [{ code: 'telephony-access-request' }, s.telAuthRequests],
        [{ code: 'telephony-accounting-request' }, s.telAcctRequests],
        [{ code: 'status-server' }, s.statusServer],
      ],
    },
    {
      name: 'utm5_radius_responses_total',
      help: 'RADIUS answers sent, by result.',
      type: 'counter',
      labelNames: ['result'],
      read: (s) => [
        [{ result: 'accept' }, s.accepts],
        [{ result: 'reject' }, s.rejects],
        [{ result: 'challenge' }, s.challenges],
        [{ result: 'accounting-response' }, s.acctResponses],
        [{ result: 'guest-accept' }, s.guests],
        [{ result: 'telephony-accept' }, s.telAccepts],
        [{ result: 'telephony-reject' }, s.telRejects],
      ],
    },
    {
      name: 'utm5_radius_rejects_total',
      help: 'Access-Rejects sent, by reason (the log line of each names the detail).',
      type: 'counter',
      labelNames: ['reason'],
      read: (s) => REJECT_KINDS.map((k) => [{ reason: k }, s.rejectsBy[k]] as const),
    },
    {
      name: 'utm5_radius_dropped_total',
      help: 'RADIUS packets dropped unanswered, by reason.',
      type: 'counter',
      labelNames: ['reason'],
      read: (s) => [
        [{ reason: 'unknown_nas' }, s.unknownNas],
        [{ reason: 'malformed' }, s.malformed],
        [{ reason: 'bad_authenticator' }, s.badAuthenticator],
        [{ reason: 'duplicate' }, s.duplicates],
        [{ reason: 'ignored' }, s.ignored],
      ],
    },
    {
      name: 'utm5_radius_cache_entries',
      help: 'What utm5_radius holds from the core, by kind.',
      type: 'gauge',
      labelNames: ['cache'],
      read: (s) => [
        [{ cache: 'nas' }, s.nas],
        [{ cache: 'logins' }, s.logins],
        [{ cache: 'accounts' }, s.accounts],
      ],
    },
    { name: 'utm5_radius_sessions_open', help: 'Sessions open.', type: 'gauge', read: (s) => s.sessionsOpen },
    {
      name: 'utm5_radius_stream_link_up',
      help: '1 while the Stream link to the core is logged in.',
      type: 'gauge',
      read: (s) => s.connected,
    },
    {
      name: 'utm5_radius_spool_unacknowledged',
      help: 'Records sent to the core and not yet acknowledged (the spool depth).',
      type: 'gauge',
      read: (s) => s.unacknowledged,
    },
    {
      name: 'utm5_radius_events_spooled_total',
      help: 'Session events written to the spool.',
      type: 'counter',
      read: (s) => s.eventsSpooled + s.telCallsSpooled,
    },
    {
      name: 'utm5_radius_events_acked_total',
      help: 'Session events the core acknowledged.',
      type: 'counter',
      read: (s) => s.eventsAcked + s.telCallsAcked,
    },
  ]);
}

/**
 * The answer-time histogram: from a request's arrival to its answer leaving, by port. Returns the observer the server
 * calls on each answer (pre-bound children: no label lookup per request).
 */
export function radiusLatency(registry: Registry): (auth: boolean, seconds: number) => void {
  const h = new Histogram({
    name: 'utm5_radius_request_seconds',
    help: 'Time from a RADIUS request to its answer (accounting: the spool write included), by port.',
    labelNames: ['port'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const auth = h.labels('auth');
  const acct = h.labels('acct');
  return (isAuth, seconds) => (isAuth ? auth : acct).observe(seconds);
}
