// electron-builder afterPack hook: fail the build when the packaged better-sqlite3 is not built
// for Electron's ABI (see scripts/native-abi.cjs for why this happens silently).
const path = require('node:path');
const abi = require('./native-abi.cjs');

exports.default = async function afterPack(context) {
  const root = path.join(__dirname, '..');
  const version = context.packager?.config?.electronVersion ?? abi.electronVersion(root);
  const expected = abi.electronAbi(version);
  const files = abi.findBinaries(context.appOutDir);
  if (!files.length) throw new Error(`afterPack: no better_sqlite3.node under ${context.appOutDir} (asarUnpack missing?)`);
  for (const f of files) abi.checkBinary(f, expected, `Electron ${version}`);
  console.log(`  • native-abi  better-sqlite3 is built for Electron ${version} (NODE_MODULE_VERSION ${expected})`);
};
