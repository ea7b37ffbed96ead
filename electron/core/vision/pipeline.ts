import type { FeatureExtractor } from './extractor';
import { decodeCrop, normaliseTables, renderViews, toTensor, type Box } from './preprocess';
import type { ViewSpec } from './views';

/**
 * Annotations per inference batch. Measured on 2 CPU cores (bench/embed.bench.ts): 2 annotations
 * (8 images with the stored views) infer about twice as fast per image as 8 annotations (32
 * images), whose activations no longer fit in cache; a GPU would want larger batches.
 */
export const DEFAULT_BATCH = 2;

export interface PipelineItem {
  key: number;
  source: string | Buffer;
  box?: Box;
  views: ViewSpec[];
}

export interface PipelineBatch {
  items: PipelineItem[];
  /** Per item, per view: `dim` floats. Items that failed to decode are in `failed` instead. */
  features: Map<number, Float32Array[]>;
  failed: Array<{ key: number; error: string }>;
}

export interface StageTimes {
  decodeMs: number;
  inferMs: number;
  /** Time the consumer (storing) held the loop. */
  consumeMs: number;
  /** Time the loop waited for decoding that had not finished. */
  waitDecodeMs: number;
}

interface Prepared {
  items: PipelineItem[];
  tensor: Float32Array;
  slots: Array<{ key: number; views: number; first: number }>;
  failed: Array<{ key: number; error: string }>;
  decodeMs: number;
}

async function prepare(extractor: FeatureExtractor, items: PipelineItem[], tables: Float32Array[]): Promise<Prepared> {
  const t0 = performance.now();
  const { width, height } = extractor.manifest.input;
  const per = 3 * width * height;
  const total = items.reduce((s, it) => s + it.views.length, 0);
  const tensor = new Float32Array(total * per);
  const failed: Prepared['failed'] = [];
  // All items of a batch decode at once: sharp runs them on libuv's pool while the
  // previous batch is in onnxruntime's threads.
  const rendered = await Promise.all(
    items.map(async (it) => {
      try {
        const crop = await decodeCrop(it.source, extractor.manifest, it.box);
        return await renderViews(crop, extractor.manifest, it.views);
      } catch (e) {
        failed.push({ key: it.key, error: (e as Error).message });
        return null;
      }
    }),
  );
  const slots: Prepared['slots'] = [];
  let slot = 0;
  items.forEach((it, i) => {
    const views = rendered[i];
    if (!views) return;
    slots.push({ key: it.key, views: views.length, first: slot });
    for (const rgb of views) toTensor(rgb, extractor.manifest, tables, tensor, slot++);
  });
  return { items, tensor: tensor.subarray(0, slot * per), slots, failed, decodeMs: performance.now() - t0 };
}

/**
 * Batches through the extractor with one batch of decoding always in flight ahead of
 * inference, so the slower of the two stages sets the pace. `consume` runs between batches
 * (storing results), also while the next batch decodes.
 */
export async function runPipeline(
  extractor: FeatureExtractor,
  items: PipelineItem[],
  consume: (batch: PipelineBatch) => void | Promise<void>,
  opts: {
    batchSize?: number;
    signal?: AbortSignal;
    times?: StageTimes;
    /** false: decode a batch only after the previous one is stored (to measure the overlap). */
    prefetch?: boolean;
  } = {},
): Promise<void> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const prefetch = opts.prefetch !== false;
  const tables = normaliseTables(extractor.manifest);
  const chunks: PipelineItem[][] = [];
  for (let i = 0; i < items.length; i += batchSize) chunks.push(items.slice(i, i + batchSize));
  const times = opts.times;
  let next: Promise<Prepared> | null = chunks.length ? prepare(extractor, chunks[0], tables) : null;
  try {
    for (let c = 0; c < chunks.length && !opts.signal?.aborted; c++) {
      const tw = performance.now();
      const ready = await next!;
      next = null;
      if (times) {
        times.waitDecodeMs += performance.now() - tw;
        times.decodeMs += ready.decodeMs;
      }
      if (prefetch && c + 1 < chunks.length) next = prepare(extractor, chunks[c + 1], tables);
      const n = ready.slots.reduce((s, x) => s + x.views, 0);
      const ti = performance.now();
      const feats = n ? await extractor.run(ready.tensor, n) : new Float32Array(0);
      if (times) times.inferMs += performance.now() - ti;
      const features = new Map<number, Float32Array[]>();
      for (const s of ready.slots) {
        const row = (v: number) => feats.slice((s.first + v) * extractor.dim, (s.first + v + 1) * extractor.dim);
        features.set(s.key, Array.from({ length: s.views }, (_, v) => row(v)));
      }
      const tc = performance.now();
      await consume({ items: ready.items, features, failed: ready.failed });
      if (times) times.consumeMs += performance.now() - tc;
      if (!prefetch && c + 1 < chunks.length) next = prepare(extractor, chunks[c + 1], tables);
    }
  } finally {
    // A failure in inference or storing (or a cancel) must not leave a decode in flight as an unhandled rejection.
    await next?.catch(() => undefined);
  }
}
