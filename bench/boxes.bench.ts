/**
 * Lever 7 of issue 15: a proposed box for full-frame photos. seals-dev (100 full frames, 10
 * seals) under the protocol of ../shared/datasets/README.md, pretrained backbone as shipped
 * (final-layer GeM, plain view), matching the whole frame vs the box the class-activation maps
 * of the backbone's own classifier propose (box-proposer.ts). Every photo of the run, query and
 * gallery, is boxed the same way, as in a catalog whose photos were all imported as full frames.
 *
 * Configurations: proposer input size (long side) x class set x threshold. The threshold and
 * class set are chosen by leave-individuals-out cross-validation (5 folds of 2 individuals,
 * several fold seeds): the best configuration on the other folds' queries scores the held-out
 * fold's. Intervals: 95% bootstrap over individuals (only 10, so they are wide), and the paired
 * difference to full frames. Then nyala-dev (already cropped) with the product's gate: a box is
 * proposed only when it is clearly smaller than the frame.
 *
 *   CAUDAL_SHARED_DIR=/work/shared npx tsx bench/boxes.bench.ts [--quick] [--nyala N]
 *
 * Embeddings and maps are cached under $CAUDAL_BENCH_CACHE (default /tmp/caudal-bench-boxes).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Catalog } from '../electron/core/store/catalog';
import { evaluate } from '../electron/core/match/evaluate';
import { Rng } from '../electron/core/training/random';
import type { QueryOutcome } from '../electron/core/training/retrieval';
import { sharedDir } from '../electron/core/util/paths';
import { BoxProposer, boxFromMaps, type CamMaps } from '../electron/core/vision/box-proposer';
import { proposalWanted, DEFAULT_MAX_AREA } from '../electron/core/vision/propose-annotations';
import { embedImageFile } from '../electron/core/vision/embed';
import { closeExtractors } from '../electron/core/vision/extractor-cache';
import { findManifest, proposerClasses, type ModelManifest } from '../electron/core/vision/manifest';
import type { Box } from '../electron/core/vision/preprocess';
import { readLabels, type Labelled } from './lib/reid-protocol';
import { pairedLine, summarizeBoot } from './lib/training-protocols';

const quick = process.argv.includes('--quick');
const nyalaArg = process.argv.indexOf('--nyala');
const nNyala = nyalaArg > 0 ? Number(process.argv[nyalaArg + 1]) : 300;
const CACHE = process.env.CAUDAL_BENCH_CACHE ?? path.join(os.tmpdir(), 'caudal-bench-boxes');
const ANIMALS = Array.from({ length: 398 }, (_, i) => i); // ImageNet 0-397: the animal classes
const CLASS_SETS: Record<string, number[]> = { marine: [147, 148, 149, 150], animals: ANIMALS };
const SIZES = quick ? [448] : (process.env.BOX_SIZES ?? '448,640').split(',').map(Number);
const THRESHOLDS = quick ? [0.5] : (process.env.BOX_CUTS ?? '0.35,0.5,0.65').split(',').map(Number);
/** The box grown about its centre by this factor (context around the animal), clamped to the frame. */
const EXPANDS = quick ? [1] : (process.env.BOX_EXPANDS ?? '1').split(',').map(Number);
/** Also score the mean of the frame's and the box's embedding (context and animal together). */
const WITH_FRAME = process.env.BOX_WITH_FRAME === '1';

const f3 = (x: number) => x.toFixed(3);
const base = findManifest();

/** Vectors by (file, box), persisted so a rerun only embeds what changed. */
class VectorCache {
  private file = path.join(CACHE, 'vectors.json');
  private map: Record<string, number[]> = fs.existsSync(this.file) ? JSON.parse(fs.readFileSync(this.file, 'utf8')) : {};
  private catalog: Catalog;
  constructor(dir: string) {
    this.catalog = Catalog.open(path.join(dir, 'bench.sqlite'));
  }
  async get(file: string, box?: Box): Promise<Float32Array> {
    const key = `${file}|${box ? [box.x, box.y, box.w, box.h].map((v) => Math.round(v)).join(',') : 'frame'}`;
    if (!this.map[key]) this.map[key] = Array.from((await embedImageFile(this.catalog, file, box, { device: 'cpu' })).vector);
    return Float32Array.from(this.map[key]);
  }
  save(): void {
    fs.writeFileSync(this.file, JSON.stringify(this.map));
  }
  close(): void {
    this.save();
    this.catalog.close();
  }
}

