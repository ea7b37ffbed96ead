import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../store/catalog';
import { latestVersion, NewerCatalogError } from '../store/migrate';
import { UserError } from '../util/errors';
import { BundleZip, type BundleLimits } from './bundle-zip';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, DATABASE, MANIFEST, type BundleManifest } from './format';

export interface OpenedBundle {
  file: string;
  manifest: BundleManifest;
  zip: BundleZip;
  /** The bundle's database, extracted to a temporary folder (brought to this schema there). */
  source: Catalog;
  close(): void;
}

/**
 * Checks a bundle completely before a merge touches the catalog: a complete zip, our manifest,
 * a format and schema this Caudal knows, and a database whose sha256 matches the manifest.
 * Each failure names the file and what is wrong with it.
 */
export async function openBundle(file: string, limits: Partial<BundleLimits> = {}): Promise<OpenedBundle> {
  const zip = await BundleZip.open(file, limits);
  let tmp: string | undefined;
  try {
    if (!zip.has(MANIFEST)) throw new UserError(`${file} is not a Caudal bundle (no ${MANIFEST}); export one with 'caudal export bundle'`, 'bad-bundle');
    let manifest: BundleManifest;
    try {
      manifest = JSON.parse((await zip.read(MANIFEST, zip.limits.maxManifestBytes)).toString('utf8'));
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw new UserError(`${file}: ${MANIFEST} is not valid JSON`, 'bad-bundle');
    }
    if (manifest?.format !== BUNDLE_FORMAT) throw new UserError(`${file} is not a Caudal bundle (format '${String(manifest.format)}')`, 'bad-bundle');
    if (typeof manifest.media !== 'object' || manifest.media === null || typeof manifest.database !== 'object' || manifest.database === null) {
      throw new UserError(`${file}: ${MANIFEST} lacks its database or media list`, 'bad-bundle');
    }
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
    const entry = manifest.database?.entry ?? DATABASE;
    // The manifest's own number bounds the largest entry a merge extracts.
    if (zip.has(entry) && typeof manifest.database.size === 'number' && zip.entries.get(entry)!.size !== manifest.database.size) {
      throw new UserError(`${file} is damaged: its database is not the size the manifest says (${manifest.database.size} bytes). The catalog was not changed.`, 'bad-bundle');
    }
    const sha = await zip.extractTo(entry, db);
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
