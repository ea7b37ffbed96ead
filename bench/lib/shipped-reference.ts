// The research scripts' common start: a benchmark catalog's features and the pretrained model as it
// ships (its own head, mirror-averaged), which every ratio in bench/README.md is measured against.
import { Catalog } from '../../electron/core/store/catalog';
import { backboneOf, loadFeatureSet } from '../../electron/core/training/catalog-data';
import type { FeatureSet } from '../../electron/core/training/dataset';
import { getModelRow } from '../../electron/core/training/model-store';
import { embedModelRow } from '../../electron/core/training/validate';
import type { ModelRow } from '../../electron/core/vision/heads';

export const DEFAULT_BENCH_CATALOG = '/tmp/caudal-bench-nyala.sqlite';

export function loadShipped(file = process.env.CAT ?? DEFAULT_BENCH_CATALOG): { set: FeatureSet; backbone: ModelRow; shipped: { emb: Float32Array; dim: number } } {
  const c = Catalog.open(file);
  try {
    const set = loadFeatureSet(c, backboneOf(c));
    const backbone = getModelRow(c, backboneOf(c));
    return { set, backbone, shipped: embedModelRow(set, backbone) };
  } finally {
    c.close();
  }
}
