import fs from 'node:fs';
import path from 'node:path';

/**
 * Puts a file (copied from a path, or written from bytes) at `dest` under a temporary name and
 * renames it into place, so a kill leaves either no file or a whole one, never half of one.
 */
export async function writeAtomically(dest: string, input: Buffer | string): Promise<void> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    if (typeof input === 'string') await fs.promises.copyFile(input, tmp);
    else await fs.promises.writeFile(tmp, input);
    await fs.promises.rename(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
