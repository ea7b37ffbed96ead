import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globals: true,
    setupFiles: ['tests/setup/remove-tmp.ts', 'tests/setup/dom-waits.ts'],
    environment: 'node',
    // The log goes to a throw-away folder, not the person's user data folder.
    env: { CAUDAL_LOG_DIR: path.join(os.tmpdir(), `caudal-test-logs-${process.pid}`) },
    // Bounds for a hung test, not speed targets: on a shared 2-core machine a test can take 5-10x
    // its quiet-machine time, and a 60 s limit then failed the demo tests by load alone.
    // Speed is measured by benchmarks (`npm run bench`), as ratios, never by a test's timeout.
    testTimeout: 900_000,
    hookTimeout: 900_000,
    // Native modules (better-sqlite3, sharp, onnxruntime) are safest in forks.
    pool: 'forks',
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-results.json' },
  },
});
