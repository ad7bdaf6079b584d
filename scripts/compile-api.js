#!/usr/bin/env node
'use strict';
// Precompiles api.xml schemes for the CLI tools (xml/api.xml when no file is given): `npm install` and `npm run gen`
// run it. A compiled form answers only for the exact text it was made from, so a scheme edited later is parsed
// again rather than read stale.
const { join } = require('node:path');
const { compileApiXml } = require('../packages/urfaclient/dist/index.js');

const files = process.argv.length > 2 ? process.argv.slice(2) : [join(__dirname, '..', 'xml', 'api.xml')];
for (const f of files) compileApiXml(f);
