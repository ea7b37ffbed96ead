import type { Catalog } from '../store/catalog';
import { headFor, type ModelRow } from '../vision/heads';
import { UserError } from '../util/errors';
import { nowIso } from '../util/time';
import { encodeWeights, HEAD_KIND, type SlicedLinearHead } from './head-kind';
import { embedRows, storedEmbedRows, type EmbedRow } from '../vision/embed-from-features';
import type { HeldOutMetrics, ModelInfo } from '../../contract';
import { backboneOf } from '../vision/models-table';
import { PLAIN_VIEW } from '../vision/views';

export type { ModelInfo };

const HISTORY = 'models.activations';

const toInfo = (r: ModelRow & { created_at: string }): Omit<ModelInfo, 'heldOut'> => ({
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
  const models = (catalog.db.prepare('SELECT * FROM models ORDER BY created_at, id').all() as Array<ModelRow & { created_at: string }>).map(toInfo);
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
  const row = catalog.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
  if (!row) throw new UserError(`no model '${id}' in this catalog (see caudal models list)`, 'not-found');
  return row;
}

export function activeModelRow(catalog: Catalog): ModelRow | null {
  return (catalog.db.prepare('SELECT * FROM models WHERE active = 1').get() as ModelRow | undefined) ?? null;
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
  let id = m.id ?? `ft-${stamp}`;
  for (let i = 2; catalog.db.prepare('SELECT 1 FROM models WHERE id = ?').get(id); i++) id = `${m.id ?? `ft-${stamp}`}-${i}`;
  catalog.db
    .prepare('INSERT INTO models(id, name, kind, parent_id, manifest, weights, params, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(
      id,
      m.name ?? `Fine-tuned ${m.head.slices === 1 ? '' : `K=${m.head.slices} `}${stamp.slice(0, 8)}`,
      'fine-tuned',
      parent.id,
      parent.manifest,
      encodeWeights(m.W, m.b),
      JSON.stringify({ head: { ...m.head, kind: HEAD_KIND }, backbone: m.backbone ?? parent.id, train: m.train }),
      JSON.stringify(m.metrics),
    );
  return id;
}

/**
 * A model's vectors for every annotation with stored features of its backbone, computed by its
 * head exactly as the embedding engine does (embedRows: mirror-averaged where the body part allows).
 */
export function embedFromStoredFeatures(catalog: Catalog, model: ModelRow, onlyMissing = false): Array<{ id: number; vector: Float32Array }> {
  const backbone = backboneOf(catalog, model);
  const ids = catalog.db
    .prepare(
      `SELECT f.annotation_id AS id, a.body_part AS part FROM features f JOIN annotations a ON a.id = f.annotation_id
       WHERE f.backbone_id = ? AND f.view = ${PLAIN_VIEW}
       ${onlyMissing ? 'AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.annotation_id = f.annotation_id AND e.model_id = ?)' : ''}
       ORDER BY f.annotation_id`,
    )
    .all(...(onlyMissing ? [backbone, model.id] : [backbone])) as Array<{ id: number; part: string }>;
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
  const previous = activeModelRow(catalog);
  const insert = catalog.db.prepare('INSERT OR REPLACE INTO embeddings(annotation_id, model_id, dim, vector) VALUES (?, ?, ?, ?)');
  catalog.db.transaction(() => {
    if (model.kind !== 'pretrained') catalog.db.prepare('DELETE FROM embeddings WHERE model_id = ?').run(id);
    for (const v of vectors) insert.run(v.id, id, v.vector.length, Buffer.from(v.vector.buffer, v.vector.byteOffset, v.vector.byteLength));
    catalog.db.prepare('UPDATE models SET active = 0 WHERE active = 1').run();
    catalog.db.prepare('UPDATE models SET active = 1 WHERE id = ?').run(id);
    if (opts.recordHistory !== false && previous && previous.id !== id) {
      catalog.setSetting(HISTORY, [...catalog.getSetting<string[]>(HISTORY, []), previous.id].slice(-50));
    }
  })();
  return { model: id, embedded: vectors.length, seconds: (performance.now() - t0) / 1000 };
}

/** Goes back to the model that was active before the current one (or the backbone when there is no history). */
export function rollbackModel(catalog: Catalog): { model: string; embedded: number; seconds: number } {
  const history = catalog.getSetting<string[]>(HISTORY, []).filter((h) => catalog.db.prepare('SELECT 1 FROM models WHERE id = ?').get(h));
  const current = activeModelRow(catalog);
  const target = history.pop() ?? current?.parent_id;
  if (!target || target === current?.id) throw new UserError('there is no earlier model to roll back to', 'no-history');
  const r = activateModel(catalog, target, { recordHistory: false });
  catalog.setSetting(HISTORY, history);
  return r;
}
