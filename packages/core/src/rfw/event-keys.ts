import type { BillingEvent } from '../events/billing-events';
import { ServiceType } from '../tariffication/model';
import type { FwEventKey } from './fw-events';

const LINK_PREFIX: Partial<Record<number, string>> = {
  [ServiceType.IPTRAFFIC]: 'iptraffic_link',
  [ServiceType.DIALUP]: 'dialup_link',
  [ServiceType.TELEPHONY]: 'tel_link',
  [ServiceType.IPTV]: 'iptv_link',
  [ServiceType.VOD]: 'vod_link',
};

/** The initiating events (FW_EVENTS keys) a billing event is: usually one, none for links of once/periodic services. */
export function fwEventKeys(ev: BillingEvent): FwEventKey[] {
  switch (ev.kind) {
    case 'internet':
      return [ev.on ? 'internet_on' : 'internet_off'];
    case 'user':
      return [`user_${ev.op}`];
    case 'block':
      return ['block_changed'];
    case 'balance':
      return ['balance'];
    case 'session': {
      const hotspot = ev.serviceType === ServiceType.HOTSPOT;
      if (ev.op === 'open') return hotspot ? ['session_open', 'hotspot_on'] : ['session_open'];
      return hotspot ? ['session_close', 'hotspot_off'] : ['session_close'];
    }
    case 'link': {
      if (ev.serviceType === ServiceType.HOTSPOT) return ev.op === 'add' ? ['hotspot_user_add'] : [];
      const prefix = LINK_PREFIX[ev.serviceType];
      return prefix ? [`${prefix}_${ev.op}` as FwEventKey] : [];
    }
    case 'tech_param':
      return [`tech_param_${ev.op}`];
    case 'bandwidth':
      return [`bw_${ev.dir}_${ev.op}`];
    case 'invoice':
      return [];
    case 'dhcp_lease':
      return [`dhcp_lease_${ev.op}`];
    case 'raw_file_closed':
    case 'log_file_closed':
    case 'payment':
    case 'user_log':
      return [ev.kind];
  }
}
