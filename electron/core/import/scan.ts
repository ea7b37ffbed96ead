import fs from 'node:fs';
import path from 'node:path';
import type { ImportFailure } from '../../contract';
import { errText } from '../util/errors';

/** What sharp decodes for us; other files are listed as skipped. The content is checked later. */
export const photoExtensions = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.tif', '.tiff', '.webp']);

/** Files every card or synced folder carries that are not anybody's photos. */
const JUNK = new Set(['thumbs.db', 'desktop.ini']);
const hidden = (name: string) => name.startsWith('.') || JUNK.has(name.toLowerCase());

export interface Scan {
  files: string[];
  /** Paths that could not be read, and files that are not photos Caudal reads. */
  failed: ImportFailure[];
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Expands files and folders (recursively) into the photo files to import, in a stable order so
 * that a resumed import walks the same list. Hidden files (macOS `._IMG_0001.JPG` shadows,
 * `.DS_Store`) are passed over silently; symlinked folders are followed once.
 */
export function scanPaths(paths: string[], exclude: Set<string> = new Set()): Scan {
  const files: string[] = [];
  const failed: ImportFailure[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const addFile = (file: string) => {
    if (exclude.has(file) || seenFiles.has(file)) return;
    seenFiles.add(file);
    const ext = path.extname(file).toLowerCase();
    if (photoExtensions.has(ext)) files.push(file);
    else failed.push({ file, error: `skipped: not a photo Caudal reads (${ext || 'no extension'}); JPEG, PNG, TIFF and WebP are` });
  };

  const walk = (dir: string) => {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(dir);
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      failed.push({ file: dir, error: `cannot read folder: ${errText(e)}` });
      return;
    }
    entries.sort((a, b) => byName.compare(a.name, b.name));
    for (const e of entries) {
      if (hidden(e.name)) continue;
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          failed.push({ file: p, error: `broken link: ${errText(err)}` });
          continue;
        }
      }
      if (isDir) walk(p);
      else if (isFile) addFile(p);
      else failed.push({ file: p, error: 'skipped: not a regular file (a pipe, socket or device)' });
    }
  };

  for (const given of paths) {
    const p = path.resolve(given);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      failed.push({ file: p, error: `cannot open: ${errText(e)}` });
      continue;
    }
    if (st.isDirectory()) walk(p);
    else if (st.isFile()) addFile(p);
    else failed.push({ file: p, error: 'skipped: not a regular file (a pipe, socket or device)' });
  }
  return { files, failed };
}
