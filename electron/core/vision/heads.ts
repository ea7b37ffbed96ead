/**
 * How a model turns stored backbone features into its embedding. The pretrained model's head
 * is built in (pooled features, L2-normalised); fine-tuned models register their head kind
 * (the training code does, by `params.head.kind`). Search, the embed job and `caudal match`
 * only ever call `headFor(model)`.
 */
export interface ModelRow {
  id: string;
  name: string;
  kind: 'pretrained' | 'fine-tuned';
  parent_id: string | null;
  manifest: string;
  weights: Buffer | null;
  params: string | null;
  metrics: string | null;
  active: number;
}

/** features: n rows of dimIn floats (row-major). Returns n rows of `dim` floats, L2-normalised. */
export type HeadFn = (features: Float32Array, n: number, dimIn: number) => { vectors: Float32Array; dim: number };

const kinds = new Map<string, (model: ModelRow) => HeadFn>();

export function registerHeadKind(kind: string, loader: (model: ModelRow) => HeadFn): void {
  kinds.set(kind, loader);
}

export function headKindOf(model: ModelRow): string {
  const params = model.params ? JSON.parse(model.params) : {};
  if (model.kind === 'pretrained') return params?.head?.kind ?? 'identity';
  return params?.head?.kind ?? 'unknown';
}

/**
 * Head kinds defined by other features, loaded on first use so that every caller of headFor
 * (search, eval, embed) knows them without importing them itself. Loaded lazily: those modules
 * import this one.
 */
const kindModules: Record<string, () => unknown> = {
  'sliced-linear': () => require('../training/head-kind'),
};

export function headFor(model: ModelRow): HeadFn {
  const kind = headKindOf(model);
  if (!kinds.has(kind)) kindModules[kind]?.();
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

/** The columns of n feature rows that `ranges` name, concatenated in order. */
export function selectRanges(features: Float32Array, n: number, dimIn: number, ranges: Array<[number, number]>): Float32Array {
  const width = ranges.reduce((s, [, len]) => s + len, 0);
  for (const [off, len] of ranges) if (off < 0 || len <= 0 || off + len > dimIn) throw new Error(`feature range [${off}, ${off + len}) is outside ${dimIn}-d features`);
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    let o = i * width;
    for (const [off, len] of ranges) {
      out.set(features.subarray(i * dimIn + off, i * dimIn + off + len), o);
      o += len;
    }
  }
  return out;
}

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
