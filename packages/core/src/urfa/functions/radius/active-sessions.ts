import { isIP } from 'node:net';
import { L } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import { ServiceType } from '../../../tariffication/model';

const at = { index: 'i' };

/**
 * rpcf_radius_get_active_sessions: the sessions utm5_radius reported open (not stopped), oldest first. UTM5 lists
 * traffic sessions (IP traffic, dial-up, hotspot) apart from telephony ones; an address the session has not got
 * reads 0.0.0.0 / ::.
 */
export const radiusGetActiveSessions = defineFunction(
  'rpcf_radius_get_active_sessions',
  0x1073,
  {
    comment:
      "open RADIUS sessions, oldest first: traf_* for IP traffic, dial-up and hotspot, tel_* for telephony; id: the session's " +
      'number in the core; recv_date: when it started; last_update_date: the last accounting request; framed_ip4 / framed_ip6: the ' +
      'address the NAS gave (0.0.0.0 / :: none)',
    output: [
      L.int('traffic_sessions_count'),
      L.for('i', '0', 'traffic_sessions_count', [
        L.int('traf_id', at),
        L.str('traf_acct_session_id', at),
        L.str('traf_user_name', at),
        L.ip('traf_nas_ip', at),
        L.int('traf_recv_date', at),
        L.int('traf_last_update_date', at),
        L.ip('framed_ip4', at),
        L.ip('framed_ip6', at),
        L.str('traffic_called_station_id', at),
        L.str('traffic_calling_station_id', at),
      ]),
      L.int('tel_sessions_count'),
      L.for('i', '0', 'tel_sessions_count', [
        L.int('tel_id', at),
        L.str('tel_acct_session_id', at),
        L.str('tel_user_name', at),
        L.ip('tel_nas_ip', at),
        L.int('tel_recv_date', at),
        L.int('tel_last_update_date', at),
        L.str('tel_called_station_id', at),
        L.str('tel_calling_station_id', at),
      ]),
    ],
  },
  async (_call, ctx) => {
    const rows = await ctx.radius.sessionRepo.open();
    const tel = rows.filter((r) => r.serviceType === ServiceType.TELEPHONY);
    const traf = rows.filter((r) => r.serviceType !== ServiceType.TELEPHONY);
    const framed = (v: 4 | 6) => traf.map((r) => (isIP(r.framedIp) === v ? r.framedIp : v === 4 ? '0.0.0.0' : '::'));
    return {
      traffic_sessions_count: traf.length,
      traf_id: traf.map((r) => r.id),
      traf_acct_session_id: traf.map((r) => r.acctSessionId),
      traf_user_name: traf.map((r) => r.login),
      traf_nas_ip: traf.map((r) => r.nasIp),
      traf_recv_date: traf.map((r) => r.startedAt),
      traf_last_update_date: traf.map((r) => r.updatedAt),
      framed_ip4: framed(4),
      framed_ip6: framed(6),
      traffic_called_station_id: traf.map((r) => r.calledStation),
      traffic_calling_station_id: traf.map((r) => r.callingStation),
      tel_sessions_count: tel.length,
      tel_id: tel.map((r) => r.id),
      tel_acct_session_id: tel.map((r) => r.acctSessionId),
      tel_user_name: tel.map((r) => r.login),
      tel_nas_ip: tel.map((r) => r.nasIp),
      tel_recv_date: tel.map((r) => r.startedAt),
      tel_last_update_date: tel.map((r) => r.updatedAt),
      tel_called_station_id: tel.map((r) => r.calledStation),
      tel_calling_station_id: tel.map((r) => r.callingStation),
    };
  },
);
