import { isIP } from 'node:net';
import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import { scoped } from '../report-scope';
import { ipv4ToInt } from '../traffic/common';

const at = { index: 'i' };

/**
 * rpcf_get_dhs_report: the dial-up, hotspot (and IP traffic) sessions utm5_radius reported, as UTM5's sessions report
 * lists them, for the accounts in scope, started in [t_start, t_end).
 */
export const getDhsReport = defineFunction('rpcf_get_dhs_report', 0x5019, {
  comment: 'RADIUS sessions started in [t_start, t_end) of user_id / account_id (0: any), by account then start; recv_date: the start; '
    + 'last_update_date: the last accounting request; service_type: the link\'s service type (3 IP traffic, 4 hotspot, 5 dial-up); '
    + 'nas_ip: the NAS address as a 32-bit integer; acct_status_type: of the last request (1 Start, 3 Interim-Update, 2 Stop); '
    + 'octets split into acct_*_oct (low 32 bits) and acct_*_giga; acct_sess_time: seconds; total_cost: what the time was charged; '
    + 'is_active 1 while open; apid, framed_protocol and flags are not used (0)',
  input: [L.int('user_id', { default: '0' }), L.int('account_id', { default: '0' }), L.int('apid', { default: '0' }), L.int('t_start'), L.int('t_end', { default: 'now()' })],
  output: [L.int('dhs_log_size'), L.for('i', '0', 'dhs_log_size', [
    L.int('id', at), L.int('account_id', at), L.int('slink_id', at), L.int('recv_date', at), L.int('last_update_date', at), L.str('Called_Station_Id', at),
    L.str('Calling_Station_Id', at), L.ip('framed_ip4', at), L.ip('framed_ip6', at), L.int('nas_port', at), L.str('acct_session_id', at),
    L.int('nas_port_type', at), L.str('uname', at), L.int('service_type', at), L.int('framed_protocol', at), L.int('nas_ip', at), L.str('nas_id', at),
    L.int('acct_status_type', at), L.long('acct_inp_pack', at), L.long('acct_inp_oct', at), L.long('acct_inp_giga', at), L.long('acct_out_pack', at),
    L.long('acct_out_oct', at), L.long('acct_out_giga', at), L.long('acct_sess_time', at), L.int('acct_term_cause', at), L.int('flags', at),
    L.double('total_cost', at), L.int('is_active', at),
  ])],
  docs: { t_start: 'from (unix time, included)', t_end: 'to (unix time, excluded)' },
}, async (call, core) => {
  const a = call.args;
  // The report's own names for the span, and no group filter.
  const names: Record<string, string> = { time_start: 't_start', time_end: 't_end' };
  const scope = { int: (n: string) => (n === 'group_id' ? 0 : a.int(names[n] ?? n)) };
  // The session's User-Name, not the user's login that scoped() adds under the same column name.
  const rows = await scoped(core, 'radius_sessions', 'started_at', scope, (q) => q.select('t.login as uname'));
  const n = (k: string) => rows.map((r) => Number(r[k]));
  const s = (k: string) => rows.map((r) => String(r[k]));
  const framed = (v: 4 | 6) => rows.map((r) => (isIP(String(r['framed_ip'])) === v ? String(r['framed_ip']) : v === 4 ? '0.0.0.0' : '::'));
  const GIGA = 2 ** 32;
  return {
    dhs_log_size: rows.length, id: n('id'), account_id: n('account_id'), slink_id: n('slink_id'), recv_date: n('started_at'), last_update_date: n('updated_at'),
    Called_Station_Id: s('called_station'), Calling_Station_Id: s('calling_station'), framed_ip4: framed(4), framed_ip6: framed(6), nas_port: n('nas_port'),
    acct_session_id: s('acct_session_id'), nas_port_type: n('nas_port_type'), uname: s('uname'),
    service_type: n('service_type'), framed_protocol: rows.map(() => 0), nas_ip: rows.map((r) => ipv4ToInt(String(r['nas_ip']))), nas_id: s('nas_identifier'),
    acct_status_type: n('acct_status'), acct_inp_pack: n('in_packets'), acct_inp_oct: n('in_octets').map((x) => x % GIGA),
    acct_inp_giga: n('in_octets').map((x) => Math.floor(x / GIGA)), acct_out_pack: n('out_packets'), acct_out_oct: n('out_octets').map((x) => x % GIGA),
    acct_out_giga: n('out_octets').map((x) => Math.floor(x / GIGA)), acct_sess_time: n('duration'),
    acct_term_cause: rows.map((r) => Number(r['terminate_cause']) || 0), flags: rows.map(() => 0), total_cost: n('charged').map((c) => c / 1e6),
    is_active: rows.map((r) => (Number(r['stopped_at']) === 0 ? 1 : 0)),
  };
});
