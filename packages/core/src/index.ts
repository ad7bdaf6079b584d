export { coreConfig, type CoreConfig } from './config/core-config';
export { Core, type CoreDeps, type ConnectionFactory } from './core';
export { main, run } from './main';
export { isPermitted } from './system-users/permission';
export { SystemUserService } from './system-users/system-user-service';
export type { Principal } from './system-users/principal';
export { DEFAULT_SYSTEM_USERS, defaultPasswordOf } from './system-users/defaults';
export { FunctionRegistry, apiXml, API_XML_HEADER } from './urfa/registry';
export { ALL_FUNCTIONS } from './urfa/functions/index';
export type { CoreFunction } from './urfa/core-function';
export { Scheduler, type SystemServiceDef, type ServiceState } from './scheduler/scheduler';
export { parseSchedule, formatSchedule, nextDue, type Schedule } from './scheduler/schedule';
export { StreamHub, RecordRejected } from './stream/stream-hub';
export { SESSION_RESTORE_RIGHT } from './urfa/urfa-protocol';
export { Tariffication } from './tariffication/engine';
export { PeriodType, periodEnd } from './tariffication/period-calendar';
export { ChargeMethod, ServiceStatus, ServiceType } from './tariffication/model';
export { TrafficModule } from './traffic/traffic-module';
export {
  TrafficCatalog,
  TCLASS_USE,
  type TclassDef,
  type SubclassRow,
  type IpTrafficParams,
  type IpGroupDef,
} from './traffic/catalog';
export { GroupType } from './traffic/pricing';
export { emptyProfile } from './billing/users/user-profile';
export { RadiusModule } from './radius/radius-module';
export { RadiusCatalog, type NasDef, type DialupLinkDef } from './radius/catalog';
export { setHotspotNetworks, hotspotNetworks, type AllowedNet } from './radius/hotspot-networks';
export { IpPoolCatalog } from './radius/ip-pools';
export { ShapingModule } from './shaping/shaping-module';
export { SHAPING_FLAG, ACC_STATE, type ShapingSettings, type ShapingLimit, type ShapingAttr } from './shaping/settings';
export { CoreErrorCodes, type CoreErrorCode } from './error-codes';
export { FW_EVENTS, FW_EVENT_BIT, FW_EVENTS_RAISED, eventMask, hasEvent, type FwEventKey } from './rfw/fw-events';
export { FW_VARIABLES, type FwVariable } from './rfw/variables';
