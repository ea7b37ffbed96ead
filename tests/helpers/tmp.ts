import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A fresh temporary folder, removed after the test file (tests/setup/remove-tmp.ts). */
export function tmpDir(prefix = 'caudal-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder `tmpDir` made in this test file. Kept with CAUDAL_KEEP_TMP=1, to look at after a failure. */
export function removeTmpDirs(): void {
  if (process.env.CAUDAL_KEEP_TMP === '1') return;
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