async function mapsFor(labels: Labelled[], size: number, tag: string): Promise<CamMaps[]> {
  const file = path.join(CACHE, `maps-${tag}-${size}.bin`);
  const manifest: ModelManifest = { ...base, proposer: { ...base.proposer!, classes: ANIMALS, size } };
  if (fs.existsSync(file)) {
    const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as Array<Omit<CamMaps, 'cams'> & { offset: number }>;
    const buf = fs.readFileSync(file);
    const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    return meta.map((m) => ({ ...m, cams: all.subarray(m.offset, m.offset + m.k * m.h * m.w) }));
  }
  const proposer = await BoxProposer.open(manifest);
  const out: CamMaps[] = [];
  for (const l of labels) out.push(await proposer.maps(l.file));
  await proposer.release();
  let offset = 0;
  const meta = out.map(({ cams, ...m }) => ({ ...m, offset: (offset += cams.length) - cams.length }));
  const all = new Float32Array(offset);
  out.forEach((m, i) => all.set(m.cams, meta[i].offset));
  fs.writeFileSync(file, Buffer.from(all.buffer));
  fs.writeFileSync(`${file}.json`, JSON.stringify(meta));
  return out;
}

/** The maps of a class subset (ANIMALS is 0..397, so a class index is its channel). */
function subset(m: CamMaps, classes: number[]): CamMaps {
  const hw = m.h * m.w;
  const cams = new Float32Array(classes.length * hw);
  classes.forEach((c, i) => cams.set(m.cams.subarray(c * hw, (c + 1) * hw), i * hw));
  return { ...m, cams, k: classes.length };
}

function grow(b: Box, f: number, width: number, height: number): Box {
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const x = Math.max(0, cx - (b.w * f) / 2);
  const y = Math.max(0, cy - (b.h * f) / 2);
  return { x, y, w: Math.min(width, cx + (b.w * f) / 2) - x, h: Math.min(height, cy + (b.h * f) / 2) - y };
}

async function outcomes(labels: Labelled[], vectors: VectorCache, boxes: Array<Box | undefined>, withFrame = false): Promise<Scored[]> {
  const vs: Float32Array[] = [];
  for (let i = 0; i < labels.length; i++) {
    const v = await vectors.get(labels[i].file, boxes[i]);
    if (withFrame && boxes[i]) {
      const f = await vectors.get(labels[i].file);
      const m = v.map((x, k) => x + f[k]);
      const n = Math.hypot(...m);
      vs.push(m.map((x) => x / n));
    } else vs.push(v);
  }
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, k) => s + v * b[k], 0);
  const sim = new Float32Array(labels.length * labels.length);
  for (let i = 0; i < labels.length; i++) for (let j = 0; j < labels.length; j++) sim[i * labels.length + j] = dot(vs[i], vs[j]);
  const ids = [...new Set(labels.map((l) => l.individual))].sort();
  const { ranks } = evaluate(labels, sim);
  // Unscored queries (no gallery photo of their individual) are left out, as the protocol says.
  return ranks.flatMap((r, i) => (r === null ? [] : [{ label: ids.indexOf(labels[i].individual), rank: r, query: i }]));
}

type Scored = QueryOutcome & { query: number };

const line = (name: string, o: QueryOutcome[], rng: Rng) => {
  const s = summarizeBoot(o, rng, 2000);
  return `${name.padEnd(34)} rank-1 ${f3(s.rank1)} [${f3(s.ci[0])}, ${f3(s.ci[1])}]  MAP@5 ${f3(s.map5)}  top-5 ${f3(s.top5)}  (${s.queries} q, ${s.individuals} ind.)`;
};

const map5 = (o: QueryOutcome[]) => o.reduce((s, q) => s + (q.rank <= 5 ? 1 / q.rank : 0), 0) / o.length;
const rank1 = (o: QueryOutcome[]) => o.filter((q) => q.rank === 1).length / o.length;

/** Leave-individuals-out: per fold, the configuration best on the other folds (rank-1, then MAP@5) scores the fold. */
function crossValidate(results: Map<string, Scored[]>, individuals: number, seeds: number[]): { pooled: Scored[]; picks: Record<string, number> } {
  const pooled: Scored[] = [];
  const picks: Record<string, number> = {};
  for (const seed of seeds) {
    const order = new Rng(seed).shuffle(Array.from({ length: individuals }, (_, i) => i));
    const folds = 5;
    for (let f = 0; f < folds; f++) {
      const held = new Set(order.filter((_, i) => i % folds === f));
      let best: [string, number, number] | null = null;
      for (const [name, o] of results) {
        const train = o.filter((q) => !held.has(q.label));
        const score: [string, number, number] = [name, rank1(train), map5(train)];
        if (!best || score[1] > best[1] || (score[1] === best[1] && score[2] > best[2])) best = score;
      }
      picks[best![0]] = (picks[best![0]] ?? 0) + 1;
      pooled.push(...results.get(best![0])!.filter((q) => held.has(q.label)));
    }
  }
  return { pooled, picks };
}

