import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer only; Node code is compiled by tsc (scripts/build.mjs).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
});
