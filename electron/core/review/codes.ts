import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';

/**
 * The next catalog code: the `codePrefix` setting and one more than the highest number ever
 * handed out with it, zero-padded to 4 digits. Codes of individuals that were created and then
 * undone live on in the decision log, so they are counted too: a code is never given twice.
 */
export function nextIndividualCode(catalog: Catalog): string {
  const prefix = getSetting(catalog, 'codePrefix');
  const used = catalog.store.individuals.codesWithPrefix(prefix);
  let max = 0;
  for (const code of used) {
    const rest = code.slice(prefix.length);
    if (/^[0-9]+$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return `${prefix}${String(max + 1).padStart(4, '0')}`;
}

export function createIndividual(catalog: Catalog): { id: number; code: string } {
  const code = nextIndividualCode(catalog);
  const id = catalog.store.individuals.create(code);
  return { id, code };
}
