export { main, run, URFACLIENT_EXIT } from './main';
export { urfaclientConfig, type UrfaclientConfig } from './config';
export { parseApiXml, loadApiXml, compileApiXml, compiledSchemePath } from './api-schema';
export {
  loadScript,
  runScript,
  scriptParameters,
  ScriptError,
  ScriptExit,
  type Script,
  type ScriptHost,
} from './script';
export { loadDataFile } from './datafile';
export { parseXml, type XmlElement } from './xml-tree';
export { UrfaApi } from './api-client';
export { renderActionScript, actionName, GENERATED_SCRIPT_MARKER } from './script-render';
export { UrfaclientErrorCodes, type UrfaclientErrorCode } from './error-codes';
