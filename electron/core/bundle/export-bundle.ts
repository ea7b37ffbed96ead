import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExportOptions, ExportResult } from '../../contract';
import type { Catalog } from '../store/catalog';
import { ZipFileWriter } from '../export/zip-write';
import { sha256File } from '../export/hash-file';
import { breathe, type Progress } from '../export/progress';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, DATABASE, MANIFEST, type BundleManifest } from './format';

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : d.isFile() ? [path.join(dir, d.name)] : []));
}


/**
 * Writes a bundle from a consistent snapshot: the database is copied with VACUUM INTO (which
 * sees a single transaction's view, WAL included) and the media list is read from that copy,
 * so a photo imported while the bundle is written is either fully in it or not at all.
 */
export async function exportBundle(catalog: Catalog, out: string, opts: ExportOptions, p: Progress): Promise<ExportResult> {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-bundle-'));
  const snapshot = path.join(tmpDir, DATABASE);
  const zip = new ZipFileWriter(path.resolve(out));
  const skipped: ExportResult['skipped'] = [];
  try {
    p.progress(0, null, 'snapshotting the database');
    const { photos, counts } = catalog.store.bundles.snapshotTo(snapshot);
    const media: Record<string, string> = {};
    const files: Array<[string, string]> = [];
    for (const ph of photos) {
      if (!ph.copied && opts.originals === false) continue;
      const src = ph.copied ? path.join(catalog.filesDir, ph.path) : ph.path;
      if (!fs.existsSync(src)) {
        skipped.push({ what: ph.original_name, reason: `photo file missing at ${src}; the bundle carries its record only` });
        continue;
      }
      const ext = path.extname(ph.path).toLowerCase().replace(/[^a-z0-9.]/g, '') || '.jpg';
      media[ph.sha256] = `media/${ph.sha256}${ext}`;
      files.push([media[ph.sha256], src]);
    }
    const extras: Array<[string, string]> = walk(path.join(catalog.filesDir, 'models')).map((f) => [`files/${path.relative(catalog.filesDir, f).split(path.sep).join('/')}`, f]);
    if (opts.thumbnails) {
      for (const f of walk(path.join(catalog.filesDir, 'thumbs'))) extras.push([`thumbs/${path.relative(path.join(catalog.filesDir, 'thumbs'), f).split(path.sep).join('/')}`, f]);
    }
    const hashes: Record<string, string> = {};
    for (const [entry, src] of extras) hashes[entry] = sha256File(src);
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      schemaVersion: catalog.schemaVersion,
      createdAt: new Date().toISOString(),
      sourceName: path.basename(catalog.file),
      database: { entry: DATABASE, sha256: sha256File(snapshot), size: fs.statSync(snapshot).size },
      media,
      thumbnails: Boolean(opts.thumbnails),
      files: hashes,
      counts,
    };
    zip.addBuffer(MANIFEST, JSON.stringify(manifest, null, 1));
    await zip.addFile(DATABASE, snapshot);
    const all = [...files, ...extras];
    for (let i = 0; i < all.length; i++) {
      await zip.addFile(all[i][0], all[i][1]);
      p.throwIfCancelled();
      p.progress(i + 1, all.length, 'packing files');
      if (i % 10 === 0) await breathe();
    }
    await zip.finish();
    return {
      kind: 'bundle',
      out: path.resolve(out),
      files: [path.resolve(out)],
      rows: Object.values(counts).reduce((a, b) => a + b, 0),
      photos: files.length,
      skipped,
      bytes: fs.statSync(out).size,
    };
  } catch (e) {
    await zip.abort();
    throw e;
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
