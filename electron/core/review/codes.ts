import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';

/**
 * The next catalog code: the `codePrefix` setting and one more than the highest number ever
 * handed out with it, zero-padded to 4 digits. Codes of individuals that were created and then
 * undone live on in the decision log, so they are counted too: a code is never given twice.
 */
export function nextIndividualCode(catalog: Catalog): string {
  const prefix = getSetting(catalog, 'codePrefix');
  const used = catalog.db
    .prepare(
      `SELECT code FROM individuals WHERE substr(code, 1, length(@prefix)) = @prefix
       UNION ALL SELECT json_extract(details, '$.created.code') FROM decisions
       WHERE json_extract(details, '$.created.code') IS NOT NULL AND substr(json_extract(details, '$.created.code'), 1, length(@prefix)) = @prefix`,
    )
    .pluck()
    .all({ prefix }) as string[];
  let max = 0;
  for (const code of used) {
    const rest = code.slice(prefix.length);
    if (/^[0-9]+$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return `${prefix}${String(max + 1).padStart(4, '0')}`;
}

export function createIndividual(catalog: Catalog): { id: number; code: string } {
  const code = nextIndividualCode(catalog);
  const id = Number(catalog.db.prepare('INSERT INTO individuals(code) VALUES (?)').run(code).lastInsertRowid);
  return { id, code };
}
