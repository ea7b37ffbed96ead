import path from 'node:path';
import type { ExportKind, ExportOptions, ExportResult } from '../../contract';
import { exportKinds } from '../../contract';
import type { Catalog } from '../store/catalog';
import { exportBundle } from '../bundle/export-bundle';
import { UserError } from '../util/errors';
import { exportDwca } from '../export/dwca';
import { exportFolders } from '../export/folders';
import { exportSightings } from '../export/sightings';
import { exportWildbook } from '../export/wildbook';
import type { Progress } from '../export/progress';
import { checkExportTarget, writeError } from '../export/target';

/**
 * One entry point for every export kind: the job, the CLI and tests call this. It lives above
 * export/ and bundle/ (a bundle is written with export's zip and hashing), so neither imports the other back.
 */
export async function runExport(catalog: Catalog, kind: ExportKind, out: string, options: ExportOptions, p: Progress): Promise<ExportResult> {
  if (!exportKinds.includes(kind)) throw new UserError(`unknown export '${String(kind)}' (one of ${exportKinds.join(', ')})`, 'bad-request');
  if (typeof out !== 'string' || !out.trim()) throw new UserError('no output path given', 'bad-request');
  const target = path.resolve(out);
  if (target === catalog.file || target.startsWith(`${catalog.filesDir}${path.sep}`) || target === catalog.filesDir) {
    throw new UserError(`refusing to write the export over the catalog itself (${target})`, 'bad-request');
  }
  checkExportTarget(kind, target, Boolean(options.mkdir));
  try {
    return await exportTo(catalog, kind, target, options, p);
  } catch (e) {
    throw writeError(target, e);
  }
}

function exportTo(catalog: Catalog, kind: ExportKind, target: string, options: ExportOptions, p: Progress): Promise<ExportResult> {
  switch (kind) {
    case 'sightings':
      return exportSightings(catalog, target, p);
    case 'dwca':
      return exportDwca(catalog, target, options, p);
    case 'wildbook':
      return exportWildbook(catalog, target, p);
    case 'folders':
      return exportFolders(catalog, target, p);
    case 'bundle':
      return exportBundle(catalog, target, options, p);
  }
}
