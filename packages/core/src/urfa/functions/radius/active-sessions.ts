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
export const radiusGetActiveSessions = defineFunction('rpcf_radius_get_active_sessions', 0x1073, {
  comment: 'open RADIUS sessions, oldest first: traf_* for IP traffic, dial-up and hotspot, tel_* for telephony; id: the session\'s '
    + 'number in the core; recv_date: when it started; last_update_date: the last accounting request; framed_ip4 / framed_ip6: the '
    + 'address the NAS gave (0.0.0.0 / :: none)',
  output: [
    L.int('traffic_sessions_count'), L.for('i', '0', 'traffic_sessions_count', [
      L.int('traf_id', at), L.str('traf_acct_session_id', at), L.str('traf_user_name', at), L.ip('traf_nas_ip', at), L.int('traf_recv_date', at),
      L.int('traf_last_update_date', at), L.ip('framed_ip4', at), L.ip('framed_ip6', at), L.str('traffic_called_station_id', at),
      L.str('traffic_calling_station_id', at),
    ]),
    L.int('tel_sessions_count'), L.for('i', '0', 'tel_sessions_count', [
      L.int('tel_id', at), L.str('tel_acct_session_id', at), L.str('tel_user_name', at), L.ip('tel_nas_ip', at), L.int('tel_recv_date', at),
      L.int('tel_last_update_date', at), L.str('tel_called_station_id', at), L.str('tel_calling_station_id', at),
    ]),
  ],
}, async (_call, core) => {
  const rows: Record<string, unknown>[] = await core.db!.knex('radius_sessions').where({ stopped_at: 0 }).orderBy('id');
  const tel = rows.filter((r) => Number(r['service_type']) === ServiceType.TELEPHONY);
  const traf = rows.filter((r) => Number(r['service_type']) !== ServiceType.TELEPHONY);
  const col = (rs: Record<string, unknown>[], k: string) => rs.map((r) => String(r[k]));
  const num = (rs: Record<string, unknown>[], k: string) => rs.map((r) => Number(r[k]));
  const framed = (v: 4 | 6) => traf.map((r) => (isIP(String(r['framed_ip'])) === v ? String(r['framed_ip']) : v === 4 ? '0.0.0.0' : '::'));
  return {
    traffic_sessions_count: traf.length, traf_id: num(traf, 'id'), traf_acct_session_id: col(traf, 'acct_session_id'), traf_user_name: col(traf, 'login'),
    traf_nas_ip: col(traf, 'nas_ip'), traf_recv_date: num(traf, 'started_at'), traf_last_update_date: num(traf, 'updated_at'), framed_ip4: framed(4),
    framed_ip6: framed(6), traffic_called_station_id: col(traf, 'called_station'), traffic_calling_station_id: col(traf, 'calling_station'),
    tel_sessions_count: tel.length, tel_id: num(tel, 'id'), tel_acct_session_id: col(tel, 'acct_session_id'), tel_user_name: col(tel, 'login'),
    tel_nas_ip: col(tel, 'nas_ip'), tel_recv_date: num(tel, 'started_at'), tel_last_update_date: num(tel, 'updated_at'),
    tel_called_station_id: col(tel, 'called_station'), tel_calling_station_id: col(tel, 'calling_station'),
  };
});
