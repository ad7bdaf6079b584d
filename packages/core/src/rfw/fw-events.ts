import type { RfwSyncFlag } from '@utm5/protocol';

/**
 * The initiating events of firewall rules, in the manual's order ("RFW / Events"), declared once: the bit of each in a
 * rule's `events` mask (URFA `long`), its name as the manual gives it, and the sync flag of utm5_rfw that replays it.
 * UTM5 does not publish its bit values; ours are the manual's list order, bit 0 first, and a client reads them with
 * rpcf_get_fw_events (0x0048) and rpcf_get_fw_subst (0x0049) rather than hard-coding them.
 */
export const FW_EVENTS = [
  { key: 'internet_on', name: 'Turn Internet on', sync: 'enable' },
  { key: 'internet_off', name: 'Turn Internet off', sync: 'disable' },
  { key: 'user_add', name: 'Adding users', sync: 'users' },
  { key: 'user_edit', name: 'User modified' },
  { key: 'user_delete', name: 'Removing a user' },
  { key: 'block_changed', name: 'Block type changed', sync: 'blocks' },
  { key: 'balance', name: 'Balance events' },
  { key: 'session_open', name: 'Session opened' },
  { key: 'session_close', name: 'Session closed' },
  { key: 'dialup_link_add', name: 'Dialup link added', sync: 'dialup' },
  { key: 'dialup_link_edit', name: 'Dialup link modified' },
  { key: 'dialup_link_delete', name: 'Dialup link deleted' },
  { key: 'iptraffic_link_add', name: 'IP traffic link added', sync: 'iptraffic' },
  { key: 'iptraffic_link_edit', name: 'IP traffic link modified' },
  { key: 'iptraffic_link_delete', name: 'IP traffic link deleted' },
  { key: 'tel_link_add', name: 'Telephony service link added' },
  { key: 'tel_link_edit', name: 'Telephony service link modified' },
  { key: 'tel_link_delete', name: 'Telephony service link deleted' },
  { key: 'hotspot_on', name: 'Hotspot enabled' },
  { key: 'hotspot_off', name: 'Hotspot disabled' },
  { key: 'hotspot_user_add', name: 'Add hotspot user' },
  { key: 'tech_param_add', name: 'Tech parameter added' },
  { key: 'tech_param_edit', name: 'Tech parameter modified' },
  { key: 'tech_param_delete', name: 'Tech parameter deleted' },
  { key: 'bw_in_set', name: 'Set bandwidth limit (incoming)', sync: 'shaping' },
  { key: 'bw_in_edit', name: 'Edit bandwidth limit (incoming)' },
  { key: 'bw_in_delete', name: 'Delete bandwidth limit (incoming)' },
  { key: 'bw_out_set', name: 'Set bandwidth limit (outgoing)', sync: 'shaping' },
  { key: 'bw_out_edit', name: 'Edit bandwidth limit (outgoing)' },
  { key: 'bw_out_delete', name: 'Delete bandwidth limit (outgoing)' },
  { key: 'raw_file_closed', name: 'Raw traffic file closed' },
  { key: 'log_file_closed', name: 'Log file closed' },
  { key: 'payment', name: 'Making payment' },
  { key: 'dhcp_lease_new', name: 'New DHCP lease' },
  { key: 'dhcp_lease_update', name: 'DHCP lease update' },
  { key: 'dhcp_lease_expire', name: 'DHCP lease expire' },
  { key: 'iptv_link_add', name: 'IPTV link added' },
  { key: 'iptv_link_edit', name: 'IPTV link modified' },
  { key: 'iptv_link_delete', name: 'IPTV link deleted' },
  { key: 'vod_link_add', name: 'VoD link added' },
  { key: 'vod_link_edit', name: 'VoD link modified' },
  { key: 'vod_link_delete', name: 'VoD link deleted' },
  { key: 'user_log', name: 'Store user log' },
] as const satisfies readonly { key: string; name: string; sync?: RfwSyncFlag }[];

export type FwEventKey = (typeof FW_EVENTS)[number]['key'];

/** The mask bit of each event: 2 ** its index (above 2^31 the mask is still exact: every bit is below 2^53). */
export const FW_EVENT_BIT: Readonly<Record<FwEventKey, number>> = Object.fromEntries(
  FW_EVENTS.map((e, i) => [e.key, 2 ** i]),
) as Record<FwEventKey, number>;

/**
 * The events this core raises (rpcf_get_fw_events). Not raised, because the billing has no such thing yet: DHCP,
 * IPTV and VoD events, technical parameters of links, "Raw traffic file closed" (the core keeps no raw NetFlow
 * files: the collector does) and "Log file closed" (logs rotate outside the database). A rule may still name them.
 */
export const FW_EVENTS_RAISED: readonly FwEventKey[] = FW_EVENTS.map((e) => e.key).filter(
  (k) => !/^(dhcp_|iptv_|vod_|tech_param_)/.test(k) && k !== 'raw_file_closed' && k !== 'log_file_closed',
);

/** Whether a rule's events mask has the event's bit (masks above 2^31 cannot use JS's 32-bit `&`). */
export function hasEvent(mask: number, key: FwEventKey): boolean {
  return Math.floor(mask / FW_EVENT_BIT[key]) % 2 === 1;
}

/** The events mask of a set of events. */
export function eventMask(keys: readonly FwEventKey[]): number {
  return [...new Set(keys)].reduce((m, k) => m + FW_EVENT_BIT[k], 0);
}

/** The events a sync flag replays. */
export function syncEvents(flag: RfwSyncFlag): FwEventKey[] {
  return FW_EVENTS.filter((e) => 'sync' in e && e.sync === flag).map((e) => e.key);
}
