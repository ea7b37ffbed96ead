import fs from 'node:fs';
import type { Catalog } from '../store/catalog';
import { getSetting } from '../catalog/settings';
import { UserError } from '../util/errors';
import { photoFile } from '../media/media';
import { teamCropFile } from '../media/team-crop-file';
import { embedFromFeatures, embedRows } from './embed-from-features';
import { getExtractor, plannedProvider } from './extractor-cache';
import { storeFeatures } from './feature-store';
import { flipAverageParts } from './flip';
import { headFor } from './heads';
import { DEFAULT_BACKBONE, findManifest } from './manifest';
import { backboneOf, ensurePretrained, manifestOf, modelById, testViewsOf } from './models-table';
import { runPipeline, type PipelineItem } from './pipeline';
import { parseDevice, type Device, type Provider } from './providers';
import type { Box } from './preprocess';
import { DEFAULT_VIEWS, MIRROR_VIEW, PLAIN_VIEW, testViewIndex, viewSpec } from './views';

export interface EmbedOptions {
  device?: Device;
  /** A backbone manifest id to use instead of the active model's (its pretrained model row is created; active when none is). */
  backbone?: string;
  modelsDir?: string;
  /** Views stored per annotation (>= 2: plain and mirror, then augmentations). */
  views?: number;
  batchSize?: number;
  signal?: AbortSignal;
  progress?: (done: number, total: number | null, message?: string) => void;
  /** Visible warnings (GPU fallback, photos that could not be read). */
  warn?: (message: string) => void;
}

export interface EmbedResult {
  embedded: number;
  model: string;
  executionProvider: Provider;
  seconds: number;
  /** Annotations whose photo could not be read (missing, unreadable); they stay unembedded. */
  failed: number;
  warnings: string[];
}

function deviceOf(catalog: Catalog, device?: Device): Device {
  return device ?? parseDevice(getSetting(catalog, 'device'), "setting 'device'");
}

/**
 * Where an annotation's pixels are: its photo and box; else, for a photo pulled from a team (its
 * file is on the laptop that took it), the crop that travelled with it, which is the region
 * itself (no box).
 */
function pixelsOf(catalog: Catalog, r: { id: number; path: string; copied: number; missing: number; x: number; y: number; w: number; h: number }): { file: string; box?: Box } | { missing: string } {
  const file = photoFile(catalog, r);
  if (!r.missing && fs.existsSync(file)) return { file, box: { x: r.x, y: r.y, w: r.w, h: r.h } };
  const crop = teamCropFile(catalog, r.id);
  return fs.existsSync(crop) ? { file: crop } : { missing: file };
}

/**
 * Embeds the catalog: makes sure the pretrained backbone has a model row (active when none
 * is), computes and stores backbone features (all views) for every annotation lacking them,
 * then writes the active model's embeddings from stored features. Work is committed batch by
 * batch, so a cancelled or killed run resumes where it stopped; a second run embeds 0.
 */
