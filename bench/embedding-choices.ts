/**
 * Which pretrained embedding re-identifies best? Pooling (average, GeM, mean+std), single final
 * layer vs pooled blocks of several layers, input resolution, squash vs letterbox vs crop, and
 * test-time flip averaging, on nyala-dev with the protocol of ../shared/datasets/README.md:
 * all photos (comparable with the README's baseline) and the held-out half of the individuals
 * (the split the training code evaluates on).
 *
 *   CAUDAL_SHARED_DIR=/work/shared npx tsx bench/embedding-choices.ts [--quick]
 *
 * --quick: 224 squash only; --only=224:crop,448:squash picks configurations. One inference pass per configuration gives every pooling at once
 * (the graph exposes all of them); the mirror pass gives flip averaging.
 */
import path from 'node:path';
import { FeatureExtractor } from '../electron/core/vision/extractor';
import { findManifest, type FeatureTensor, type ModelManifest, type ResizeMode } from '../electron/core/vision/manifest';
import { runPipeline } from '../electron/core/vision/pipeline';
import { sharedDir } from '../electron/core/util/paths';
import { evaluate, fmt, heldOut, readLabels, type Labelled, type Scores } from './lib/reid-protocol';

const base = findManifest();
const layers = base.features.map((f) => ({ tensor: f.tensor, dequantize: f.dequantize, channels: f.channels }));
const STATS = ['gem', 'mean', 'std'] as const;
type Stat = (typeof STATS)[number];

function benchManifest(size: number, resize: ResizeMode): ModelManifest {
  const features: FeatureTensor[] = layers.flatMap((l) => [
    { ...l, pooling: 'gem' as const },
    { ...l, pooling: 'meanstd' as const },
  ]);
  return { ...base, input: { ...base.input, width: size, height: size }, preprocess: { ...base.preprocess, resize }, features, pooling: { gemP: 3, normalizeBlocks: false } };
}

/** Block layout of benchManifest's feature: per layer, gem (C), mean (C), std (C). */
function blockOffsets(): Map<string, { offset: number; length: number }> {
  const out = new Map<string, { offset: number; length: number }>();
  let o = 0;
  layers.forEach((l, k) => {
    for (const s of STATS) {
      out.set(`${k}:${s}`, { offset: o, length: l.channels });
      o += l.channels;
    }
  });
  return out;
}

function normalised(rows: Float32Array[], offset: number, length: number): Float32Array {
  const out = new Float32Array(rows.length * length);
  rows.forEach((r, i) => {
    let s = 0;
    for (let j = 0; j < length; j++) s += r[offset + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < length; j++) out[i * length + j] = r[offset + j] * inv;
  });
  return out;
}

function gram(v: Float32Array, n: number, d: number): Float32Array {
  const g = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    g[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      const a = i * d;
      const b = j * d;
      for (let k = 0; k < d; k++) s += v[a + k] * v[b + k];
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

async function extract(labels: Labelled[], m: ModelManifest): Promise<{ plain: Float32Array[]; mirror: Float32Array[]; seconds: number }> {
  const t = performance.now();
  const ex = await FeatureExtractor.open(m, { device: 'cpu' });
  const plain: Float32Array[] = [];
  const mirror: Float32Array[] = [];
  await runPipeline(
    ex,
    labels.map((l, i) => ({ key: i, source: l.file, views: [{}, { mirror: true }] })),
    (b) => {
      if (b.failed.length) throw new Error(b.failed[0].error);
      for (const [k, v] of b.features) {
        plain[k] = v[0];
        mirror[k] = v[1];
      }
    },
    { batchSize: 16 },
  );
  await ex.release();
  return { plain, mirror, seconds: (performance.now() - t) / 1000 };
}

const variants: Array<{ name: string; blocks: string[] }> = [
  { name: 'final 1280, average', blocks: ['4:mean'] },
  { name: 'final 1280, GeM', blocks: ['4:gem'] },
  { name: 'final 1280, mean+std', blocks: ['4:mean', '4:std'] },
  { name: '5 layers, GeM (2432)', blocks: [0, 1, 2, 3, 4].map((k) => `${k}:gem`) },
  { name: '5 layers, average', blocks: [0, 1, 2, 3, 4].map((k) => `${k}:mean`) },
  { name: '5 layers, mean+std (4864)', blocks: [0, 1, 2, 3, 4].flatMap((k) => [`${k}:mean`, `${k}:std`]) },
  { name: '4 early layers, GeM', blocks: [0, 1, 2, 3].map((k) => `${k}:gem`) },
];

async function main() {
  const shared = sharedDir();
  if (!shared) throw new Error('set CAUDAL_SHARED_DIR to the folder holding datasets/');
  const labels = readLabels(path.join(shared, 'datasets', 'nyala-dev'));
  const n = labels.length;
  const quick = process.argv.includes('--quick');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7); // e.g. --only=224:crop,448:squash
  const all: Array<[number, ResizeMode]> = [[224, 'squash'], [224, 'letterbox'], [224, 'crop'], [448, 'squash']];
  const configs = quick ? all.slice(0, 1) : only ? all.filter(([s, r]) => only.split(',').includes(`${s}:${r}`)) : all;
  const offsets = blockOffsets();
  const results: Array<{ config: string; variant: string; flip: boolean; all: Scores; heldOut: Scores }> = [];
  for (const [size, resize] of configs) {
    const f = await extract(labels, benchManifest(size, resize));
    console.log(`\n## ${size}x${size} ${resize} (features of ${n} photos x 2 views in ${f.seconds.toFixed(1)} s)`);
    const grams = new Map<string, Float32Array>();
    const blockGram = (key: string, flip: boolean): Float32Array => {
      const id = `${key}|${flip}`;
      let g = grams.get(id);
      if (!g) {
        const { offset, length } = offsets.get(key)!;
        const a = normalised(f.plain, offset, length);
        if (flip) {
          const b = normalised(f.mirror, offset, length);
          for (let i = 0; i < a.length; i++) a[i] += b[i];
          const rows = Array.from({ length: n }, (_, i) => a.subarray(i * length, (i + 1) * length));
          g = gram(normalised(rows, 0, length), n, length);
        } else g = gram(a, n, length);
        grams.set(id, g);
      }
      return g;
    };
    for (const v of variants) {
      for (const flip of [false, true]) {
        const gs = v.blocks.map((b) => blockGram(b, flip));
        const sim = (i: number, j: number) => {
          let s = 0;
          for (const g of gs) s += g[i * n + j];
          return s;
        };
        const all = evaluate(labels, sim);
        const held = evaluate(labels, sim, (l) => heldOut(l.individual));
        results.push({ config: `${size} ${resize}`, variant: v.name, flip, all, heldOut: held });
        console.log(`${(v.name + (flip ? ' + flip' : '')).padEnd(34)} all: ${fmt(all)} | held-out: ${fmt(held)}`);
      }
    }
  }
  console.log('\nJSON ' + JSON.stringify(results));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
