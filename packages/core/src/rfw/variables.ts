import { SHAPING_VARIABLE_VALUES } from '@utm5/protocol';
import { FW_EVENTS, eventMask, type FwEventKey } from './fw-events';
import { VariableMatcher } from './template';

/** The events of the manual's variables table, grouped as the table names them. */
const ALL = FW_EVENTS.map((e) => e.key);
const FILES: FwEventKey[] = ['raw_file_closed', 'log_file_closed'];
const except = (...out: FwEventKey[][]): FwEventKey[] => ALL.filter((k) => !out.flat().includes(k));
const INTERNET: FwEventKey[] = ['internet_on', 'internet_off'];
const HOTSPOT: FwEventKey[] = ['hotspot_on', 'hotspot_off'];
const BANDWIDTH: FwEventKey[] = [
  'bw_in_set',
  'bw_in_edit',
  'bw_in_delete',
  'bw_out_set',
  'bw_out_edit',
  'bw_out_delete',
];
const DIALUP: FwEventKey[] = ['dialup_link_add', 'dialup_link_edit', 'dialup_link_delete'];
const IPTRAFFIC: FwEventKey[] = ['iptraffic_link_add', 'iptraffic_link_edit', 'iptraffic_link_delete'];
const TEL: FwEventKey[] = ['tel_link_add', 'tel_link_edit', 'tel_link_delete'];
const IPTV: FwEventKey[] = ['iptv_link_add', 'iptv_link_edit', 'iptv_link_delete'];
const VOD: FwEventKey[] = ['vod_link_add', 'vod_link_edit', 'vod_link_delete'];
const TECH: FwEventKey[] = ['tech_param_add', 'tech_param_edit', 'tech_param_delete'];
const SESSION: FwEventKey[] = ['session_open', 'session_close'];
const BLOCK: FwEventKey[] = ['block_changed'];

export interface FwVariable {
  readonly name: string;
  /** The value when the event does not give one, or the variable does not apply to it (the manual's table). */
  readonly default: string;
  /** The events it applies to. */
  readonly events: readonly FwEventKey[];
  readonly description: string;
}

const v = (name: string, def: string, events: readonly FwEventKey[], description: string): FwVariable => ({
  name,
  default: def,
  events,
  description,
});

const USER = except(FILES);
const USER_KNOWN = except(FILES, ['user_delete']);
const LINK_ANY = except(FILES, ['user_add', 'user_edit', 'balance']);
const ADDRESS = [...INTERNET, ...HOTSPOT, ...BANDWIDTH];

/**
 * The variables of firewall rule templates (the manual's "RFW / Variables" table), declared once: rendering,
 * rpcf_get_fw_subst and the README derive from this table. Order as the manual's.
 */
