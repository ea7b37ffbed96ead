/**
 * Embedding throughput, end to end (decode, preprocess, infer, store), on full frames
 * (seals-dev, 100 photos, whole frame as the box) and crops (nyala-dev, first 200 photos), each
 * with the stored views (plain, mirror, 2 augmented). In the same run:
 *   naive      one image at a time: decode, render, infer batch 1, store row by row
 *   batch 2, no overlap     batches of 2 annotations (8 images), decoding only after the previous batch is stored
 *   batch 2, decode ahead   the embed job's pipeline: the next batch decodes while the current one infers
 *   batch 8, decode ahead   the same with 8 annotations (32 images) per inference
 * and `caudal embed`'s own function (embedCatalog) on a fresh catalog. Prints photos/s, the time
 * split by stage, and CPU cores busy (process CPU time / wall time).
 *
 *   CAUDAL_SHARED_DIR=/work/shared npx tsx bench/embed.bench.ts [--photos N] [--set=seals|nyala]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../electron/core/store/catalog';
import { sharedDir } from '../electron/core/util/paths';
import { embedCatalog } from '../electron/core/vision/embed';
import { closeExtractors } from '../electron/core/vision/extractor-cache';
import { FeatureExtractor } from '../electron/core/vision/extractor';
import { storeFeatures } from '../electron/core/vision/feature-store';
import { findManifest } from '../electron/core/vision/manifest';
import { ensurePretrained } from '../electron/core/vision/models-table';
import { runPipeline, type StageTimes } from '../electron/core/vision/pipeline';
import { decodeCrop, normaliseTables, renderView, toTensor } from '../electron/core/vision/preprocess';
import { DEFAULT_VIEWS, viewSpecs } from '../electron/core/vision/views';
import { insertPhoto } from '../tests/helpers/catalog-rows';
import { readLabels } from './lib/reid-protocol';
import sharp from 'sharp';

const manifest = findManifest();

interface Row {
  name: string;
  seconds: number;
  photosPerS: number;
  cores: number;
  stages: string;
}

async function freshCatalog(files: string[]): Promise<{ catalog: Catalog; rows: Array<{ id: number; file: string; box: { x: number; y: number; w: number; h: number } }> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-bench-'));
  const catalog = Catalog.open(path.join(dir, 'bench.sqlite'));
  ensurePretrained(catalog, manifest);
  const rows = [];
  for (const f of files) {
    const { annotationId } = await insertPhoto(catalog, f);
    const box = catalog.db.prepare('SELECT x, y, w, h FROM annotations WHERE id = ?').get(annotationId) as { x: number; y: number; w: number; h: number };
    rows.push({ id: annotationId, file: f, box });
  }
  return { catalog, rows };
}

async function timed(name: string, n: number, fn: () => Promise<string>): Promise<Row> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stages = await fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { name, seconds: wall, photosPerS: n / wall, cores: (cpu.user + cpu.system) / 1e6 / wall, stages };
}

const ms = (x: number) => `${(x / 1000).toFixed(2)}s`;

async function naive(ex: FeatureExtractor, files: string[]): Promise<string> {
  const { catalog, rows } = await freshCatalog(files);
  const tables = normaliseTables(manifest);
  const input = new Float32Array(3 * manifest.input.width * manifest.input.height);
  const t = { decode: 0, preprocess: 0, infer: 0, store: 0 };
  for (const r of rows) {
    let a = performance.now();
    const crop = await decodeCrop(r.file, manifest, r.box);
    t.decode += performance.now() - a;
    const views: Float32Array[] = [];
    for (const v of viewSpecs(DEFAULT_VIEWS, r.id)) {
      a = performance.now();
      toTensor(await renderView(crop, manifest, v), manifest, tables, input, 0);
      t.preprocess += performance.now() - a;
      a = performance.now();
      views.push((await ex.run(input, 1)).slice());
      t.infer += performance.now() - a;
    }
    a = performance.now();
    storeFeatures(catalog, r.id, manifest.id, views); // autocommit per row
    t.store += performance.now() - a;
  }
  catalog.close();
  return `decode ${ms(t.decode)}  preprocess ${ms(t.preprocess)}  infer ${ms(t.infer)}  store ${ms(t.store)}`;
}

async function batched(ex: FeatureExtractor, files: string[], prefetch: boolean, batchSize: number): Promise<string> {
  const { catalog, rows } = await freshCatalog(files);
  const times: StageTimes = { decodeMs: 0, inferMs: 0, consumeMs: 0, waitDecodeMs: 0 };
  await runPipeline(
    ex,
    rows.map((r) => ({ key: r.id, source: r.file, box: r.box, views: viewSpecs(DEFAULT_VIEWS, r.id) })),
    ({ features }) => catalog.db.transaction(() => features.forEach((v, id) => storeFeatures(catalog, id, manifest.id, v)))(),
    { batchSize, times, prefetch },
  );
  catalog.close();
  return `decode+preprocess ${ms(times.decodeMs)} (waited for it ${ms(times.waitDecodeMs)})  infer ${ms(times.inferMs)}  store ${ms(times.consumeMs)}`;
}

async function endToEnd(files: string[]): Promise<string> {
  const { catalog } = await freshCatalog(files);
  const r = await embedCatalog(catalog, { device: 'cpu' });
  catalog.close();
  return `embedCatalog: ${r.embedded} embedded on ${r.executionProvider}`;
}

async function main() {
  const shared = sharedDir();
  if (!shared) throw new Error('set CAUDAL_SHARED_DIR to the folder holding datasets/');
  const nArg = process.argv.indexOf('--photos');
  const nNyala = nArg > 0 ? Number(process.argv[nArg + 1]) : 200;
  const which = process.argv.find((a) => a.startsWith('--set='))?.slice(6); // seals | nyala
  const sets0: Array<[string, string[]]> = [
    ['seals-dev (full frames, up to 1600 px)', readLabels(path.join(shared, 'datasets', 'seals-dev')).map((l) => l.file)],
    ['nyala-dev (crops, up to 512 px)', readLabels(path.join(shared, 'datasets', 'nyala-dev')).slice(0, nNyala).map((l) => l.file)],
  ];
  const conc = process.argv.find((a) => a.startsWith('--sharp-threads='));
  if (conc) sharp.concurrency(Number(conc.slice(16)));
  const sets = sets0.filter(([name]) => !which || name.startsWith(which));
  const ex = await FeatureExtractor.open(manifest, { device: 'cpu' });
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; sharp threads per image ${sharp.concurrency()}`);
  console.log(`${os.availableParallelism()} cores; ${DEFAULT_VIEWS} views per photo; provider ${ex.provider}`);
  for (const [name, files] of sets) {
    const rows = [
      await timed('naive (1 at a time)', files.length, () => naive(ex, files)),
      await timed('batch 2, no overlap', files.length, () => batched(ex, files, false, 2)),
      await timed('batch 2, decode ahead', files.length, () => batched(ex, files, true, 2)),
      await timed('batch 8, decode ahead', files.length, () => batched(ex, files, true, 8)),
      await timed('embedCatalog end to end', files.length, () => endToEnd(files)),
    ];
    console.log(`\n## ${name}: ${files.length} photos`);
    for (const r of rows) {
      console.log(`${r.name.padEnd(26)} ${r.photosPerS.toFixed(1).padStart(6)} photos/s  ${r.seconds.toFixed(1).padStart(6)} s  cores busy ${r.cores.toFixed(2)}  x${(r.photosPerS / rows[0].photosPerS).toFixed(2)} vs naive  | ${r.stages}`);
    }
  }
  await ex.release();
  await closeExtractors();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
