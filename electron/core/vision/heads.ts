import type { ModelRow } from '../store/models';
import { selectRanges, type HeadFn } from './head-fn';
import { HEAD_KIND, slicedLinearHead } from './sliced-linear-head';

/**
 * How a model turns stored backbone features into its embedding. The pretrained model's head
 * is built in (pooled features, L2-normalised); a fine-tuned model's is the trained sliced linear
 * head (sliced-linear-head.ts), chosen by `params.head.kind`. Search, the embed job and `caudal
 * match` only ever call `headFor(model)`.
 */
export type { ModelRow };
export { selectRanges, type HeadFn };

const kinds = new Map<string, (model: ModelRow) => HeadFn>();

export function registerHeadKind(kind: string, loader: (model: ModelRow) => HeadFn): void {
  kinds.set(kind, loader);
}

export function headKindOf(model: ModelRow): string {
  const params = model.params ? JSON.parse(model.params) : {};
  if (model.kind === 'pretrained') return params?.head?.kind ?? 'identity';
  return params?.head?.kind ?? 'unknown';
}

export function headFor(model: ModelRow): HeadFn {
  const kind = headKindOf(model);
  const loader = kinds.get(kind);
  if (!loader) throw new Error(`model ${model.id} needs head kind '${kind}', which this Caudal does not know`);
  return loader(model);
}

/** Pretrained: the stored feature itself, L2-normalised. */
registerHeadKind('identity', () => (features, n, dimIn) => {
  const out = new Float32Array(features.length);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dimIn; j++) s += features[i * dimIn + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dimIn; j++) out[i * dimIn + j] = features[i * dimIn + j] * inv;
  }
  return { vectors: out, dim: dimIn };
});

/**
 * Pretrained, using some blocks of the stored feature (`params.head.ranges`: [offset, length]
 * pairs), L2-normalised: the stored feature keeps several layers for training, while plain
 * matching measured best on the final layer alone (models/README.md).
 */
registerHeadKind('blocks', (model) => {
  const ranges: Array<[number, number]> = JSON.parse(model.params ?? '{}').head.ranges;
  const dim = ranges.reduce((s, [, len]) => s + len, 0);
  return (features, n, dimIn) => {
    const out = selectRanges(features, n, dimIn, ranges);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = i * dim; j < (i + 1) * dim; j++) s += out[j] * out[j];
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let j = i * dim; j < (i + 1) * dim; j++) out[j] *= inv;
    }
    return { vectors: out, dim };
  };
});

/** Fine-tuned: the trained sliced linear head (sliced-linear-head.ts). */
registerHeadKind(HEAD_KIND, slicedLinearHead);
