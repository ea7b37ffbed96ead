import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The few files that run whole demos or embed a whole dataset start first, so the two workers
 * finish together instead of one of them starting a 2-minute file at the end (a fresh clone has
 * no timing cache to order by).
 */
const HEAVY = ['demo-resume', 'match-eval-datasets', 'demo.test', 'first-run', 'import-datasets', 'eval-command'];
class HeavyFirst extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = HEAVY.findIndex((h) => f.moduleId.includes(`/${h}`));
      return i < 0 ? HEAVY.length : i;
    };
    const sorted = await super.sort(files);
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

export default defineConfig({
  plugins: [react()],
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    globals: true,
    setupFiles: ['tests/setup/remove-tmp.ts', 'tests/setup/dom-waits.ts'],
    environment: 'node',
    // Bounds for a hung test, not speed targets: on a shared 2-core machine a test can take 5-10x
    // its quiet-machine time, and a 60 s limit then failed the demo tests by load alone.
    // Speed is measured by benchmarks (`npm run bench`), as ratios, never by a test's timeout.
    testTimeout: 900_000,
    hookTimeout: 900_000,
    // Native modules (better-sqlite3, sharp, onnxruntime) are safest in forks.
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: HeavyFirst },
    // The JSON report lets .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-artifacts/vitest-results.json' },
  },
});