export const FW_VARIABLES: readonly FwVariable[] = [
  v('UID', '', USER, 'User ID'),
  v('UGROUP', '', USER, "Semicolon-delimited list of the IDs of the user's groups"),
  v('LOGIN', '', USER, 'User login'),
  v('EMAIL', '', USER_KNOWN, "E-mail address set in the user's properties"),
  v('ACCOUNT_ID', '0', USER_KNOWN, 'Account ID'),
  v('RULE_ID', '0', USER_KNOWN, 'User ID plus the system parameter fw_rule_id_offset (Minimal value of RULE_ID)'),
  v('FULL_NAME', '', USER_KNOWN, 'Full name of the user'),
  v('MOBILE_PHONE', '', USER_KNOWN, 'User mobile phone number'),
  v('WORK_PHONE', '', USER_KNOWN, 'User work phone number'),
  v('HOME_PHONE', '', USER_KNOWN, 'User home phone number'),
  v('SWITCH_IP', '', USER_KNOWN, "The remote switch set in the user's properties"),
  v('SWITCH_PORT', '', USER_KNOWN, "Switch port set in the user's properties"),
  v('SLINK_ID', '0', LINK_ANY, 'Service link ID'),
  v('ULOGIN', '', [...INTERNET, ...DIALUP, ...HOTSPOT, ...BANDWIDTH], 'Login of the service link or IP group'),
  v('UIP', '0.0.0.0', ADDRESS, 'Network address of the IP group'),
  v('UMASK', '255.255.255.255', ADDRESS, 'Dot-separated network mask (e.g. 255.255.255.0)'),
  v('UINVERTMASK', '0.0.0.0', ADDRESS, 'Dot-separated inverted network mask (e.g. 0.255.255.255), for Cisco'),
  v('UBITS', '32', ADDRESS, 'Network mask in bits (32 for 255.255.255.255)'),
  v('MAC', '', [...INTERNET, ...BANDWIDTH], 'MAC address of the IP group'),
  v('SERVICE_ID', '0', [...DIALUP, ...SESSION, ...IPTRAFFIC, ...TEL, ...TECH, ...IPTV], 'Service ID'),
  v('UPASS', '', [...DIALUP, ...HOTSPOT], 'Hotspot or dialup service link password'),
  v('DIALUP_FLAGS', '', DIALUP, 'Dialup link flags: 0 ringdown allowed, 3 callback allowed, 1 both'),
  v('UCID', '', DIALUP, 'Allowed CID of the dialup link'),
  v('UCSID', '', DIALUP, 'Allowed CSID of the dialup link'),
  v('DIALUP_LIST', '', BLOCK, "The account's dialup links: id/login/password/CID/CSID/flags;..."),
  v('BLOCK_TYPE', '-1', BLOCK, 'Block type in force (0 none)'),
  v('SLINK_LIST', '', BLOCK, "Semicolon-separated IDs of the account's service links"),
  v('EXTERNAL_ID', '', BLOCK, 'External account ID'),
  v('BALANCE', '0', ['balance'], 'Account balance'),
  v('TECH_PARAM_TYPE', '0', TECH, 'Tech parameter type: 1 web, 2 e-mail'),
  v('TECH_PARAM_ID', '0', TECH, 'Tech parameter ID'),
  v('TECH_PARAM_VALUE', '', TECH, 'Tech parameter value'),
  v('TECH_PARAM_PASS', '', TECH, 'Tech parameter password'),
  v('TECH_PARAM_T_ID', '-1', TECH, 'Tech parameter type ID: 1 web, 2 e-mail'),
  v('SERVICE_TYPE', '0', [...SESSION, ...TECH], 'Service type'),
  v('TARIFF_LINK_ID', '0', [...IPTRAFFIC, ...VOD], 'Tariff link ID'),
  v('DISCOUNT_PERIOD_ID', '0', [...IPTRAFFIC, ...VOD], 'Accounting period ID'),
  v('START_DATE', '0', [...IPTRAFFIC, ...VOD], 'Start of the service link (unix time)'),
  v('END_DATE', '0', [...IPTRAFFIC, ...VOD], 'End of the service link (unix time)'),
  // The manual lists it for link events only; the per-IP-group events have the group in hand, so they get it too.
  v(
    'IP_GROUP_ID',
    '0',
    [...IPTRAFFIC, ...VOD, ...INTERNET, ...BANDWIDTH],
    'IP group ID (of the link, or the one the command is for)',
  ),
  v('IPTV_SERVICE_DATA', '', IPTV, 'Custom options of the IPTV service'),
  v('IP_GROUP_LIST', '', [...BLOCK, ...IPTRAFFIC], 'IP groups: address/mask/login/password/MAC/NetFlow provider;...'),
  v('TIME_LIMIT', '0', HOTSPOT, 'Remaining hotspot time'),
  v('TEL_LIST', '', [...TEL, ...BLOCK], 'Numbers: number/login/CIDs/incoming trunk/outgoing trunk/pbx_id/password;...'),
  v('NAS_ID', '', SESSION, 'NAS (PBX) ID'),
  v('NAS_IP', '0.0.0.0', SESSION, 'NAS IP address'),
  v('SESSION_ID', '', SESSION, 'Session ID'),
  v('ACCT_STATUS_TYPE', '0', SESSION, 'Session status: 1 open, 2 closed'),
  v('CALLING_SID', '', SESSION, 'Calling station ID'),
  v('CALLED_SID', '', SESSION, 'Called station ID'),
  v('FRAMED_IP', '0.0.0.0', SESSION, 'Framed-IP-Address (8) of the session'),
  v('BANDWIDTH', '0', BANDWIDTH, 'The bandwidth permitted now (Kbit/s)'),
  ...(['IN', 'OUT'] as const).flatMap((dir) =>
    Object.keys(SHAPING_VARIABLE_VALUES).map((n) =>
      v(`${dir}_${n}`, '0', BANDWIDTH, `The ${dir === 'IN' ? 'incoming' : 'outgoing'} limit in force as ${n}`),
    ),
  ),
  v('PATH', '', FILES, 'Path of the closed file'),
  v('PAYMENT_AMOUNT', '0', ['payment'], 'Payment amount'),
  v('PAYMENT_TYPE', '0', ['payment'], 'Payment method ID'),
  v('ACTION', '', ['user_log'], 'User log action'),
  v('COMMENTS', '', ['user_log'], 'User log comments'),
  v('WHO', '', ['user_log'], 'Who made the change'),
  v('PASSWORD', '', ['hotspot_user_add'], 'Personal cabinet password of a hotspot user'),
  v('TEL_NUMBER', '', ['hotspot_user_add'], 'Mobile phone number of a hotspot user'),
  v('TILL', '', ['hotspot_user_add'], 'Hotspot card time limit'),
  v('USW_IP', '', INTERNET, 'Switch IP address of the IP group'),
  v('USW_LOGIN', '', INTERNET, 'Switch login of the IP group'),
  v('USW_PASS', '', INTERNET, 'Switch password of the IP group'),
  v('USW_REMOTE_ID', '', INTERNET, 'Switch Remote ID of the IP group'),
  v('USW_ID', '', INTERNET, 'Switch ID of the IP group'),
  v('USW_PORT', '', INTERNET, 'Switch port of the IP group'),
  v('UVLAN', '', INTERNET, 'VLAN of the IP group'),
];

const BY_NAME = new Map(FW_VARIABLES.map((x) => [x.name, { x, events: new Set<FwEventKey>(x.events) }]));

/** The matcher of every variable name (longest first). */
export const FW_VARIABLE_MATCHER = new VariableMatcher(FW_VARIABLES.map((x) => x.name));

/** The events mask a variable applies to (rpcf_get_fw_subst). */
export function variableEventMask(x: FwVariable): number {
  return eventMask(x.events);
}

/**
 * What a variable is replaced with in a command of `event`: its value from the event's data when it applies to the
 * event and the data has it, else its default.
 */
export function variableValue(name: string, event: FwEventKey, values: ReadonlyMap<string, string>): string {
  const e = BY_NAME.get(name);
  if (!e) return name;
  if (!e.events.has(event)) return e.x.default;
  return values.get(name) ?? e.x.default;
}
