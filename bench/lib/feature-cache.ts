// Backbone features of a labelled dataset's photos, per (input resolution, view), cached on disk so
// the accuracy levers (views, resolution, re-ranking, ...) compare without re-running the backbone.
// Whole frames, as `caudal eval` embeds them; the stored 5-layer feature (each block L2-normalised).
import fs from 'node:fs';
import path from 'node:path';
import { FeatureExtractor } from '../../electron/core/vision/extractor';
import { findManifest, type ModelManifest } from '../../electron/core/vision/manifest';
import { runPipeline } from '../../electron/core/vision/pipeline';
import type { ViewSpec } from '../../electron/core/vision/views';
import { TEST_VIEWS, viewRng } from '../../electron/core/vision/views';
import type { Labelled } from './reid-protocol';

export const CACHE_DIR = process.env.CAUDAL_FEATURE_CACHE ?? '/tmp/15a/features';

/** Candidate test-time views by name: the shipped ones (views.ts) and the alternatives measured. */
export const CANDIDATE_VIEWS: Record<string, (photo: number) => ViewSpec> = {
  plain: () => ({}),
  mirror: () => ({ mirror: true }),
  ...Object.fromEntries(Object.entries(TEST_VIEWS).map(([k, v]) => [k, () => v])),
  bright: () => ({ colour: { brightness: 1.15, saturation: 1 } }),
  dark: () => ({ colour: { brightness: 0.85, saturation: 1 } }),
  // Random strong views seeded per photo (crop scale 0.6-1, brightness 0.7-1.3, saturation 0.5-1.5): the earlier lead.
  ...Object.fromEntries([1, 2, 3, 4].map((k) => [`rand${k}`, (photo: number) => randomView(photo * 7919 + k * 104729)])),
};

function randomView(seed: number): ViewSpec {
  const r = viewRng(seed);
  const scale = 0.6 + 0.4 * r();
  const width = Math.min(1, scale * Math.sqrt(0.9 + 0.2 * r()));
  const height = Math.min(1, (scale * scale) / width);
  return { window: { left: (1 - width) * r(), top: (1 - height) * r(), width, height }, colour: { brightness: 0.7 + 0.6 * r(), saturation: 0.5 + r() } };
}

export function manifestAt(size: number): ModelManifest {
  const base = findManifest();
  return { ...base, input: { ...base.input, width: size, height: size } };
}

export interface CachedFeatures {
  n: number;
  dim: number;
  /** n rows of dim floats. */
  rows: Float32Array;
}

const fileOf = (dataset: string, size: number, view: string) => path.join(CACHE_DIR, `${dataset}-${size}-${view}.f32`);

/**
 * Features of every photo for each requested view at `size`, computing (and storing) only the
 * views not yet cached. Photos of identical files are still extracted per row: rows follow labels.
 */
export async function cachedFeatures(dataset: string, labels: Labelled[], size: number, views: string[], log = console.error): Promise<Record<string, CachedFeatures>> {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const manifest = manifestAt(size);
  const dim = manifest.features.reduce((s, f) => s + f.channels, 0);
  const out: Record<string, CachedFeatures> = {};
  const missing = views.filter((v) => !fs.existsSync(fileOf(dataset, size, v)));
  for (const v of views) if (!CANDIDATE_VIEWS[v]) throw new Error(`unknown view '${v}' (known: ${Object.keys(CANDIDATE_VIEWS).join(', ')})`);
  if (missing.length) {
    const t0 = performance.now();
    const ex = await FeatureExtractor.open(manifest, { device: 'cpu' });
    const rows = missing.map(() => new Float32Array(labels.length * dim));
    try {
      await runPipeline(
        ex,
        labels.map((l, i) => ({ key: i, source: l.file, views: missing.map((v) => CANDIDATE_VIEWS[v](i)) })),
        (b) => {
          if (b.failed.length) throw new Error(`${labels[b.failed[0].key].file}: ${b.failed[0].error}`);
          for (const [k, vs] of b.features) vs.forEach((f, j) => rows[j].set(f, k * dim));
        },
        { batchSize: 4 },
      );
    } finally {
      await ex.release();
    }
    const ms = performance.now() - t0;
    log(`features ${dataset} ${size}px, views ${missing.join(',')}: ${(ms / 1000).toFixed(1)} s (${(ms / labels.length / missing.length).toFixed(1)} ms per photo-view)`);
    missing.forEach((v, j) => fs.writeFileSync(fileOf(dataset, size, v), Buffer.from(rows[j].buffer)));
  }
  for (const v of views) {
    const buf = fs.readFileSync(fileOf(dataset, size, v));
    const rows = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    if (rows.length !== labels.length * dim) throw new Error(`${fileOf(dataset, size, v)}: ${rows.length} floats, expected ${labels.length} x ${dim}; delete it`);
    out[v] = { n: labels.length, dim, rows: new Float32Array(rows) };
  }
  return out;
}
