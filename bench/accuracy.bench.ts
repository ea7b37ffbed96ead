/**
 * Accuracy of the shipped pipeline with no training, lever by lever, by 5-fold cross-validation over
 * individuals on nyala-dev (bench/lib/cv.ts): each lever's setting is chosen on the training folds'
 * queries and scored on the held-out fold's; pooled over seeds; 95% bootstrap over individuals; paired
 * differences and ratios against today's shipped default (224 px, plain view, final-layer GeM, best photo).
 * The queries are the `caudal eval` protocol's (every photo; gallery = same side minus its own sighting):
 * only the choice of setting is cross-validated, no query or gallery is dropped.
 *
 *   npm run bench -- accuracy            (features cached under CAUDAL_FEATURE_CACHE, default /tmp/15a/features)
 *   ACC_LEVERS=views,resolution ACC_SEEDS=1,2,3 ACC_SIZES=224,288 npm run bench -- accuracy
 *
 * The first run extracts features of every photo for every view and resolution (many minutes on two cores).
 */
import path from 'node:path';
import type { QueryOutcome } from '../electron/core/training/retrieval';
import { sharedDir } from '../electron/core/util/paths';
import { FeatureExtractor } from '../electron/core/vision/extractor';
import { findManifest } from '../electron/core/vision/manifest';
import { runPipeline } from '../electron/core/vision/pipeline';
import { SHIPPED_TEST_VIEWS, testViewIndex, viewSpec } from '../electron/core/vision/views';
import { COMPARISON_HEADER, compare, comparisonRow, fixedCV, foldsByIndividual, nestedCV, type Ranks } from './lib/cv';
import { cachedFeatures, type CachedFeatures } from './lib/feature-cache';
import { aggregatedRanks, centre, databaseAugmentation, embedViews, encounterRanks, FINAL, gram, pcaFit, pcaWhiten, queryExpansion, ranksOf } from './lib/levers';
import { readLabels } from './lib/reid-protocol';

const env = (k: string, d: string) => process.env[k] ?? d;
const SEEDS = env('ACC_SEEDS', '1,2,3').split(',').map(Number);
const SIZES = env('ACC_SIZES', '224,256,288,320,352,384').split(',').map(Number);
const LEVERS = env('ACC_LEVERS', 'views,mirror,resolution,aggregation,qe,dba,encounter,centre,power,blocks,combined,cost').split(',');
const CROPS = ['centre90', 'tl90', 'tr90', 'bl90', 'br90'];
const CORNERS80 = ['tl80', 'tr80', 'bl80', 'br80'];

