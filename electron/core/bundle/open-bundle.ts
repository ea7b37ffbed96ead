import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../catalog/catalog';
import { latestVersion, NewerCatalogError } from '../catalog/migrate';
import { UserError } from '../util/errors';
import { ZipFileReader } from '../export/zip-read';
import { sha256File } from '../export/hash-file';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, DATABASE, MANIFEST, type BundleManifest } from './format';

export interface OpenedBundle {
  file: string;
  manifest: BundleManifest;
  zip: ZipFileReader;
  /** The bundle's database, extracted to a temporary folder (brought to this schema there). */
  source: Catalog;
  close(): void;
}

/**
 * Checks a bundle completely before a merge touches the catalog: a complete zip, our manifest,
 * a format and schema this Caudal knows, and a database whose sha256 matches the manifest.
 * Each failure names the file and what is wrong with it.
 */
export function openBundle(file: string): OpenedBundle {
  const zip = new ZipFileReader(file);
  let tmp: string | undefined;
  try {
    if (!zip.has(MANIFEST)) throw new UserError(`${file} is not a Caudal bundle (no ${MANIFEST}); export one with 'caudal export bundle'`, 'bad-bundle');
    let manifest: BundleManifest;
    try {
      manifest = JSON.parse(zip.read(MANIFEST).toString('utf8'));
    } catch {
      throw new UserError(`${file}: ${MANIFEST} is not valid JSON`, 'bad-bundle');
    }
    if (manifest.format !== BUNDLE_FORMAT) throw new UserError(`${file} is not a Caudal bundle (format '${String(manifest.format)}')`, 'bad-bundle');
    if (manifest.formatVersion > BUNDLE_FORMAT_VERSION) {
      throw new UserError(`${file} uses bundle format ${manifest.formatVersion}, newer than this Caudal reads (${BUNDLE_FORMAT_VERSION}); update Caudal. The catalog was not changed.`, 'bundle-too-new');
    }
    const known = latestVersion();
    if (!(manifest.schemaVersion <= known)) {
      throw new UserError(
        `${file} comes from a catalog of schema version ${manifest.schemaVersion}, newer than this Caudal knows (${known}); update Caudal to merge it. The catalog was not changed.`,
        'bundle-too-new',
      );
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-merge-'));
    const db = path.join(tmp, DATABASE);
    zip.extractTo(manifest.database?.entry ?? DATABASE, db);
    const sha = sha256File(db);
    if (sha !== manifest.database.sha256) throw new UserError(`${file} is damaged: its database does not match the manifest checksum`, 'bad-bundle');
    // Catalog.open re-checks the header's schema version (the manifest could lie) and refuses a newer one.
    let source: Catalog;
    try {
      source = Catalog.open(db, { mustExist: true });
    } catch (e) {
      if (e instanceof NewerCatalogError) throw new UserError(`${file} holds a catalog newer than this Caudal knows; update Caudal to merge it. The catalog was not changed.`, 'bundle-too-new');
      throw new UserError(`${file} is damaged: its database cannot be opened (${(e as Error).message})`, 'bad-bundle');
    }
    const dir = tmp;
    return {
      file,
      manifest,
      zip,
      source,
      close() {
        source.close();
        zip.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    zip.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
