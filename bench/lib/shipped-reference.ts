// The research scripts' common start: a benchmark catalog's features and the pretrained model as it
// ships (its own head, mirror-averaged), which every ratio in bench/README.md is measured against.
import { Catalog } from '../../electron/core/store/catalog';
import { fromBlob } from '../../electron/core/store/embeddings';
import { loadFeatureSet } from '../../electron/core/training/catalog-data';
import { backboneOf } from '../../electron/core/vision/models-table';
import type { FeatureSet } from '../../electron/core/training/dataset';
import { getModelRow } from '../../electron/core/training/model-store';
import { embedModelRow } from '../../electron/core/training/validate';
import type { ModelRow } from '../../electron/core/vision/heads';

export const DEFAULT_BENCH_CATALOG = '/tmp/caudal-bench-nyala.sqlite';

export function loadShipped(file = process.env.CAT ?? DEFAULT_BENCH_CATALOG): {
  set: FeatureSet;
  backbone: ModelRow;
  shipped: { emb: Float32Array; dim: number };
  /** The pretrained model's embeddings as `caudal embed` stored them (its test views included), when every sample has one. */
  stored: { emb: Float32Array; dim: number } | null;
} {
  const c = Catalog.open(file);
  try {
    const set = loadFeatureSet(c, backboneOf(c));
    const backbone = getModelRow(c, backboneOf(c));
    return { set, backbone, shipped: embedModelRow(set, backbone), stored: storedEmbeddings(c, set, backbone.id) };
  } finally {
    c.close();
  }
}

function storedEmbeddings(c: Catalog, set: FeatureSet, modelId: string): { emb: Float32Array; dim: number } | null {
  const get = c.db.prepare('SELECT vector FROM embeddings WHERE annotation_id = ? AND model_id = ?').pluck();
  const rows = Array.from(set.ids, (id) => get.get(id, modelId) as Buffer | undefined);
  if (rows.some((r) => !r)) return null;
  const vs = rows.map((r) => fromBlob(r!));
  const dim = vs[0].length;
  const emb = new Float32Array(vs.length * dim);
  vs.forEach((v, i) => emb.set(v, i * dim));
  return { emb, dim };
}