async function main() {
  const shared = sharedDir();
  if (!shared) throw new Error('set CAUDAL_SHARED_DIR to the folder holding datasets/');
  const labels = readLabels(path.join(shared, 'datasets', 'nyala-dev'));
  const n = labels.length;
  const individuals = labels.map((l) => l.individual);
  const feats = new Map<string, CachedFeatures>();
  const featsOf = async (size: number, views: string[]) => {
    const need = views.filter((v) => !feats.has(`${size}:${v}`));
    if (need.length) for (const [v, f] of Object.entries(await cachedFeatures('nyala-dev', labels, size, need))) feats.set(`${size}:${v}`, f);
    return views.map((v) => feats.get(`${size}:${v}`)!.rows);
  };
  const dimIn = (await cachedFeatures('nyala-dev', labels, 224, ['plain'])).plain.dim;

  const sims = new Map<string, Float32Array>();
  const embedding = async (size: number, views: string[], opts: { blocks?: Array<[number, number]>; power?: number } = {}) => {
    return embedViews(await featsOf(size, views), n, dimIn, opts);
  };
  const simOf = async (size: number, views: string[], opts: { blocks?: Array<[number, number]>; power?: number } = {}) => {
    const key = JSON.stringify([size, views, opts]);
    let S = sims.get(key);
    if (!S) {
      const e = await embedding(size, views, opts);
      sims.set(key, (S = gram(e.vectors, n, e.dim)));
    }
    return S;
  };
  const cv = { seeds: SEEDS };

  const baseS = await simOf(224, ['plain']);
  const baseRanks = ranksOf(labels, baseS);
  const base = fixedCV(individuals, baseRanks, cv);
  const scored = baseRanks.filter((r) => r !== null).length;
  const b = compare(base, base);
  console.log(`nyala-dev, ${n} photos, ${scored} queries per seed (the caudal eval protocol), ${SEEDS.length} seeds, 5 folds over individuals`);
  console.log(`shipped default (224 px, plain view, final-layer GeM, best photo): rank-1 ${b.rank1.mean.toFixed(3)} [${b.rank1.lo.toFixed(3)}, ${b.rank1.hi.toFixed(3)}], MAP@5 ${b.map5.mean.toFixed(3)} [${b.map5.lo.toFixed(3)}, ${b.map5.hi.toFixed(3)}]\n`);
  console.log(COMPARISON_HEADER);

  const row = (lever: string, r: { outcomes: QueryOutcome[]; chosen: Map<string, number> }, baseline = base) => {
    const chosen = [...r.chosen].sort((a, c) => c[1] - a[1]).map(([k, c]) => `${k} x${c}`).join('; ');
    console.log(comparisonRow(lever, compare(baseline, r.outcomes), chosen));
  };
  // A lever whose settings are similarity matrices that do not depend on the fold.
  const lever = async <S>(name: string, settings: S[], rank: (s: S) => Promise<Ranks> | Ranks, label: (s: S) => string) => {
    const ranks = new Map<string, Ranks>();
    for (const s of settings) ranks.set(label(s), await rank(s));
    row(name, nestedCV(individuals, settings, (s) => ranks.get(label(s))!, { ...cv, name: label }));
  };
  const fixed = async (name: string, ranks: Ranks) => row(name, { outcomes: fixedCV(individuals, ranks, cv), chosen: new Map([['fixed', 1]]) });
  const on = (l: string) => LEVERS.includes(l);

  if (on('views')) {
    const sets = [['plain'], ['plain', 'centre90'], ['plain', 'centre80'], ['plain', ...CROPS.slice(1)], ['plain', ...CROPS], ['plain', 'centre90', 'centre80'], ['plain', 'bright', 'dark'], ['plain', ...CROPS, 'bright', 'dark'], ['plain', 'rand1', 'rand2', 'rand3', 'rand4'], ['plain', ...CORNERS80], ['plain', ...CROPS, ...CORNERS80]];
    for (const s of sets.slice(1)) await fixed(`views: ${s.join('+')}`, ranksOf(labels, await simOf(224, s)));
    await lever('views (nested choice, no mirror)', sets, async (s) => ranksOf(labels, await simOf(224, s)), (s) => s.join('+'));
  }
  if (on('mirror')) {
    await fixed('views: plain+mirror (flanks only)', ranksOf(labels, await simOf(224, ['plain', 'mirror'])));
    await fixed('views: plain+mirror+5 crops (flanks only)', ranksOf(labels, await simOf(224, ['plain', 'mirror', ...CROPS])));
  }
  if (on('resolution')) {
    for (const size of SIZES.filter((s) => s !== 224)) await fixed(`resolution ${size}, plain`, ranksOf(labels, await simOf(size, ['plain'])));
    await lever('resolution (nested), plain', SIZES, async (s) => ranksOf(labels, await simOf(s, ['plain'])), (s) => `${s}px`);
    if (process.env.ACC_RES_VIEWS) for (const size of SIZES) await fixed(`resolution ${size}, shipped views (${SHIPPED_TEST_VIEWS.join('+')})`, ranksOf(labels, await simOf(size, ['plain', ...SHIPPED_TEST_VIEWS])));
  }
  if (on('aggregation')) {
    for (const a of ['mean2', 'mean'] as const) await fixed(`aggregation: ${a}`, aggregatedRanks(labels, baseS, a));
  }
  if (on('qe')) {
    const settings = [1, 2, 3, 5].flatMap((k) => [1, 3].map((alpha) => ({ k, alpha })));
    await lever('alpha query expansion (nested k, alpha)', settings, (s) => ranksOf(labels, queryExpansion(labels, baseS, s.k, s.alpha)), (s) => `k${s.k} a${s.alpha}`);
  }
  if (on('dba')) {
    const settings = [1, 2, 3].flatMap((k) => [1, 3].map((alpha) => ({ k, alpha })));
    await lever('database-side augmentation (nested k, alpha)', settings, (s) => ranksOf(labels, databaseAugmentation(labels, baseS, s.k, s.alpha)), (s) => `k${s.k} a${s.alpha}`);
  }
  if (on('encounter')) {
    for (const fuse of ['mean', 'max', 'sum'] as const) await fixed(`encounter (sighting queried together), ${fuse}`, encounterRanks(labels, baseS, fuse));
  }
  if (on('centre') || on('whiten')) {
    const e = await embedding(224, ['plain']);
    const perFold = (fit: (train: (i: number) => boolean) => Ranks) => {
      const cache = new Map<string, Ranks>();
      return (fold: number, seed: number) => {
        const key = `${seed}:${fold}`;
        if (!cache.has(key)) {
          const folds = foldsByIndividual(individuals, 5, seed);
          cache.set(key, fit((i) => folds.get(individuals[i]) !== fold));
        }
        return cache.get(key)!;
      };
    };
    if (on('centre')) {
      const r = perFold((train) => ranksOf(labels, gram(centre(e.vectors, n, e.dim, train), n, e.dim)));
      row('centring on the training folds\' photos', nestedCV(individuals, ['centre'], (_, f, s) => r(f, s), cv));
    }
    if (on('whiten')) {
      const seeds = [SEEDS[0]];
      const settings = [128, 256].flatMap((m) => [0.25, 0.5].map((beta) => ({ m, beta })));
      const fits = new Map<string, ReturnType<typeof pcaFit>>();
      const ranks = new Map<string, Ranks>();
      const r = (s: { m: number; beta: number }, fold: number, seed: number) => {
        const key = `${s.m}:${s.beta}:${seed}:${fold}`;
        if (!ranks.has(key)) {
          const folds = foldsByIndividual(individuals, 5, seed);
          const fk = `${seed}:${fold}`;
          if (!fits.has(fk)) fits.set(fk, pcaFit(e.vectors, n, e.dim, (i) => folds.get(individuals[i]) !== fold, 256));
          const w = pcaWhiten(e.vectors, n, e.dim, fits.get(fk)!, s.m, s.beta);
          ranks.set(key, ranksOf(labels, gram(w.vectors, n, w.dim)));
        }
        return ranks.get(key)!;
      };
      row(`PCA whitening fitted on the training folds (nested m, beta; seed ${seeds[0]})`, nestedCV(individuals, settings, r, { seeds, name: (s) => `m${s.m} b${s.beta}` }), fixedCV(individuals, baseRanks, { seeds }));
    }
  }
  if (on('power')) {
    await lever('power normalisation (nested p)', [1, 0.75, 0.5, 0.3], async (p) => ranksOf(labels, await simOf(224, ['plain'], { power: p })), (p) => `p${p}`);
  }
  if (on('blocks')) {
    const settings: Array<Array<[number, number]>> = [[[FINAL, 1]], [[FINAL, 1], [3, 0.5]], [[FINAL, 1], [3, 1]], [[FINAL, 1], [1, 0.5]], [[FINAL, 1], [2, 0.5], [3, 0.5]]];
    await lever('final layer + earlier blocks (nested weights)', settings, async (bl) => ranksOf(labels, await simOf(224, ['plain'], { blocks: bl })), (bl) => bl.map(([k, w]) => `${k}:${w}`).join('+'));
  }
  if (on('cost')) {
    // Embedding cost per photo, old recipe vs new, measured in this run (CPU time of this process too:
    // it survives a busy machine better than wall time). Single photo (caudal match / eval) and catalog
    // (caudal embed stores the training views 0-3 too).
    const photos = labels.slice(0, Number(env('ACC_COST_PHOTOS', '60')));
    const ex = await FeatureExtractor.open(findManifest(), { device: 'cpu' });
    const tests = SHIPPED_TEST_VIEWS.map(testViewIndex);
    const recipes: Array<[string, number[]]> = [['match/eval, old: plain', [0]], ['match/eval, new: plain + test views', [0, ...tests]], ['embed, old: views 0-3', [0, 1, 2, 3]], ['embed, new: views 0-3 + test views', [0, 1, 2, 3, ...tests]]];
    const ms = new Map<string, { wall: number; cpu: number }>(recipes.map(([k]) => [k, { wall: 0, cpu: 0 }]));
    for (let round = 0; round < 2; round++) {
      for (const [name, views] of recipes) {
        const t = performance.now();
        const c = process.cpuUsage();
        for (const [i, l] of photos.entries()) await runPipeline(ex, [{ key: i, source: l.file, views: views.map((v) => viewSpec(v, i + 1)) }], () => undefined, { batchSize: 1 });
        const u = process.cpuUsage(c);
        const m = ms.get(name)!;
        m.wall += (performance.now() - t) / photos.length / 2;
        m.cpu += (u.user + u.system) / 1000 / photos.length / 2;
      }
    }
    await ex.release();
    console.log(`\nEmbedding cost per photo (${photos.length} nyala-dev photos, one at a time, 2 rounds interleaved):`);
    const base = (k: string) => ms.get(k.includes('match') ? recipes[0][0] : recipes[2][0])!;
    for (const [k, m] of ms) console.log(`  ${k.padEnd(38)} wall ${m.wall.toFixed(1)} ms, CPU ${m.cpu.toFixed(1)} ms (${(m.cpu / base(k).cpu).toFixed(2)}x CPU)`);
  }
  if (on('combined')) {
    // The shipped default's views, then the encounter-level matching the product offers on top.
    const S = await simOf(224, ['plain', ...SHIPPED_TEST_VIEWS]);
    await fixed(`shipped: plain+${SHIPPED_TEST_VIEWS.join('+')}`, ranksOf(labels, S));
    await fixed(`shipped views + encounter (mean)`, encounterRanks(labels, S, 'mean'));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
