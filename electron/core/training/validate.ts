import { headFor, type ModelRow } from '../vision/heads';
import type { Gemm } from './gemm';
import { viewRows, type FeatureSet } from './dataset';
import type { LinearHead } from './head';
import { rankQueries, summarize, type QueryOutcome, type RetrievalMetrics } from './retrieval';
import type { EvalSplit, ValidationSplit } from './split';
import { embedSamples } from './trainer';
import { l2NormalizeRows } from './vec';

export interface HeldOutMetrics {
  unseen: RetrievalMetrics;
  resight: RetrievalMetrics;
}

/** Embeds every sample once: with the head, or (null) the pretrained identity head on view 0. */
export async function embedAll(set: FeatureSet, head: LinearHead | null, flipAverage: boolean, gemm?: Gemm): Promise<{ emb: Float32Array; dim: number }> {
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  if (!head) {
    // The pretrained model as search uses it: the normalised feature, mirror-averaged where allowed.
    const e = l2NormalizeRows(viewRows(set, all, 0), all.length, set.dimIn);
    if (flipAverage) {
      const m = l2NormalizeRows(viewRows(set, all, 1), all.length, set.dimIn);
      for (let i = 0; i < all.length; i++) {
        if (!(set.mirror[i] && set.viewCount[i] > 1)) continue;
        for (let j = 0; j < set.dimIn; j++) e[i * set.dimIn + j] += m[i * set.dimIn + j];
      }
      l2NormalizeRows(e, all.length, set.dimIn);
    }
    return { emb: e, dim: set.dimIn };
  }
  return { emb: await embedSamples(head, set, all, flipAverage, gemm), dim: head.dim };
}

export function outcomes(set: FeatureSet, emb: Float32Array, dim: number, split: EvalSplit): QueryOutcome[] {
  return rankQueries(emb, dim, split.queries, split.gallery, set);
}

export async function heldOutMetrics(set: FeatureSet, split: ValidationSplit, head: LinearHead | null, flipAverage: boolean, gemm?: Gemm): Promise<HeldOutMetrics> {
  const { emb, dim } = await embedAll(set, head, flipAverage, gemm);
  return {
    unseen: summarize(outcomes(set, emb, dim, split.unseen)),
    resight: summarize(outcomes(set, emb, dim, split.resight)),
  };
}

/** Held-out metrics of a stored model (any head kind) on this split: for comparing with the active model. */
export function evaluateModelRow(set: FeatureSet, split: ValidationSplit, model: ModelRow): HeldOutMetrics {
  const { emb, dim } = embedModelRow(set, model);
  return { unseen: summarize(outcomes(set, emb, dim, split.unseen)), resight: summarize(outcomes(set, emb, dim, split.resight)) };
}

/** Every sample embedded by a stored model (any head kind), as search embeds: mirror-averaged where the body part allows. */
export function embedModelRow(set: FeatureSet, model: ModelRow): { emb: Float32Array; dim: number } {
  const fn = headFor(model);
  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  const a = fn(viewRows(set, all, 0), all.length, set.dimIn);
  const emb = a.vectors;
  const m = fn(viewRows(set, all, 1), all.length, set.dimIn).vectors;
  for (let i = 0; i < all.length; i++) {
    if (!(set.mirror[i] && set.viewCount[i] > 1)) continue;
    for (let j = 0; j < a.dim; j++) emb[i * a.dim + j] += m[i * a.dim + j];
  }
  return { emb: l2NormalizeRows(emb, all.length, a.dim), dim: a.dim };
}
