export { parseIpv4, formatIpv4, ipv4ToSigned, readIpv4, writeIpv4 } from './ipv4';
export { parseIpv6, formatIpv6, writeIpv6 } from './ipv6';
export { parseAddress, formatAddress, unmapIpv4 } from './address';
