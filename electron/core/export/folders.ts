import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { photoExportName, safeName } from './filenames';
import { identifiedRows, sourceFile } from './identified';
import { breathe, type Progress } from './progress';

/**
 * One folder per individual (`<code> <name>`), holding a copy of every photo it is identified
 * in, named `<date> <original name> <sha8>` so a folder sorts by time. Existing files are left alone.
 */
export async function exportFolders(catalog: Catalog, outDir: string, p: Progress): Promise<ExportResult> {
  const rows = identifiedRows(catalog);
  fs.mkdirSync(outDir, { recursive: true });
  const skipped: ExportResult['skipped'] = [];
  const folders = new Set<string>();
  const written = new Set<string>();
  let i = 0;
  for (const r of rows) {
    const folder = path.join(outDir, safeName(r.individualName ? `${r.individualCode} ${r.individualName}` : r.individualCode, /[^\p{L}\p{N}._ -]+/gu));
    const date = r.takenAt ? `${r.takenAt.slice(0, 10)} ` : '';
    const dest = path.join(folder, `${date}${photoExportName(r.photoName, r.photoSha256)}`);
    i++;
    if (written.has(dest)) continue;
    const src = sourceFile(catalog, r);
    if (!fs.existsSync(src)) {
      skipped.push({ what: r.photoName, reason: `photo file missing at ${src}`, photoId: r.photoId, cause: 'missing-file' });
      continue;
    }
    fs.mkdirSync(folder, { recursive: true });
    if (!fs.existsSync(dest)) fs.copyFileSync(src, dest);
    written.add(dest);
    folders.add(folder);
    p.throwIfCancelled();
    p.progress(i, rows.length, 'copying photos');
    if (i % 20 === 0) await breathe();
  }
  return { kind: 'folders', out: path.resolve(outDir), files: [...folders].sort(), rows: folders.size, photos: written.size, skipped };
}
