// Builds everything `npm start`, `npx caudal` and `npm run web` need:
//   out/electron/**  Node code (core, CLI, server, main) compiled by tsc
//   out/electron/preload/preload.js  the sandboxed preload, bundled into one file
//   out/renderer/**  the React renderer, bundled by vite
//   out/icon.png  the window icon
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const only = process.argv[2]; // optional: node | renderer

const step = (name, fn) => {
  const t = Date.now();
  fn();
  console.log(`built ${name} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
};

const { build } = await import('vite');

if (!only || only === 'node') {
  step('node (tsc)', () => {
    fs.rmSync(path.join(root, 'out', 'electron'), { recursive: true, force: true });
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'electron/tsconfig.json'], { cwd: root, stdio: 'inherit' });
  });
  const t = Date.now();
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      outDir: 'out/electron/preload',
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: false,
      lib: { entry: 'electron/preload/preload.ts', formats: ['cjs'], fileName: () => 'preload.js' },
      rollupOptions: { external: ['electron'] },
    },
  });
  console.log(`built preload in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  // The window icon on Linux (Windows and macOS take it from the installer); build/ is not packaged.
  fs.copyFileSync(path.join(root, 'build', 'icons', '512x512.png'), path.join(root, 'out', 'icon.png'));
}
if (!only || only === 'renderer') {
  const t = Date.now();
  await build({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' });
  console.log(`built renderer in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
