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
import { Rng } from '../electron/core/training/random';
import { sharedDir } from '../electron/core/util/paths';
import { FeatureExtractor } from '../electron/core/vision/extractor';
import { findManifest } from '../electron/core/vision/manifest';
import { runPipeline } from '../electron/core/vision/pipeline';
import { SHIPPED_TEST_VIEWS, testViewIndex, viewSpec } from '../electron/core/vision/views';
import { COMPARISON_HEADER, compare, comparisonRow, fixedCV, foldsByIndividual, nestedCV, type Ranks } from './lib/cv';
import { cachedFeatures, type CachedFeatures } from './lib/feature-cache';
import { aggregatedRanks, centre, databaseAugmentation, embedViews, encounterRanks, FINAL, gram, pcaFit, pcaWhiten, queryExpansion, ranksOf } from './lib/levers';
import { kReciprocalSims, type KReciprocal } from './lib/k-reciprocal';
import { inGallery } from './lib/levers';
import { readLabels } from './lib/reid-protocol';
import { applyWhitening, fitWhitening, projectOnFit, whitenProjected, type WhiteningFit } from '../electron/core/search/whitening';

const env = (k: string, d: string) => process.env[k] ?? d;
const SEEDS = env('ACC_SEEDS', '1,2,3').split(',').map(Number);
const SIZES = env('ACC_SIZES', '224,256,288,320,352,384').split(',').map(Number);
const LEVERS = env('ACC_LEVERS', 'views,mirror,resolution,aggregation,qe,dba,encounter,centre,power,blocks,combined,cost').split(',');
const DATASET = env('ACC_DATASET', 'nyala-dev');
const CROPS = ['centre90', 'tl90', 'tr90', 'bl90', 'br90'];
const CORNERS80 = ['tl80', 'tr80', 'bl80', 'br80'];

