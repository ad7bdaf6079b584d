import { isIP } from 'node:net';
import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import { ipv4ToInt } from '../traffic/common';
import type { SessionReportRow } from '../../../reports/report-repo';

const at = { index: 'i' };

/**
 * rpcf_get_dhs_report: the dial-up, hotspot (and IP traffic) sessions utm5_radius reported, as UTM5's sessions report
 * lists them, for the accounts in scope, started in [t_start, t_end).
 */
export const getDhsReport = defineFunction(
  'rpcf_get_dhs_report',
  0x5019,
  {
    comment:
      'RADIUS sessions started in [t_start, t_end) of user_id / account_id (0: any), by account then start; recv_date: the start; ' +
      "last_update_date: the last accounting request; service_type: the link's service type (3 IP traffic, 4 hotspot, 5 dial-up); " +
      'nas_ip: the NAS address as a 32-bit integer; acct_status_type: of the last request (1 Start, 3 Interim-Update, 2 Stop); ' +
      'octets split into acct_*_oct (low 32 bits) and acct_*_giga; acct_sess_time: seconds; total_cost: what the time was charged; ' +
      'is_active 1 while open; apid, framed_protocol and flags are not used (0)',
    input: [
      L.int('user_id', { default: '0' }),
      L.int('account_id', { default: '0' }),
      L.int('apid', { default: '0' }),
      L.int('t_start'),
      L.int('t_end', { default: 'now()' }),
    ],
    output: [
      L.int('dhs_log_size'),
      L.for('i', '0', 'dhs_log_size', [
        L.int('id', at),
        L.int('account_id', at),
        L.int('slink_id', at),
        L.int('recv_date', at),
        L.int('last_update_date', at),
        L.str('Called_Station_Id', at),
        L.str('Calling_Station_Id', at),
        L.ip('framed_ip4', at),
        L.ip('framed_ip6', at),
        L.int('nas_port', at),
        L.str('acct_session_id', at),
        L.int('nas_port_type', at),
        L.str('uname', at),
        L.int('service_type', at),
        L.int('framed_protocol', at),
        L.int('nas_ip', at),
        L.str('nas_id', at),
        L.int('acct_status_type', at),
        L.long('acct_inp_pack', at),
        L.long('acct_inp_oct', at),
        L.long('acct_inp_giga', at),
        L.long('acct_out_pack', at),
        L.long('acct_out_oct', at),
        L.long('acct_out_giga', at),
        L.long('acct_sess_time', at),
        L.int('acct_term_cause', at),
        L.int('flags', at),
        L.double('total_cost', at),
        L.int('is_active', at),
      ]),
    ],
    docs: { t_start: 'from (unix time, included)', t_end: 'to (unix time, excluded)' },
  },
  async (call, ctx) => {
    const a = call.args;
    // The report's own names for the span, and no group filter.
    const rows = await ctx.reports.sessions(
      { userId: a.int('user_id'), accountId: a.int('account_id'), groupId: 0 },
      { start: a.int('t_start'), end: a.int('t_end') },
    );
    const n = (k: keyof SessionReportRow) => rows.map((r) => Number(r[k]));
    const s = (k: keyof SessionReportRow) => rows.map((r) => String(r[k]));
    const framed = (v: 4 | 6) => rows.map((r) => (isIP(r.framedIp) === v ? r.framedIp : v === 4 ? '0.0.0.0' : '::'));
    const GIGA = 2 ** 32;
    return {
      dhs_log_size: rows.length,
      id: n('id'),
      account_id: n('accountId'),
      slink_id: n('slinkId'),
      recv_date: n('startedAt'),
      last_update_date: n('updatedAt'),
      Called_Station_Id: s('calledStation'),
      Calling_Station_Id: s('callingStation'),
      framed_ip4: framed(4),
      framed_ip6: framed(6),
      nas_port: n('nasPort'),
      acct_session_id: s('acctSessionId'),
      nas_port_type: n('nasPortType'),
      uname: s('userName'),
      service_type: n('serviceType'),
      framed_protocol: rows.map(() => 0),
      nas_ip: rows.map((r) => ipv4ToInt(r.nasIp)),
      nas_id: s('nasIdentifier'),
      acct_status_type: n('acctStatus'),
      acct_inp_pack: n('inPackets'),
      acct_inp_oct: n('inOctets').map((x) => x % GIGA),
      acct_inp_giga: n('inOctets').map((x) => Math.floor(x / GIGA)),
      acct_out_pack: n('outPackets'),
      acct_out_oct: n('outOctets').map((x) => x % GIGA),
      acct_out_giga: n('outOctets').map((x) => Math.floor(x / GIGA)),
      acct_sess_time: n('duration'),
      acct_term_cause: rows.map((r) => Number(r.terminateCause) || 0),
      flags: rows.map(() => 0),
      total_cost: n('charged').map((c) => c / 1e6),
      is_active: rows.map((r) => (r.stoppedAt === 0 ? 1 : 0)),
    };
  },
);
