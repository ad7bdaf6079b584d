'use strict';
// Files derived from declarations in the code (config samples, api.xml). `npm run gen` writes them; a test fails
// when a committed copy differs, so the declaration and the file never drift.
const { renderSample } = require('@utm5/common');

function generatedFiles() {
  const files = [];
  const { coreConfig, apiXml, FunctionRegistry, ALL_FUNCTIONS } = require('@utm5/core');
  files.push({ path: 'config/utm5.cfg', content: renderSample(coreConfig) });
  files.push({ path: 'xml/api.xml', content: apiXml(new FunctionRegistry(ALL_FUNCTIONS)) });
  const { urfaclientConfig } = require('@utm5/urfaclient');
  files.push({ path: 'config/utm5_urfaclient.cfg', content: renderSample(urfaclientConfig) });
  return files;
}

module.exports = { generatedFiles };
