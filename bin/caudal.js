#!/usr/bin/env node
'use strict';
// The CLI runs the compiled core (npm's `prepare` builds it after `npm ci`).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'electron', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('caudal: not built yet. Run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
require(entry)
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
