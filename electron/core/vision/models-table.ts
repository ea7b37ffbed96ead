import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import type { ModelRow } from './heads';
import { featureDim, featureRanges, findManifest, validateManifest, type ModelManifest } from './manifest';

export function activeModel(catalog: Catalog): ModelRow | undefined {
  return catalog.db.prepare('SELECT * FROM models WHERE active = 1').get() as ModelRow | undefined;
}

export function modelById(catalog: Catalog, id: string): ModelRow {
  const row = catalog.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
  if (!row) throw new UserError(`no model '${id}' in this catalog`, 'not-found');
  return row;
}

/** The pretrained backbone a model's head reads features of: itself, `params.backbone`, or its root ancestor. */
export function backboneOf(catalog: Catalog, model: ModelRow): string {
  let m: ModelRow = model;
  for (let hops = 0; hops < 32; hops++) {
    if (m.kind === 'pretrained') return m.id;
    const params = m.params ? JSON.parse(m.params) : {};
    if (typeof params?.backbone === 'string') return params.backbone;
    if (!m.parent_id) break;
    m = modelById(catalog, m.parent_id);
  }
  throw new UserError(`model '${model.id}' names no backbone (params.backbone or a pretrained parent)`, 'bad-model');
}

/** The manifest a pretrained model row was created from (stored with it, so the catalog stays self-describing). */
export function manifestOf(catalog: Catalog, backboneId: string, modelsDir?: string): ModelManifest {
  const row = catalog.db.prepare("SELECT manifest FROM models WHERE id = ? AND kind = 'pretrained'").get(backboneId) as { manifest: string } | undefined;
  if (row) return validateManifest(JSON.parse(row.manifest), `catalog model ${backboneId}`);
  return findManifest(backboneId, modelsDir);
}

/**
 * A pretrained model's params: its backbone, a block-selecting head when the manifest picks blocks for
 * matching, and the test views its embedding averages. Stored with the row, so a catalog embedded
 * before a manifest changed keeps embedding exactly as before (never a mix of two recipes).
 */
export function pretrainedParams(manifest: ModelManifest): Record<string, unknown> {
  const params: Record<string, unknown> = { backbone: manifest.id, featureDim: featureDim(manifest) };
  if (manifest.embedding?.tensors) params.head = { kind: 'blocks', ranges: featureRanges(manifest, manifest.embedding.tensors) };
  if (manifest.embedding?.views?.length) params.testViews = manifest.embedding.views;
  return params;
}

/** The test views a model's embedding averages with the plain view (`params.testViews`; none when absent). */
export function testViewsOf(model: ModelRow): string[] {
  const params = model.params ? JSON.parse(model.params) : {};
  return Array.isArray(params?.testViews) ? params.testViews : [];
}

/**
 * Makes sure the catalog has a `models` row for a pretrained backbone, and that some model is
 * active (the pretrained one when none is). Returns the active model.
 */
export function ensurePretrained(catalog: Catalog, manifest: ModelManifest): ModelRow {
  const db = catalog.db;
  db.transaction(() => {
    db.prepare(
      `INSERT INTO models(id, name, kind, manifest, params) VALUES (?, ?, 'pretrained', ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    ).run(manifest.id, manifest.name, JSON.stringify(manifest), JSON.stringify(pretrainedParams(manifest)));
    if (!db.prepare('SELECT 1 FROM models WHERE active = 1').get()) db.prepare('UPDATE models SET active = 1 WHERE id = ?').run(manifest.id);
  })();
  return activeModel(catalog)!;
}
