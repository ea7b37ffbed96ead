import type { Catalog } from '../store/catalog';
import { UserError } from '../util/errors';
import type { ModelRow } from './heads';
import { featureDim, featureRanges, findManifest, validateManifest, type ModelManifest } from './manifest';

export function modelById(catalog: Catalog, id: string): ModelRow {
  const row = catalog.store.models.byId(id);
  if (!row) throw new UserError(`no model '${id}' in this catalog`, 'not-found');
  return row;
}

/**
 * The pretrained backbone whose stored features a model's head reads: the model itself when
 * pretrained, its `params.backbone`, or its root ancestor's. Without a model, the active model's;
 * with none active, the backbone most annotations have features of (what training and
 * re-embedding use).
 */
export function backboneOf(catalog: Catalog, model?: ModelRow | null): string {
  const active = model ?? catalog.store.models.active();
  if (!active) {
    const id = catalog.store.embeddings.mostFeaturedBackbone();
    if (!id) throw new UserError('the catalog has no backbone features yet: embed it first (caudal embed)', 'not-embedded');
    return id;
  }
  let m: ModelRow = active;
  for (let hops = 0; hops < 32; hops++) {
    if (m.kind === 'pretrained') return m.id;
    const params = m.params ? JSON.parse(m.params) : {};
    if (typeof params?.backbone === 'string') return params.backbone;
    if (!m.parent_id) break;
    m = modelById(catalog, m.parent_id);
  }
  throw new UserError(`model '${active.id}' names no backbone (params.backbone or a pretrained parent)`, 'bad-model');
}

/** The manifest a pretrained model row was created from (stored with it, so the catalog stays self-describing). */
export function manifestOf(catalog: Catalog, backboneId: string, modelsDir?: string): ModelManifest {
  const stored = catalog.store.models.pretrainedManifest(backboneId);
  if (stored) return validateManifest(stored, `catalog model ${backboneId}`);
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
  catalog.store.models.ensurePretrained({ id: manifest.id, name: manifest.name, manifest: JSON.stringify(manifest), params: JSON.stringify(pretrainedParams(manifest)) });
  return catalog.store.models.active()!;
}
