import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { labelsCsv, planSynth, type PlannedPhoto } from './plan';
import { ItemRenderer } from './render-items';
import { startWorker } from '../util/worker';
import { UserError } from '../util/errors';

export interface SynthOptions {
  individuals: number;
  photos: number;
  seed: number;
  out: string;
  width?: number;
  height?: number;
  /** Generator threads; 0 draws on the calling thread. Default: one per core. */
  workers?: number;
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export interface SynthResult {
  out: string;
  labels: string;
  photos: number;
  individuals: number;
  sightings: number;
  days: number;
  width: number;
  height: number;
  workers: number;
  seconds: number;
  photosPerSecond: number;
}

/** What `synth.json` records beside the photos, so a folder says what it is. */
export const SYNTH_MANIFEST = 'synth.json';

const CHUNK = 48;

/**
 * Writes a synthetic humpback fluke photo set: JPEGs with EXIF under `photos/<date>/`, and
 * `labels.csv` (image,individual,side,sighting) last, so a folder with labels is complete.
 * Synthetic images are for demos, tests and scale benchmarks, never evidence of accuracy.
 */
export async function generateSynth(o: SynthOptions): Promise<SynthResult> {
  const width = o.width ?? 480;
  const height = o.height ?? 320;
  if (!(width >= 64 && width <= 4096 && height >= 64 && height <= 4096)) throw new UserError(`image size must be within 64..4096 pixels, got ${width}x${height}`, 'usage');
  const out = path.resolve(o.out);
  prepareOut(out);
  // Marks the folder as ours straight away, so an interrupted run can be regenerated in place.
  fs.writeFileSync(path.join(out, SYNTH_MANIFEST), JSON.stringify({ generator: 'caudal synth', complete: false }));
  const t0 = performance.now();
  const plan = planSynth(o);
  for (const dir of new Set(plan.photos.map((p) => path.dirname(p.file)))) fs.mkdirSync(path.join(out, dir), { recursive: true });

  const chunks = chunkByIndividual(plan.photos);
  const total = plan.photos.length;
  const workers = Math.max(0, Math.min(o.workers ?? os.availableParallelism(), chunks.length, 16));
  let done = 0;
  const tick = (n: number) => {
    done += n;
    o.onProgress?.(done, total);
  };
  const setup = { seed: o.seed, width, height, out };
  if (workers === 0) {
    const r = new ItemRenderer(setup);
    for (const c of chunks) {
      if (o.signal?.aborted) throw new UserError('generation cancelled', 'cancelled');
      await r.render(c, () => tick(1));
    }
  } else {
    await runOnWorkers(chunks, workers, setup, tick, o.signal);
  }
  const seconds = (performance.now() - t0) / 1000;
  const result: SynthResult = {
    out,
    labels: path.join(out, 'labels.csv'),
    photos: total,
    individuals: plan.individuals,
    sightings: plan.sightings,
    days: plan.days,
    width,
    height,
    workers,
    seconds: Math.round(seconds * 100) / 100,
    photosPerSecond: Math.round(total / seconds),
  };
  fs.writeFileSync(
    path.join(out, SYNTH_MANIFEST),
    JSON.stringify({ generator: 'caudal synth', complete: true, synthetic: true, note: 'procedurally drawn humpback flukes: not evidence of accuracy on real animals', seed: o.seed, ...result, out: undefined, labels: 'labels.csv' }, null, 2),
  );
  fs.writeFileSync(result.labels, labelsCsv(plan));
  return result;
}

/** A new or empty folder, or one this generator wrote before (regenerated in place). */
function prepareOut(out: string): void {
  if (fs.existsSync(out)) {
    if (!fs.statSync(out).isDirectory()) throw new UserError(`--out ${out} is a file, not a folder`, 'usage');
    const entries = fs.readdirSync(out);
    if (entries.length && !entries.includes(SYNTH_MANIFEST)) throw new UserError(`--out ${out} is not empty and was not made by caudal synth; choose a new folder`, 'usage');
    for (const e of ['photos', 'labels.csv', SYNTH_MANIFEST]) fs.rmSync(path.join(out, e), { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
}

function chunkByIndividual(photos: PlannedPhoto[]): PlannedPhoto[][] {
  const sorted = [...photos].sort((a, b) => a.individual - b.individual || a.index - b.index);
  const chunks: PlannedPhoto[][] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) chunks.push(sorted.slice(i, i + CHUNK));
  return chunks;
}

async function runOnWorkers(
  chunks: PlannedPhoto[][],
  n: number,
  setup: { seed: number; width: number; height: number; out: string },
  tick: (n: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const pool: Worker[] = [];
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let active = 0;
      let failed = false;
      const feed = (w: Worker) => {
        if (failed) return;
        if (signal?.aborted) {
          failed = true;
          reject(new UserError('generation cancelled', 'cancelled'));
          return;
        }
        if (next >= chunks.length) {
          if (active === 0) resolve();
          return;
        }
        const id = next++;
        active++;
        w.postMessage({ id, items: chunks[id] });
      };
      for (let k = 0; k < n; k++) {
        const w = startWorker(__dirname, 'synth-worker', { workerData: setup });
        pool.push(w);
        w.on('message', (m: { id: number; done?: number; error?: string }) => {
          active--;
          if (m.error) {
            failed = true;
            reject(new Error(`synth worker failed: ${m.error}`));
            return;
          }
          tick(m.done ?? 0);
          feed(w);
          if (next >= chunks.length && active === 0) resolve();
        });
        w.on('error', (e) => {
          failed = true;
          reject(e);
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
