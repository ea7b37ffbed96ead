import fs from 'node:fs';
import path from 'node:path';
import type { ExportKind } from '../../contract';
import { errText, UserError } from '../util/errors';

/** Kinds whose `out` is a folder (made by the export, like a file would be); the others write one file. */
export const folderKinds: readonly ExportKind[] = ['wildbook', 'folders'];

/**
 * An export makes its own output (the file, or the folder of a folder export) but never the
 * folders that lead to it unless asked: a typo in a path should be an error, not a new folder
 * tree somewhere. Throws a UserError with code `no-folder` (the app then offers to create it), or
 * one that says in words why the place cannot be written.
 */
export function checkExportTarget(kind: ExportKind, out: string, mkdir: boolean): void {
  const target = path.resolve(out);
  const own = statOf(target);
  if (own && folderKinds.includes(kind) !== own.isDirectory()) {
    throw new UserError(`cannot export to ${target}: it is ${own.isDirectory() ? 'a folder; give a file name' : 'a file; give a folder'}`, 'bad-path');
  }
  const dir = path.dirname(target);
  const st = statOf(dir);
  if (!st) {
    if (mkdir) return;
    throw new UserError(`the folder ${dir} does not exist`, 'no-folder');
  }
  if (!st.isDirectory()) throw new UserError(`cannot export to ${target}: ${dir} is a file, not a folder`, 'bad-path');
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (e) {
    throw new UserError(`cannot write to ${dir}: ${errText(e)}`, 'not-writable');
  }
}

/** The path's stat, null when it is not there; a file standing where a folder should be is said so. */
function statOf(p: string): fs.Stats | null {
  try {
    return fs.statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UserError(`cannot export to ${p}: part of that path is a file, not a folder`, 'bad-path');
    throw e;
  }
}

/** A file-system failure while writing `out`, in words (the errno text stays out of the UI). */
export function writeError(out: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (!code || e instanceof UserError) return e as Error;
  return new UserError(`cannot write ${path.resolve(out)}: ${errText(e)}`, 'not-writable');
}
