import type { Migration } from './migration';
import { m001SystemUsers } from './001-system-users';
import { m002ReferenceData } from './002-reference-data';
import { m003UserLog } from './003-user-log';
import { m004ServicesAndStreams } from './004-services-and-streams';
import { m005Billing } from './005-billing';
import { m006Tariffication } from './006-tariffication';
import { m007IpTraffic } from './007-ip-traffic';
import { m008Radius } from './008-radius';
import { m009IpPools } from './009-ip-pools';
import { m010RadiusTraffic } from './010-radius-traffic';
import { m011Shaping } from './011-shaping';
import { m012Telephony } from './012-telephony';
import { m013Rfw } from './013-rfw';
import { m014Archives } from './014-archives';
import { m015Dhcp } from './015-dhcp';
import { m016Documents } from './016-documents';
import { m017Mail } from './017-mail';
import { m018Invoices } from './018-invoices';
import { m019DocumentProfiles } from './019-document-profiles';
import { m020CoreState } from './020-core-state';

/** Every migration, in order. Later issues append here; released entries never change. */
export const MIGRATIONS: readonly Migration[] = [
  m001SystemUsers,
  m002ReferenceData,
  m003UserLog,
  m004ServicesAndStreams,
  m005Billing,
  m006Tariffication,
  m007IpTraffic,
  m008Radius,
  m009IpPools,
  m010RadiusTraffic,
  m011Shaping,
  m012Telephony,
  m013Rfw,
  m014Archives,
  m015Dhcp,
  m016Documents,
  m017Mail,
  m018Invoices,
  m019DocumentProfiles,
  m020CoreState,
];

export type { Migration } from './migration';
export { WHEEL_GROUP_ID, DEALERS_GROUP_ID } from './001-system-users';
export { RATE_SCALE } from './002-reference-data';
