import { registerReadMetrics, type Registry } from '@utm5/common';
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
