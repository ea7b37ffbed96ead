import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary folder, removed after the test file when `cleanup` runs. */
export function tmpDir(prefix = 'caudal-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
