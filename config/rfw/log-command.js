#!/usr/bin/env node
'use strict';
// A harmless firewall_path for trying utm5_rfw (npm start) and for tests: appends its arguments, one JSON array per
// line, to $UTM5_RFW_COMMAND_LOG (default var/log/rfw-commands.log under the working directory). It changes nothing
// else; exit status $UTM5_RFW_COMMAND_EXIT (default 0) lets a test make it fail.
const { appendFileSync, mkdirSync } = require('node:fs');
const { dirname, resolve } = require('node:path');

const file = resolve(process.env.UTM5_RFW_COMMAND_LOG || 'var/log/rfw-commands.log');
mkdirSync(dirname(file), { recursive: true });
appendFileSync(file, `${JSON.stringify(process.argv.slice(2))}\n`);
const code = Number(process.env.UTM5_RFW_COMMAND_EXIT || 0);
if (code !== 0) process.stderr.write(`log-command: failing with exit ${code} as asked\n`);
process.exit(code);
