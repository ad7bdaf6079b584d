'use strict';
// Files derived from declarations in the code (config samples, api.xml). `npm run gen` writes them; a test fails
// when a committed copy differs, so the declaration and the file never drift.
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { renderSample } = require('@utm5/common');

const root = join(__dirname, '..');

function generatedFiles() {
  const files = [];
  const { coreConfig, apiXml, FunctionRegistry, ALL_FUNCTIONS } = require('@utm5/core');
  files.push({ path: 'config/utm5.cfg', content: renderSample(coreConfig) });
  files.push({ path: 'xml/api.xml', content: apiXml(new FunctionRegistry(ALL_FUNCTIONS)) });
  const { urfaclientConfig, renderActionScript, actionName, GENERATED_SCRIPT_MARKER } = require('@utm5/urfaclient');
  // One action script per function; a hand-written script of the same name (without the marker) is kept instead.
  for (const f of ALL_FUNCTIONS) {
    const path = `xml/${actionName(f.schema.name)}.xml`;
    const abs = join(root, path);
    if (existsSync(abs) && !readFileSync(abs, 'utf8').includes(GENERATED_SCRIPT_MARKER)) continue;
    files.push({ path, content: renderActionScript(f.schema, f.docs) });
  }
  files.push({ path: 'config/utm5_urfaclient.cfg', content: renderSample(urfaclientConfig) });
  const { paymentToolConfig, sendTrafficConfig, sendCdrConfig } = require('@utm5/tools');
  files.push({ path: 'config/utm5_payment_tool.cfg', content: renderSample(paymentToolConfig) });
  files.push({ path: 'config/utm5_send_traffic.cfg', content: renderSample(sendTrafficConfig) });
  files.push({ path: 'config/utm5_send_cdr.cfg', content: renderSample(sendCdrConfig) });
  const { collectorConfig } = require('@utm5/collector');
  files.push({ path: 'config/utm5_traffic_collector.cfg', content: renderSample(collectorConfig) });
  const { radiusConfig } = require('@utm5/radiusd');
  files.push({ path: 'config/radius5.cfg', content: renderSample(radiusConfig) });
  const { rfwConfig } = require('@utm5/rfw');
  files.push({ path: 'config/rfw5.cfg', content: renderSample(rfwConfig) });
  return files;
}

module.exports = { generatedFiles };
