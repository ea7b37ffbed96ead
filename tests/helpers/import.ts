import type { ImportParams, ImportReport } from '../../electron/contract';
import { Catalog } from '../../electron/core/store/catalog';
import { importPhotos } from '../../electron/core/import/import';

/** Opens the catalog, imports, closes: what one `caudal import` does, minus the job wrapper. */
export async function importInto(file: string, params: ImportParams): Promise<ImportReport> {
  const c = Catalog.open(file);
  try {
    return await importPhotos(c, params);
  } finally {
    c.close();
  }
}

export function withCatalog<T>(file: string, fn: (c: Catalog) => T): T {
  const c = Catalog.open(file);
  try {
    return fn(c);
  } finally {
    c.close();
  }
}
