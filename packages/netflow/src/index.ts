export { type FlowRecord, type ExportHeader, emptyFlow, ipv4, ipv6, writeIpv4, writeIpv6 } from './flow';
export { NetflowError, type NetflowErrorReason } from './netflow-error';
export { decodeV5, encodeV5, uptimeToUnix, V5_MAX_RECORDS, type V5BuildOptions } from './v5';
export { NetflowDecoder, type DecoderOptions, type DecodeResult, type DecoderStats } from './decoder';
export { encodeV9, encodeIpfix, BUILD_TEMPLATE_V4, BUILD_TEMPLATE_V6, type TemplateExportOptions } from './encoder';
export { IE } from './fields';
export { TemplateCache, type Template, type TemplateField } from './templates';
export { TrafficClassifier, ClassDefinitionError, type TrafficClassDef, type SubclassDef, type SubclassSide } from './classify/classifier';
export { parseAddress, parsePrefix, PrefixTrie, type Prefix } from './classify/prefix';
export { TrafficAggregator, type AggregatorCounters, type FlowAccounting, type RangeCheck } from './account/aggregator';
export {
  LocalPolicy, TOPIC, TRAFFIC_RECORD_KIND, type TclassItem, type IpGroupItem, type CollectorItem, type TrafficItem, type TimeRangeWire,
} from './account/topics';
