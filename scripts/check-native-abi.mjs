// Usage:
//   node scripts/check-native-abi.mjs --preflight     refuse to start a dist build when npm's nodedir is set
//   node scripts/check-native-abi.mjs <app folder>    every better_sqlite3.node under it must be Electron's ABI
// electron-builder runs the second form after packing (scripts/after-pack.cjs); see docs/desktop.md.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const abi = require('./native-abi.cjs');
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

const arg = process.argv[2];
try {
  if (arg === '--preflight') {
    const nodedir = abi.npmNodedir();
    if (nodedir) {
      throw new Error(
        `npm config nodedir is set to '${nodedir}'. With it, the Electron rebuild of better-sqlite3 silently compiles ` +
          `against that Node's headers and the packaged app cannot open its catalog.\n` +
          `Fix: npm config delete nodedir (and remove it from ~/.npmrc / the global npmrc), or run with npm_config_nodedir= set empty.`,
      );
    }
    console.log('native-abi preflight: npm nodedir is not set');
  } else if (arg) {
    const version = abi.electronVersion(root);
    const expected = abi.electronAbi(version);
    const files = abi.findBinaries(path.resolve(arg));
    if (!files.length) throw new Error(`no better_sqlite3.node under ${path.resolve(arg)}: was it unpacked from the asar (asarUnpack)?`);
    for (const f of files) console.log(`native-abi: ${f}: NODE_MODULE_VERSION ${abi.checkBinary(f, expected, `Electron ${version}`)} ok`);
  } else {
    console.error('usage: check-native-abi.mjs --preflight | <packaged app folder>');
    process.exit(2);
  }
} catch (e) {
  console.error(`\n*** native module check FAILED ***\n${e.message}\n`);
  process.exit(1);
}
