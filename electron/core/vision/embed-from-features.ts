import type { Catalog } from '../store/catalog';
import { headFor } from './heads';
import { flipAverageParts } from './flip';
import type { ModelRow } from './heads';
import { backboneOf, modelById, testViewsOf } from './models-table';
import { MIRROR_VIEW, PLAIN_VIEW, testViewIndex } from './views';

/** One annotation's stored views for its embedding: the plain crop, its mirror (flip-averaged parts), test views. */
export interface EmbedRow {
  plain: Float32Array;
  mirror?: Float32Array;
  tests?: Float32Array[];
}

/**
 * Applies a model's head to stored features: the embedding is the normalised mean of the head's
 * (L2-normalised) outputs on view 0, on view 1 when the body part is flip-averaged, and on the
 * model's test views (views.ts). `rows` are one per annotation.
 */
export function embedRows(head: ReturnType<typeof headFor>, rows: EmbedRow[]): Float32Array[] {
  if (!rows.length) return [];
  const dimIn = rows[0].plain.length;
  const views = rows.map((r) => [r.plain, ...(r.mirror ? [r.mirror] : []), ...(r.tests ?? [])]);
  const total = views.reduce((s, v) => s + v.length, 0);
  const flat = new Float32Array(total * dimIn);
  let k = 0;
  for (const vs of views) for (const v of vs) flat.set(v, dimIn * k++);
  const { vectors, dim } = head(flat, total, dimIn);
  k = 0;
  return views.map((vs) => {
    if (vs.length === 1) return vectors.slice(dim * k, dim * ++k);
    const out = new Float32Array(dim);
    for (let v = 0; v < vs.length; v++, k++) for (let j = 0; j < dim; j++) out[j] += vectors[k * dim + j];
    let s = 0;
    for (let j = 0; j < dim; j++) s += out[j] * out[j];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) out[j] *= inv;
    return out;
  });
}

/**
 * The stored views of annotations for a model's embedding (see embedRows), or null for an annotation
 * whose plain view or one of the model's test views is not stored (not embeddable yet).
 */
export function storedEmbedRows(catalog: Catalog, model: ModelRow, items: Array<{ id: number; part: string }>): Array<EmbedRow | null> {
  const backbone = backboneOf(catalog, model);
  const flipParts = flipAverageParts(catalog);
  const tests = testViewsOf(model).map(testViewIndex);
  const view = (id: number, v: number) => catalog.store.embeddings.feature(id, backbone, v);
  return items.map(({ id, part }) => {
    const plain = view(id, PLAIN_VIEW);
    const t = tests.map((v) => view(id, v));
    if (!plain || t.some((x) => !x)) return null;
    return { plain, mirror: flipParts.has(part) ? view(id, MIRROR_VIEW) : undefined, tests: t as Float32Array[] };
  });
}

/**
 * Writes a model's embeddings from stored backbone features, without decoding a photo: for
 * every annotation that has features for the model's backbone and no embedding for the model
 * (or all of them with `replace`). Returns how many were written.
 */
export function embedFromFeatures(
  catalog: Catalog,
  modelId: string,
  opts: { replace?: boolean; signal?: AbortSignal; progress?: (done: number, total: number) => void; /** only these annotations */ ids?: number[] } = {},
): number {
  const model = modelById(catalog, modelId);
  const backbone = backboneOf(catalog, model);
  const head = headFor(model);
  const ids = catalog.store.embeddings.embeddable(backbone, { ids: opts.ids, missingFor: opts.replace ? undefined : modelId });
  let written = 0;
  for (let i = 0; i < ids.length; i += 256) {
    if (opts.signal?.aborted) break;
    const stored = storedEmbedRows(catalog, model, ids.slice(i, i + 256));
    const chunk = ids.slice(i, i + 256).filter((_, k) => stored[k]);
    const vectors = embedRows(head, stored.filter((r): r is EmbedRow => r !== null));
    catalog.store.transaction(() => chunk.forEach(({ id }, k) => catalog.store.embeddings.put(id, modelId, vectors[k])));
    written += chunk.length;
    opts.progress?.(written, ids.length);
  }
  return written;
}
