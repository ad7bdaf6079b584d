import { WHEEL_GROUP_ID } from '@utm5/db';

/**
 * The system users a new installation has (manual, "System users"). Each starts with its login as password, as UTM5
 * ships them; while a password is still the default the user may log in from loopback only and every start warns.
 */
export const DEFAULT_SYSTEM_USERS = [
  {
    id: -1,
    login: 'init',
    groups: [WHEEL_GROUP_ID],
    role: 'top-level administrator',
    passwordIn: 'core_password of utm5_urfaclient.cfg, utm5_payment_tool.cfg, utm5_send_cdr.cfg, utm5_send_traffic.cfg',
  },
  { id: -2, login: 'web', groups: [WHEEL_GROUP_ID], role: 'web interface', passwordIn: "the web interface's settings" },
  { id: -3, login: 'radius', groups: [], role: 'utm5_radius daemon', passwordIn: 'radius_password of radius5.cfg' },
  { id: -4, login: 'rfw', groups: [], role: 'utm5_rfw daemon', passwordIn: 'rfw_password of rfw5.cfg' },
  { id: -5, login: 'dhcp', groups: [], role: 'utm5_dhcp daemon', passwordIn: 'the password of dhcpd5.cfg' },
  {
    id: -6,
    login: 'collector',
    groups: [],
    role: 'utm5_traffic_collector daemon',
    passwordIn: 'tc_password of utm5_traffic_collector.cfg',
  },
] as const;

export function defaultPasswordOf(login: string): string | undefined {
  return DEFAULT_SYSTEM_USERS.some((u) => u.login === login) ? login : undefined;
}
