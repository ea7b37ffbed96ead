// Prints the plain closing line CI reads ("Tests: N passed, N failed, N skipped") from vitest's JSON report.
import fs from 'node:fs';
const file = process.argv[2] ?? 'test-artifacts/vitest-results.json';
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
process.exit(r.numFailedTests === 0 && r.numPassedTests > 0 ? 0 : 1);