async function main() {
  const shared = sharedDir();
  if (!shared) throw new Error('set CAUDAL_SHARED_DIR to the folder holding datasets/ and models/');
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'caudal-boxes-'));
  const vectors = new VectorCache(tmp);
  const seals = readLabels(path.join(shared, 'datasets', 'seals-dev'));
  const individuals = new Set(seals.map((l) => l.individual)).size;
  const t0 = performance.now();

  const frame = await outcomes(seals, vectors, seals.map(() => undefined));
  const results = new Map<string, Scored[]>();
  const areas = new Map<string, number>();
  for (const size of SIZES) {
    const tm = performance.now();
    const maps = await mapsFor(seals, size, 'seals');
    console.log(`maps at ${size} px: ${((performance.now() - tm) / seals.length).toFixed(0)} ms a photo (0 when cached)`);
    for (const [setName, classes] of Object.entries(CLASS_SETS)) {
      for (const t of THRESHOLDS) {
        for (const e of EXPANDS) {
          const boxes = maps.map((m) => {
            const b = boxFromMaps(subset(m, classes), t);
            return b ? grow(b, e, m.width, m.height) : undefined;
          });
          const name = `${size} px, ${setName}, cut ${t}${e !== 1 ? `, x${e}` : ''}`;
          results.set(name, await outcomes(seals, vectors, boxes));
          areas.set(name, boxes.reduce((s, b, i) => s + (b ? (b.w * b.h) / (maps[i].width * maps[i].height) : 1), 0) / boxes.length);
          if (WITH_FRAME) {
            results.set(`${name} + frame`, await outcomes(seals, vectors, boxes, true));
            areas.set(`${name} + frame`, areas.get(name)!);
          }
          vectors.save();
        }
      }
    }
  }
  const rng = new Rng(7);
  console.log(`\nseals-dev, ${seals.length} photos, ${individuals} individuals (every configuration on the same queries):`);
  console.log(line('full frame', frame, rng));
  for (const [name, o] of results) console.log(`${line(name, o, rng)}  box ${(100 * areas.get(name)!).toFixed(0)}% of frame; minus full: ${pairedLine(frame, o, rng, 2000)}`);

  const seeds = quick ? [1] : [1, 2, 3, 4, 5];
  const cv = crossValidate(results, individuals, seeds);
  const frameRep = seeds.flatMap(() => frame);
  // Pair each CV outcome with the full-frame outcome of the same query.
  const byQuery = new Map(frame.map((q) => [q.query, q]));
  const paired = cv.pooled.map((q) => byQuery.get(q.query)!);
  console.log(`\nleave-individuals-out CV (5 folds x ${seeds.length} seeds), configuration picked per fold: ${JSON.stringify(cv.picks)}`);
  console.log(line('full frame (each seed)', frameRep, rng));
  console.log(line('proposed box, CV-chosen', cv.pooled, rng));
  console.log(`paired rank-1 difference (CV box minus full): ${pairedLine(paired, cv.pooled, rng, 2000)}`);
  console.log(`MAP@5 ${f3(map5(frameRep))} -> ${f3(map5(cv.pooled))}; top-5 ${f3(frameRep.filter((q) => q.rank <= 5).length / frameRep.length)} -> ${f3(cv.pooled.filter((q) => q.rank <= 5).length / cv.pooled.length)}`);

  // nyala-dev is already cropped: with the product's gate, how many photos get a box, and does it hurt?
  if (nNyala > 0) {
    const nyala = readLabels(path.join(shared, 'datasets', 'nyala-dev')).slice(0, nNyala);
    const size = base.proposer!.size;
    const maps = await mapsFor(nyala, size, `nyala${nNyala}`);
    const raw = maps.map((m) => boxFromMaps(subset(m, proposerClasses(base.proposer!))));
    const nFrame = await outcomes(nyala, vectors, nyala.map(() => undefined));
    const nRaw = await outcomes(nyala, vectors, raw.map((b) => b ?? undefined));
    console.log(`\nnyala-dev, first ${nyala.length} photos (cropped already), shipped proposer (${size} px, ${proposerClasses(base.proposer!).length} classes):`);
    console.log(line('full frame', nFrame, rng));
    console.log(`${line('box on every photo', nRaw, rng)}  minus full: ${pairedLine(nFrame, nRaw, rng, 2000)}`);
    // The product's gate (DEFAULT_MAX_AREA) and tighter ones: a box is used only when it is that much smaller than the frame.
    for (const gate of (process.env.BOX_GATES ?? String(DEFAULT_MAX_AREA)).split(',').map(Number)) {
      const gated = raw.map((b, i) => (b && proposalWanted(b, maps[i].width, maps[i].height, gate) ? b : undefined));
      const nGated = await outcomes(nyala, vectors, gated);
      console.log(`${line(`box only if < ${gate * 100}% of frame`, nGated, rng)}  minus full: ${pairedLine(nFrame, nGated, rng, 2000)}; boxed ${gated.filter(Boolean).length} of ${nyala.length}`);
    }
    vectors.save();
  }
  vectors.close();
  await closeExtractors();
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`\n${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
