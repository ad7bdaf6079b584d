export { type FlowRecord, type ExportHeader, emptyFlow } from './flow';
export { NetflowError, type NetflowErrorReason } from './netflow-error';
export { decodeV5, encodeV5, uptimeToUnix, V5_MAX_RECORDS, type V5BuildOptions } from './v5';
export { NetflowDecoder, type DecoderOptions, type DecodeResult, type DecoderStats } from './decoder';
export { encodeV9, encodeIpfix, BUILD_TEMPLATE_V4, BUILD_TEMPLATE_V6, type TemplateExportOptions } from './encoder';
export { IE } from './fields';
export { TemplateCache, type Template, type TemplateField } from './templates';
export {
  TrafficClassifier,
  ClassDefinitionError,
  type TrafficClassDef,
  type SubclassDef,
  type SubclassSide,
} from './classify/classifier';
export { parsePrefix, PrefixTrie, type Prefix } from './classify/prefix';
// Re-exported for utm5_get_nf_direct's filters until @utm5/tools declares @utm5/inet itself.
export {
  TrafficAggregator,
  STATS_INTERVAL_SECONDS,
  LocalPolicy,
  type AggregatorClass,
  type AggregatorIpGroup,
  type TrafficAggregate,
  type AggregatorCounters,
  type FlowAccounting,
  type RangeCheck,
} from './account/aggregator';
export {
  encodeRawHeader,
  decodeRawHeader,
  encodeRawFlow,
  decodeRawFlows,
  decodeRawFile,
  RAW_MAGIC,
  RAW_VERSION,
  RAW_HEADER_SIZE,
  RAW_RECORD_V4,
  RAW_RECORD_V6,
  type RawFlow,
  type RawFileHeader,
  type RawFileContents,
  type RawFileProblem,
  type RawFileProblemReason,
} from './raw/format';
export {
  RawFileWriter,
  RawFileError,
  RAW_FILE_NAME,
  type RawFileWriterOptions,
  type RawFileErrorReason,
} from './raw/writer';
export {
  readRawFile,
  readRawFlows,
  readRawDir,
  listRawFiles,
  type RawFileSummary,
  type RawFileEnd,
} from './raw/reader';
export { contains as prefixContains } from './classify/prefix';
export { NetflowReceiver, type ReceiverCounters, type ReceiverOptions } from './account/receiver';