export async function embedCatalog(target: Catalog | { catalog: Catalog }, opts: EmbedOptions = {}): Promise<EmbedResult> {
  const catalog = 'catalog' in target ? target.catalog : target;
  const t0 = performance.now();
  const warnings: string[] = [];
  let unlisted = 0;
  const warn = (m: string) => {
    // A catalog whose drive is unplugged would otherwise return thousands; the count stays exact.
    if (warnings.length < 20) warnings.push(m);
    else unlisted++;
    opts.warn?.(m);
  };
  const device = deviceOf(catalog, opts.device);
  const current = catalog.store.models.active();
  const backboneId = opts.backbone ?? (current ? backboneOf(catalog, current) : DEFAULT_BACKBONE);
  const manifest = current && !opts.backbone ? manifestOf(catalog, backboneId, opts.modelsDir) : findManifest(backboneId, opts.modelsDir);
  const active = ensurePretrained(catalog, manifest);
  // Embeddings go to the active model when it reads this backbone, else to the backbone's own pretrained model.
  const model = backboneOf(catalog, active) === backboneId ? active : modelById(catalog, backboneId);
  const nViews = Math.max(2, opts.views ?? DEFAULT_VIEWS);

  // Annotations lacking the plain view get every view; those lacking only a test view of the model
  // (a catalog extracted before its model averaged test views) get the test views alone.
  const tests = testViewsOf(model).map(testViewIndex);
  const todo = catalog.store.embeddings.lackingFeatures(backboneId, tests);
  const lackingEmbedding = catalog.store.embeddings.countLacking(model.id);
  // One count for both phases: each annotation is done when it has its embedding (or failed), so
  // the progress bar and the catalog's "embedded" count move together.
  const total = Math.max(lackingEmbedding, todo.length);
  let done = 0;
  let failed = 0;
  let embeddedThisRun = 0;
  opts.progress?.(0, total, todo.length ? `extracting features of ${todo.length} annotations` : 'embedding');

  let provider: Provider = plannedProvider(device);
  if (todo.length) {
    const extractor = await getExtractor(manifest, { device, modelsDir: opts.modelsDir });
    provider = extractor.provider;
    for (const w of extractor.warnings) warn(w);
    const items: PipelineItem[] = [];
    const indices = new Map<number, number[]>();
    for (const r of todo) {
      const src = pixelsOf(catalog, r);
      if ('missing' in src) {
        failed++;
        warn(`annotation ${r.id}: photo ${src.missing} is missing`);
        continue;
      }
      const views = r.fresh ? [...Array(nViews).keys(), ...tests] : tests;
      indices.set(r.id, views);
      items.push({ key: r.id, source: src.file, box: src.box, views: views.map((v) => viewSpec(v, r.id)) });
    }
    await runPipeline(
      extractor,
      items,
      ({ features, failed: bad }) => {
        catalog.store.transaction(() => {
          for (const [id, views] of features) storeFeatures(catalog, id, backboneId, views, indices.get(id));
        });
        embeddedThisRun += embedFromFeatures(catalog, model.id, { ids: [...features.keys()].map(Number) });
        for (const f of bad) warn(`annotation ${f.key}: ${f.error}`);
        failed += bad.length;
        done += features.size + bad.length;
        opts.progress?.(done, total);
      },
      { batchSize: opts.batchSize, signal: opts.signal },
    );
  }
  // Annotations that had features but no embedding for this model (e.g. a model activated since).
  const rest = opts.signal?.aborted
    ? 0
    : embedFromFeatures(catalog, model.id, {
        signal: opts.signal,
        progress: (n) => opts.progress?.(done + n, total),
      });
  const embedded = embeddedThisRun + rest;
  if (unlisted) warnings.push(`... and ${unlisted} more`);
  return { embedded, model: model.id, executionProvider: provider, seconds: Math.round((performance.now() - t0) / 10) / 100, failed, warnings };
}

/**
 * The active model's vector for a photo outside the catalog (e.g. `caudal match PHOTO`): the
 * box (displayed pixels) or the whole frame, flip-averaged when the body part is.
 */
export async function embedImageFile(
  catalog: Catalog,
  file: string,
  box?: Box,
  opts: { device?: Device; modelsDir?: string; bodyPart?: string } = {},
): Promise<{ model: string; vector: Float32Array; dim: number; executionProvider: Provider }> {
  if (!fs.existsSync(file)) throw new UserError(`no photo at ${file}`, 'not-found');
  const current = catalog.store.models.active();
  const backboneId = current ? backboneOf(catalog, current) : DEFAULT_BACKBONE;
  const manifest = current ? manifestOf(catalog, backboneId, opts.modelsDir) : findManifest(backboneId, opts.modelsDir);
  const model = current ?? ensurePretrained(catalog, manifest);
  const flip = flipAverageParts(catalog).has(opts.bodyPart ?? getSetting(catalog, 'bodyPart'));
  const tests = testViewsOf(model).map(testViewIndex);
  const extractor = await getExtractor(manifest, { device: deviceOf(catalog, opts.device), modelsDir: opts.modelsDir });
  let views: Float32Array[] | undefined;
  const wanted = [PLAIN_VIEW, ...(flip ? [MIRROR_VIEW] : []), ...tests];
  await runPipeline(extractor, [{ key: 0, source: file, box, views: wanted.map((v) => viewSpec(v, 0)) }], (b) => {
    if (b.failed.length) throw new UserError(b.failed[0].error, 'bad-image');
    views = b.features.get(0);
  });
  const [plain, ...rest] = views!;
  const [vector] = embedRows(headFor(model), [{ plain, mirror: flip ? rest[0] : undefined, tests: rest.slice(flip ? 1 : 0) }]);
  return { model: model.id, vector, dim: vector.length, executionProvider: extractor.provider };
}