async function main() {
  const shared = sharedDir();
  if (!shared) throw new Error('set CAUDAL_SHARED_DIR to the folder holding datasets/');
  const labels = readLabels(path.join(shared, 'datasets', DATASET));
  const n = labels.length;
  const individuals = labels.map((l) => l.individual);
  const feats = new Map<string, CachedFeatures>();
  const featsOf = async (size: number, views: string[]) => {
    const need = views.filter((v) => !feats.has(`${size}:${v}`));
    if (need.length) for (const [v, f] of Object.entries(await cachedFeatures(DATASET, labels, size, need))) feats.set(`${size}:${v}`, f);
    return views.map((v) => feats.get(`${size}:${v}`)!.rows);
  };
  const dimIn = (await cachedFeatures(DATASET, labels, 224, ['plain'])).plain.dim;

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
  console.log(`${DATASET}, ${n} photos, ${scored} queries per seed (the caudal eval protocol), ${SEEDS.length} seeds, 5 folds over individuals`);
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
  if (on('centre')) {
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
  }
  if (on('whiten') || on('kr') || on('whiten-kr')) {
    // Re-ranking and gallery statistics on the plain embedding (against the old default) and on the
    // shipped test views (against the current default, paired query by query).
    const shippedViews = ['plain', ...SHIPPED_TEST_VIEWS];
    const current = fixedCV(individuals, ranksOf(labels, await simOf(224, shippedViews)), cv);
    const both = (name: string, r: { outcomes: QueryOutcome[]; chosen: Map<string, number> }, onViews: boolean) => {
      row(`${name} vs old default`, r);
      if (onViews) row(`${name} vs current default`, r, current);
    };
    const gallery = (i: number, j: number) => inGallery(labels, i, j);
    const krSettings: KReciprocal[] = [30, 100].flatMap((topK) => [5, 10, 20].flatMap((k1) => [1, 3].flatMap((k2) => [0.3, 0.6].map((lambda) => ({ topK, k1, k2, lambda })))));
    const krName = (p: KReciprocal) => `top${p.topK} k1=${p.k1} k2=${p.k2} l=${p.lambda}`;
    // Whitening fitted per fold on the photos of the other folds' individuals (no labels used), the
    // held-out individuals' photos only transformed; m directions, shrinkage s chosen nested.
    const whSettings = [64, 128, 256, 512].flatMap((m) => [0.1, 0.3, 0.6, 1].map((s) => ({ m, s })));
    const whName = (w: { m: number; s: number }) => `m${w.m} s${w.s}`;
    const whitened = (views: string[]) => {
      // One fold's fit and projection at a time (the runs go seed by seed, fold by fold); ranks are kept.
      let current: { key: string; fit: WhiteningFit; proj: { coords: Float32Array; dim: number } } | null = null;
      const ranks = new Map<string, Ranks>();
      const fitted = async (fold: number, seed: number) => {
        const key = `${seed}:${fold}`;
        if (current?.key !== key) {
          const e = await embedding(224, views);
          const folds = foldsByIndividual(individuals, 5, seed);
          const t = performance.now();
          const fit = fitWhitening(e.vectors, e.dim, [...Array(n).keys()].filter((i) => folds.get(individuals[i]) !== fold));
          current = { key, fit, proj: projectOnFit(fit, e.vectors, n, Math.max(...whSettings.map((w) => w.m))) };
          console.error(`whitening fit ${views.length} views seed ${seed} fold ${fold}: rank ${fit.rank}, ${((performance.now() - t) / 1000).toFixed(1)} s`);
        }
        return current!;
      };
      const sim = async (w: { m: number; s: number }, fold: number, seed: number) => {
        const c = await fitted(fold, seed);
        const x = whitenProjected(c.fit, c.proj, n, w.m, w.s);
        return gram(x.vectors, n, x.dim);
      };
      const rank = async (w: { m: number; s: number }, fold: number, seed: number) => {
        const k = `${seed}:${fold}:${whName(w)}`;
        if (!ranks.has(k)) ranks.set(k, ranksOf(labels, await sim(w, fold, seed)));
        return ranks.get(k)!;
      };
      return { sim, rank };
    };
    const nestedAsync = async <S>(settings: S[], name: (s: S) => string, ranks: (s: S, fold: number, seed: number) => Promise<Ranks>) => {
      const memo = new Map<string, Ranks>();
      for (const seed of SEEDS) for (let f = 0; f < 5; f++) for (const s of settings) memo.set(`${seed}:${f}:${name(s)}`, await ranks(s, f, seed));
      return nestedCV(individuals, settings, (s, f, seed) => memo.get(`${seed}:${f}:${name(s)}`)!, { ...cv, name });
    };
    const embeddings = env('ACC_EMBEDDINGS', 'views,plain').split(',');
    for (const [label, views] of embeddings.map((e) => (e === 'plain' ? (['plain', ['plain']] as const) : (['test views', shippedViews] as const)))) {
      const onViews = views.length > 1;
      if (on('kr')) {
        const S = await simOf(224, [...views]);
        const memo = new Map<string, Ranks>();
        const r = (p: KReciprocal) => memo.get(krName(p)) ?? memo.set(krName(p), ranksOf(labels, kReciprocalSims(n, S, gallery, p))).get(krName(p))!;
        for (const p of krSettings) r(p);
        both(`k-reciprocal re-ranking of the top-k, ${label} (nested topK, k1, k2, lambda)`, nestedCV(individuals, krSettings, r, { ...cv, name: krName }), onViews);
        for (const p of [{ topK: 100, k1: 20, k2: 6, lambda: 0.3 }]) both(`k-reciprocal, ${label}, ${krName(p)} (the paper's setting)`, { outcomes: fixedCV(individuals, r(p), cv), chosen: new Map([['fixed', 1]]) }, onViews);
      }
      if (on('whiten') || on('whiten-kr')) {
        const W = whitened([...views]);
        if (on('whiten')) both(`PCA whitening fitted on the training folds' photos, ${label} (nested m, s)`, await nestedAsync(whSettings, whName, W.rank), onViews);
        if (on('whiten-kr')) {
          // The whitening's nested choice first (per fold), then k-reciprocal on top with its own settings.
          const combos = whSettings.filter((w) => w.m >= 128).flatMap((w) => krSettings.filter((p) => p.topK === 100 && p.k2 === 3).map((p) => ({ w, p })));
          both(`whitening + k-reciprocal, ${label} (nested m, s, k1, lambda; top100, k2=3)`, await nestedAsync(combos, (c) => `${whName(c.w)} ${krName(c.p)}`, async (c, f, seed) => ranksOf(labels, kReciprocalSims(n, await W.sim(c.w, f, seed), gallery, c.p))), onViews);
        }
      }
    }
  }
  if (on('whiten-size')) {
    // How few catalog photos the shipped whitening (m 256, s 0.6) can be fitted on: a random subsample
    // of the training folds' photos (no labels), the fold's photos transformed, against the test views.
    const views = ['plain', ...SHIPPED_TEST_VIEWS];
    const e = await embedding(224, views);
    const current = fixedCV(individuals, ranksOf(labels, await simOf(224, views)), cv);
    // ACC_FIT_M: the directions kept, a number or `rN` (the fit's rows / N).
    const mSpec = env('ACC_FIT_M', '256');
    const components = (rows: number) => (mSpec.startsWith('r') ? Math.floor(rows / Number(mSpec.slice(1))) : Number(mSpec));
    for (const rows of env('ACC_FIT_ROWS', '50,100,200,400,800').split(',').map(Number)) {
      const ranks = new Map<string, Ranks>();
      for (const seed of SEEDS) {
        const folds = foldsByIndividual(individuals, 5, seed);
        for (let f = 0; f < 5; f++) {
          // ACC_FIT_ALL=1: fitted on every photo, the query's own individual included, as the app fits a
          // catalog that holds the animals it is asked about (and `caudal eval` its whole dataset).
          const pool = [...Array(n).keys()].filter((i) => process.env.ACC_FIT_ALL === '1' || folds.get(individuals[i]) !== f);
          const rng = new Rng(seed * 1000 + f);
          for (let i = pool.length - 1; i > 0; i--) {
            const j = rng.int(i + 1);
            [pool[i], pool[j]] = [pool[j], pool[i]];
          }
          const fit = fitWhitening(e.vectors, e.dim, pool.slice(0, rows).sort((a, c) => a - c));
          const x = applyWhitening(fit, e.vectors, n, components(rows), 0.6);
          ranks.set(`${seed}:${f}`, ranksOf(labels, gram(x.vectors, n, x.dim)));
        }
      }
      row(`whitening m${components(rows)} s0.6 fitted on ${rows} ${process.env.ACC_FIT_ALL === '1' ? 'photos of all individuals' : 'catalog photos'}, test views vs current`, nestedCV(individuals, ['fixed'], (_, f, s) => ranks.get(`${s}:${f}`)!, cv), current);
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
