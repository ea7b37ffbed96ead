// Which Node ABI a native module was built for, and whether that is Electron's.
//
// Why this exists: better-sqlite3 is not N-API, so its .node file only loads in the runtime whose
// NODE_MODULE_VERSION it was compiled against (Node 20 = 115, Electron 41 = 145). electron-builder
// rebuilds it for Electron, but a global npm config `nodedir` (e.g. /usr, set by distro packages)
// makes node-gyp use the system Node's headers instead: the rebuild "succeeds" and silently
// produces a Node build that fails at start-up with "was compiled against a different Node.js
// version". The packaged binary is checked here, and the build fails loudly.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

/** Non-N-API modules export `node_register_module_v<ABI>`; the name is in the binary on every OS. */
function moduleAbi(file) {
  const text = fs.readFileSync(file).toString('latin1');
  const found = new Set([...text.matchAll(/node_register_module_v(\d+)/g)].map((m) => Number(m[1])));
  if (found.size === 0) return null; // N-API (ABI-independent) or not a Node module
  if (found.size > 1) throw new Error(`${file} names several Node ABIs: ${[...found].join(', ')}`);
  return [...found][0];
}

function electronVersion(root) {
  return JSON.parse(fs.readFileSync(require.resolve('electron/package.json', { paths: [root] }), 'utf8')).version;
}

function electronAbi(version) {
  return Number(require('node-abi').getAbi(version, 'electron'));
}

/** Finds better_sqlite3.node under a packaged app folder (linux-unpacked, win-unpacked, Caudal.app). */
function findBinaries(dir, name = 'better_sqlite3.node') {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.isSymbolicLink()) walk(p);
      else if (e.name === name) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Throws, naming the file, when a binary is not built for `expectedAbi`. */
function checkBinary(file, expectedAbi, runtime = 'Electron') {
  const abi = moduleAbi(file);
  if (abi === null) throw new Error(`${file} has no NODE_MODULE_VERSION marker: is it a Node native module?`);
  if (abi !== expectedAbi) {
    throw new Error(
      `${file} is built for NODE_MODULE_VERSION ${abi}, but ${runtime} needs ${expectedAbi}.\n` +
        `The Electron rebuild produced a plain Node build. The usual cause is an npm config 'nodedir' ` +
        `(now: ${npmNodedir() || 'unset'}); run \`npm config delete nodedir\` (check ~/.npmrc and the global npmrc too) ` +
        `and \`npm run dist\` again.`,
    );
  }
  return abi;
}

/** The nodedir npm would hand to node-gyp, from the environment or any npmrc. */
function npmNodedir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  try {
    const v = execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['config', 'get', 'nodedir'], { encoding: 'utf8', shell: process.platform === 'win32' }).trim();
    return v === 'undefined' || v === 'null' ? '' : v;
  } catch {
    return '';
  }
}

module.exports = { moduleAbi, electronVersion, electronAbi, findBinaries, checkBinary, npmNodedir };
