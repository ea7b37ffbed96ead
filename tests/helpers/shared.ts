import fs from 'node:fs';
import path from 'node:path';
import { sharedDir } from '../../electron/core/util/paths';

/**
 * The read-only material in ../shared (or CAUDAL_SHARED_DIR). Integration tests that need it
 * call `requireShared()` in a beforeAll: when it is absent they fail loudly, naming what is
 * missing, unless CAUDAL_ALLOW_MISSING_SHARED=1 is set, which skips them with a visible reason.
 */
export const SHARED = sharedDir();

export function sharedPath(...parts: string[]): string {
  if (!SHARED) throw new Error('../shared is not present: set CAUDAL_SHARED_DIR to the folder holding models/ and datasets/');
  const p = path.join(SHARED, ...parts);
  if (!fs.existsSync(p)) throw new Error(`missing shared file ${p}`);
  return p;
}

export const sharedAvailable = (): boolean => Boolean(SHARED);
/** For describe.skipIf: skip only when the user explicitly allows it. */
export const skipWithoutShared = !SHARED && process.env.CAUDAL_ALLOW_MISSING_SHARED === '1';
