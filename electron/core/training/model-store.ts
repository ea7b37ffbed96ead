import type { Catalog } from '../store/catalog';
import type { StoredModel } from '../store/models';
import { headFor, type ModelRow } from '../vision/heads';
import { UserError } from '../util/errors';
import { nowIso } from '../util/time';
import { encodeWeights, HEAD_KIND, type SlicedLinearHead } from '../vision/sliced-linear-head';
import { embedRows, storedEmbedRows, type EmbedRow } from '../vision/embed-from-features';
import type { HeldOutMetrics, ModelInfo } from '../../contract';
import { backboneOf } from '../vision/models-table';

export type { ModelInfo };

const HISTORY = 'models.activations';

const toInfo = (r: StoredModel): Omit<ModelInfo, 'heldOut'> => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  parentId: r.parent_id,
  createdAt: r.created_at,
  active: r.active === 1,
  params: r.params ? JSON.parse(r.params) : null,
  metrics: r.metrics ? JSON.parse(r.metrics) : null,
});

export function listModels(catalog: Catalog): ModelInfo[] {
  const models = catalog.store.models.list().map(toInfo);
  const held = (m: Omit<ModelInfo, 'heldOut'>, key: 'before' | 'after') => (m.metrics as { before?: HeldOutMetrics; after?: HeldOutMetrics } | null)?.[key];
  return models.map((m) => {
    if (m.kind !== 'pretrained') {
      const after = held(m, 'after');
      return { ...m, heldOut: after ? { metrics: after, run: m.id } : null };
    }
    // Newest first: the latest run's split is the one the user last looked at.
    const child = [...models].reverse().find((c) => c.parentId === m.id && c.kind !== 'pretrained' && held(c, 'before'));
    return { ...m, heldOut: child ? { metrics: held(child, 'before')!, run: child.id } : null };
  });
}

export function getModelRow(catalog: Catalog, id: string): ModelRow {
  const row = catalog.store.models.byId(id);
  if (!row) throw new UserError(`no model '${id}' in this catalog (see caudal models list)`, 'not-found');
  return row;
}

export interface NewModel {
  name?: string;
  parentId: string;
  head: SlicedLinearHead;
  W: Float32Array;
  b: Float32Array;
  train: Record<string, unknown>;
  backbone?: string;
  metrics: Record<string, unknown>;
  id?: string;
}

export function saveModel(catalog: Catalog, m: NewModel): string {
  const parent = getModelRow(catalog, m.parentId);
  const stamp = nowIso().replace(/[-:]/g, '').slice(0, 15);
  const id = catalog.store.models.unusedId(m.id ?? `ft-${stamp}`);
  catalog.store.models.addFineTuned({
    id,
    name: m.name ?? `Fine-tuned ${m.head.slices === 1 ? '' : `K=${m.head.slices} `}${stamp.slice(0, 8)}`,
    parentId: parent.id,
    weights: encodeWeights(m.W, m.b),
    params: JSON.stringify({ head: { ...m.head, kind: HEAD_KIND }, backbone: m.backbone ?? parent.id, train: m.train }),
    metrics: JSON.stringify(m.metrics),
  });
  return id;
}

/**
 * A model's vectors for every annotation with stored features of its backbone, computed by its
 * head exactly as the embedding engine does (embedRows: mirror-averaged where the body part allows).
 */
export function embedFromStoredFeatures(catalog: Catalog, model: ModelRow, onlyMissing = false): Array<{ id: number; vector: Float32Array }> {
  const backbone = backboneOf(catalog, model);
  const ids = catalog.store.embeddings.embeddable(backbone, { missingFor: onlyMissing ? model.id : undefined });
  const stored = storedEmbedRows(catalog, model, ids);
  const items = ids.filter((_, k) => stored[k]);
  const vectors = embedRows(headFor(model), stored.filter((r): r is EmbedRow => r !== null));
  return items.map((it, i) => ({ id: it.id, vector: vectors[i] }));
}

/**
 * Makes a model the one search uses: its vectors are computed from stored features, then written
 * and the active flag moved in one transaction, so search sees the old model or the new, never a mix.
 */
export function activateModel(catalog: Catalog, id: string, opts: { recordHistory?: boolean } = {}): { model: string; embedded: number; seconds: number } {
  const t0 = performance.now();
  const model = getModelRow(catalog, id);
  // The pretrained model's vectors belong to the embedding job; only fill in what is missing.
  const vectors = embedFromStoredFeatures(catalog, model, model.kind === 'pretrained');
  const store = catalog.store;
  const previous = store.models.active();
  store.transaction(() => {
    if (model.kind !== 'pretrained') store.embeddings.deleteModel(id);
    store.embeddings.putAll(id, vectors);
    store.models.setActive(id);
    if (opts.recordHistory !== false && previous && previous.id !== id) {
      catalog.store.settings.set(HISTORY, [...catalog.store.settings.get<string[]>(HISTORY, []), previous.id].slice(-50));
    }
  });
  return { model: id, embedded: vectors.length, seconds: (performance.now() - t0) / 1000 };
}

/** Goes back to the model that was active before the current one (or the backbone when there is no history). */
export function rollbackModel(catalog: Catalog): { model: string; embedded: number; seconds: number } {
  const history = catalog.store.settings.get<string[]>(HISTORY, []).filter((h) => catalog.store.models.exists(h));
  const current = catalog.store.models.active();
  const target = history.pop() ?? current?.parent_id;
  if (!target || target === current?.id) throw new UserError('there is no earlier model to roll back to', 'no-history');
  const r = activateModel(catalog, target, { recordHistory: false });
  catalog.store.settings.set(HISTORY, history);
  return r;
}
