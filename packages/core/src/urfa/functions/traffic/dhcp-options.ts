import { L, type LayoutNode } from '@utm5/protocol';

const at = (index: string) => ({ index, default: '0' });

/**
 * The DHCP options of an IP group (row i) in rpcf_add_iptraffic_service_link_ipv6 and
 * rpcf_get_iptraffic_service_link_ipv6, as the reference lays them out. UTM5-TS keeps no DHCP options per IP group
 * (utm5_dhcp takes its options from its own tables): they are read to stay in step with the wire, and answered as 0.
 *
 * The reference counts the loops by dhcp_options_size and ip_array_size and tests dhcp_data_type without an index,
 * which reads row 0's value in every row. The sets (nothing on the wire) copy this row's values to where the count
 * and the test look, so a group with options decodes right in any row.
 */
export const DHCP_OPTIONS: readonly LayoutNode[] = [
  L.int('dhcp_options_size', at('i')),
  L.set({ dst: 'dhcp_options_count', src: 'dhcp_options_size', srcIndex: 'i' }),
  L.for('ii', '0', 'dhcp_options_count', [
    L.int('dhcp_option_id', at('i,ii')),
    L.int('dhcp_data_type', at('i,ii')),
    L.set({ dst: 'dhcp_data_type', src: 'dhcp_data_type', srcIndex: 'i,ii' }),
    L.if('dhcp_data_type', 'eq', '1', [L.int('dhcp_attr_data_int', at('i,ii'))]),
    L.if('dhcp_data_type', 'eq', '2', [L.str('dhcp_attr_data_string', at('i,ii'))]),
    L.if('dhcp_data_type', 'eq', '3', [L.ip('dhcp_attr_data_ip', at('i,ii'))]),
    L.if('dhcp_data_type', 'eq', '4', [L.str('dhcp_attr_data_hex_bin', at('i,ii'))]),
    L.if('dhcp_data_type', 'eq', '5', [
      L.int('ip_array_size', at('i,ii')),
      L.set({ dst: 'dhcp_ip_count', src: 'ip_array_size', srcIndex: 'i,ii' }),
      L.for('iii', '0', 'dhcp_ip_count', [L.ip('attr_data_ip', { index: 'i,ii,iii' })]),
    ]),
  ]),
];
