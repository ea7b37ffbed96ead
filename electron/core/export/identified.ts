import crypto from 'node:crypto';
import type { Catalog } from '../store/catalog';
import type { IdentifiedAnnotation } from '../store/annotations';

/** One identified annotation with everything an export writes about it; the individual followed through merges. */
export type IdentifiedRow = Omit<IdentifiedAnnotation, 'createdAt'> & {
  occurrenceId: string;
  individualCode: string;
  individualName: string | null;
  sex: string | null;
};

/**
 * The stable id of an occurrence (one identified annotation): the photo's content hash plus
 * the annotation's creation time, which bundles and merges carry over unchanged. Row ids are
 * renumbered by a merge and box coordinates can be nudged, so neither is used. Two boxes
 * created in the same millisecond on one photo are told apart by their order.
 */
export function occurrenceIdFor(photoSha256: string, annotationCreatedAt: string, ordinal = 0): string {
  const h = crypto.createHash('sha256').update(annotationCreatedAt).digest('hex').slice(0, 12);
  return `urn:caudal:occ:${photoSha256}:${h}${ordinal ? `-${ordinal}` : ''}`;
}

/**
 * Every identified annotation, individuals followed through `merged_into`, with the latest
 * standing review decision for its model and score. Photo GPS wins over the encounter's
 * position; taken_at keeps the camera's local time and offset.
 */
export function identifiedRows(catalog: Catalog): IdentifiedRow[] {
  const raw = catalog.store.annotations.identifiedForExport();
  const inds = new Map(catalog.store.individuals.all().map((r) => [r.id, r]));
  const final = (id: number) => {
    let r = inds.get(id)!;
    for (let hops = 0; r.mergedInto && hops < 100; hops++) r = inds.get(r.mergedInto) ?? r;
    return r;
  };
  const seen = new Map<string, number>();
  return raw.map(({ createdAt: annCreatedAt, individualId: rawIndividualId, ...r }) => {
    const ind = final(rawIndividualId);
    const key = `${r.photoSha256}|${annCreatedAt}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    return {
      ...r,
      occurrenceId: occurrenceIdFor(r.photoSha256, annCreatedAt, ordinal),
      individualId: ind.id,
      individualCode: ind.code,
      individualName: ind.name,
      sex: ind.sex,
    };
  });
}

/** The photo file on disk (copied media live under the catalog's files folder). */
export function sourceFile(catalog: Catalog, row: { photoPath: string; photoCopied: number }): string {
  return row.photoCopied ? `${catalog.filesDir}/${row.photoPath}` : row.photoPath;
}
