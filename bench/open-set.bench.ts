/**
 * Is the "new individual" estimate calibrated out of sample? (issue 20). On nyala-dev and
 * seals-dev, for the pretrained model as shipped and for a model trained by the product's trainer
 * (pretrained start, default K and epochs) on each training fold:
 *   5-fold cross-validation over individuals: the test fold's individuals are the new animals (all
 *   their photos are queries); the other individuals form the catalog, less the latest sighting of
 *   each individual and side that has several, whose photos are the re-sighting queries. The
 *   estimate is calibrated on that catalog alone, exactly as the app calibrates on a user's
 *   (calibrateOpenSet), and predicts every query.
 * Prints AUC (new vs known) with a 95% bootstrap interval over individuals, the Brier score against
 * the best constant (the pooled test rate of new, known only in hindsight) with a paired interval of
 * the difference, a reliability table, and the Brier score of the candidates' own probabilities.
 * Pretrained embeddings compared: see EMBEDDINGS (the stored search vector, and its whitening fitted per
 * fold on the catalog rows). Per-feature AUCs say which feature, if any, tells new from known. Then
 * `caudal eval --open-set` per embedding, against "new" placed last (the old uncalibrated placement).
 * Run: npm run bench -- open-set   (args: seeds=1; CAUDAL_BENCH_TMP caches the catalogs; OPEN_SET_EVAL=0 skips eval)
 */
import fs from 'node:fs';
import os from 'node:os';
import { calibrateOpenSet, type OpenSetRows } from '../electron/core/match/open-set/calibrate';
import { heldOutSamples } from '../electron/core/match/open-set/held-out';
import { foldCount, foldsOf, foldSplit } from '../electron/core/training/folds';
import { DEFAULT_FOLDS } from '../electron/core/training/run-training';
import { OpenSetModel, type CandidateSample, type QuerySample } from '../electron/core/match/open-set/model';
import { FEATURE_TOP, QUERY_FEATURE_NAMES, queryFeatures, rankFromRow, type RankedIndividual } from '../electron/core/match/open-set/features';
import { cosineMatrix } from '../electron/core/match/evaluate';
import { evaluateOpenSet, type OpenSetQuery } from '../electron/core/match/evaluate-open-set';
import type { FeatureSet } from '../electron/core/training/dataset';
import { ortGemm } from '../electron/core/training/gemm-ort';
import { resolveOptions } from '../electron/core/training/options';
import { Rng } from '../electron/core/training/random';
import { DncTrainer } from '../electron/core/training/trainer';
import { pretrainedStart } from '../electron/core/training/train-job';
import { embedAll } from '../electron/core/training/validate';
import { datasetCatalog } from './lib/dataset-catalog';
import { loadShipped } from './lib/shipped-reference';
import { applyWhitening, fitWhitening } from '../electron/core/search/whitening';

const SEEDS = Number(process.argv[2] ?? 1);
// OPEN_SET_PRETRAINED_ONLY=1: skip the trained model (the minutes of training per fold).
const PRETRAINED_ONLY = process.env.OPEN_SET_PRETRAINED_ONLY === '1';
const FOLDS = 5;
// Splitting one run over processes: OPEN_SET_FOLDS=0,1 runs those outer folds only, OPEN_SET_DUMP=prefix
// writes its predictions, OPEN_SET_MERGE=prefix1,prefix2 adds others' before reporting.
const ONLY_FOLDS = process.env.OPEN_SET_FOLDS?.split(',').map(Number);
const DUMP = process.env.OPEN_SET_DUMP;
const MERGE = process.env.OPEN_SET_MERGE ? process.env.OPEN_SET_MERGE.split(',') : [];
// Validation runs made per fold for the trained model's held-out estimate (the product makes all k).
const INNER_FOLDS = Number(process.env.OPEN_SET_INNER_FOLDS ?? 2);

interface Prediction {
  p: number;
  y: 0 | 1;
  individual: number;
  /** The query's features (queryFeatures, then DIAGNOSTIC_NAMES): per-feature AUCs, queries only. */
  x?: number[];
  /** A re-sighting's rank of its own individual among the top FEATURE_TOP (0 = below). */
  rank?: number;
}

/**
 * Pretrained embeddings compared (OPEN_SET_EMBEDDINGS, comma-separated): `shipped` = the head's plain
 * view mirror-averaged (what this bench measured first); `views` = the search vector `caudal embed`
 * stores (plain + centre + 4 corners 90%, averaged); `whitened` = those vectors PCA-whitened
 * (whitening.ts, m 256, s 0.6) with the fit made per fold on the fold's catalog rows alone, no
 * labels: never a new individual's photo or a re-sighting query, as the Gallery will fit it.
 */
const EMBEDDINGS = (process.env.OPEN_SET_EMBEDDINGS ?? 'shipped,views,whitened').split(',');
const WHITEN_COMPONENTS = 256;
const WHITEN_SHRINK = 0.6;

interface Fold {
  catalog: number[];
  known: number[];
  unseen: number[];
}

/** The folds of one seed: individuals dealt into FOLDS groups; re-sighting queries = latest sighting per individual and side. */
function folds(set: FeatureSet, seed: number): Fold[] {
  const inds = new Rng(seed * 31 + 7).shuffle([...new Set(Array.from(set.label))].sort((a, b) => a - b));
  const foldOf = new Map(inds.map((ind, i) => [ind, i % FOLDS]));
  // Latest sighting of each individual and side that has more than one.
  const latest = new Map<string, { group: number; order: number; groups: Set<number> }>();
  for (let i = 0; i < set.ids.length; i++) {
    const k = `${set.label[i]}:${set.side[i]}`;
    const e = latest.get(k) ?? { group: set.group[i], order: -Infinity, groups: new Set<number>() };
    e.groups.add(set.group[i]);
    if (set.order[i] > e.order || (set.order[i] === e.order && set.group[i] > e.group)) Object.assign(e, { group: set.group[i], order: set.order[i] });
    latest.set(k, e);
  }
  return Array.from({ length: FOLDS }, (_, f) => {
    const fold: Fold = { catalog: [], known: [], unseen: [] };
    for (let i = 0; i < set.ids.length; i++) {
      if (foldOf.get(set.label[i]) === f) fold.unseen.push(i);
      else {
        const e = latest.get(`${set.label[i]}:${set.side[i]}`)!;
        (e.groups.size > 1 && e.group === set.group[i] ? fold.known : fold.catalog).push(i);
      }
    }
    return fold;
  });
}

/** The fold's catalog as calibration reads it: identities of catalog rows only. */
function catalogRows(set: FeatureSet, fold: Fold): OpenSetRows {
  const inCatalog = new Uint8Array(set.ids.length);
  for (const i of fold.catalog) inCatalog[i] = 1;
  return { size: set.ids.length, individual: Int32Array.from(set.label, (l, i) => (inCatalog[i] ? l : -1)), encounter: set.group, group: set.side, order: set.order };
}

/** Calibrates on the fold's catalog with the product's code (calibrateOpenSet), on these embeddings. */
function calibrateOn(set: FeatureSet, emb: Float32Array, dim: number, fold: Fold): Promise<OpenSetModel> {
  const n = set.ids.length;
  const sim = cosineMatrix(emb, n, dim);
  return calibrateOpenSet(catalogRows(set, fold), async (qs) => {
    const o = new Float32Array(qs.length * n);
    qs.forEach((q, i) => o.set(sim.subarray(q * n, (q + 1) * n), i * n));
    return o;
  });
}

/**
 * A trained model's estimate fitted out of sample, as the product fits it (train-job.ts): the
 * trainer's validation runs on the fold's catalog (its folds, foldSplit) train models without some
 * individuals and later sightings; heldOutSamples reads those photos. INNER_FOLDS of the k runs
 * are made here (the product makes all k): each is a training.
 */
async function calibrateHeldOut(set: FeatureSet, fold: Fold, train: (rows: number[]) => Promise<{ emb: Float32Array; dim: number }>): Promise<OpenSetModel> {
  const rows = catalogRows(set, fold);
  const sub = subset(set, fold.catalog);
  const back = (xs: number[]) => xs.map((i) => fold.catalog[i]);
  const k = foldCount(sub, DEFAULT_FOLDS);
  const folds = foldsOf(sub, k);
  const queries: QuerySample[] = [];
  const candidates: CandidateSample[] = [];
  for (let f = 0; f < Math.min(INNER_FOLDS, k); f++) {
    const split = foldSplit(sub, folds, f);
    const { emb, dim } = await train(back(split.train));
    const s = heldOutSamples(rows, emb, dim, back(split.train), back(split.unseen.queries), back(split.resight.queries), k - 1);
    queries.push(...s.queries);
    candidates.push(...s.candidates);
  }
  const inds = new Set(fold.catalog.map((i) => set.label[i])).size;
  return OpenSetModel.fit({ queries, candidates, prior: inds / fold.catalog.length, individuals: inds });
}

/** The samples `rows` of a feature set, as a feature set of their own (views shared). */
function subset(set: FeatureSet, rows: number[]): FeatureSet {
  const i32 = (a: Int32Array) => Int32Array.from(rows, (r) => a[r]);
  return { ...set, viewStart: i32(set.viewStart), viewCount: i32(set.viewCount), ids: i32(set.ids), label: i32(set.label), side: i32(set.side), group: i32(set.group), order: Float64Array.from(rows, (r) => set.order[r]), mirror: Uint8Array.from(rows, (r) => set.mirror[r]) };
}

/** Predicts the fold's queries (new and re-sightings) against its whole catalog, as matching does. */
function predictFold(set: FeatureSet, emb: Float32Array, dim: number, fold: Fold, model: OpenSetModel, out: Prediction[], cand: Prediction[]): boolean {
  const n = set.ids.length;
  const sim = cosineMatrix(emb, n, dim);
  const individual = catalogRows(set, fold).individual as Int32Array;
  for (const q of [...fold.unseen, ...fold.known]) {
    const allowed = (r: number) => set.side[r] === set.side[q] && set.group[r] !== set.group[q];
    const ranked = rankFromRow(sim.subarray(q * n, (q + 1) * n), n, individual, allowed);
    const e = model.estimate(ranked);
    const isNew = !hasRow(individual, set.label[q], n, allowed);
    const x = ranked.length ? [...queryFeatures(ranked), ...diagnostics(sim, q, n, individual, allowed, ranked)] : undefined;
    const rank = isNew ? undefined : ranked.findIndex((c) => c.individualId === set.label[q]) + 1;
    out.push({ p: e.probability, y: isNew ? 1 : 0, individual: set.label[q], x, rank });
    e.candidates.forEach((p, j) => cand.push({ p, y: ranked[j].individualId === set.label[q] ? 1 : 0, individual: set.label[q] }));
  }
  return model.calibrated;
}

/** Features the product does not read, measured here to see whether they would tell (see DIAGNOSTIC_NAMES). */
const DIAGNOSTIC_NAMES = ['z-score of top in the gallery row', 'top minus 10th individual', 'top-5 individuals: mean score', 'share of 9 best photo hits on top individual', 'log rank of query at its best photo (reciprocity)'];

function diagnostics(sim: Float32Array, q: number, n: number, individual: ArrayLike<number>, allowed: (r: number) => boolean, ranked: RankedIndividual[]): number[] {
  const row = sim.subarray(q * n, (q + 1) * n);
  let s = 0;
  let s2 = 0;
  let c = 0;
  let bestRow = -1;
  for (let r = 0; r < n; r++) {
    if (individual[r] < 0 || !allowed(r)) continue;
    s += row[r];
    s2 += row[r] * row[r];
    c++;
    if (bestRow < 0 || row[r] > row[bestRow]) bestRow = r;
  }
  const mean = s / c;
  const sd = Math.sqrt(Math.max(1e-12, s2 / c - mean * mean));
  const top = ranked[0].scores[0];
  const tenth = ranked[Math.min(9, ranked.length - 1)].scores[0];
  const top5 = ranked.slice(0, 5);
  const hits = ranked.flatMap((x, i) => x.scores.map((v) => ({ v, i }))).sort((a, b) => b.v - a.v).slice(0, 9);
  // How many gallery photos (of other individuals) the best photo is closer to than to the query.
  const t = sim.subarray(bestRow * n, (bestRow + 1) * n);
  let closer = 0;
  for (let r = 0; r < n; r++) if (r !== bestRow && individual[r] >= 0 && individual[r] !== individual[bestRow] && allowed(r) && t[r] > row[bestRow]) closer++;
  return [(top - mean) / sd, top - tenth, top5.reduce((t, x) => t + x.scores[0], 0) / top5.length, hits.filter((h) => h.i === 0).length / hits.length, Math.log1p(closer)];
}

/** AUC (new vs known) of each recorded feature alone: below 0.5 means low values go with new animals. */
function featureAucs(ps: Prediction[]): string {
  const names = [...QUERY_FEATURE_NAMES, ...DIAGNOSTIC_NAMES];
  const withX = ps.filter((p) => p.x);
  return names
    .map((name, k) => {
      const a = auc(withX.map((p) => ({ ...p, p: p.x![k] })));
      const [lo, hi] = bootstrap(withX.map((p) => ({ ...p, p: p.x![k] })), auc, 7, 300);
      return `${name} ${f3(a)} [${f3(lo)}, ${f3(hi)}]`;
    })
    .join('; ');
}

function hasRow(individual: ArrayLike<number>, ind: number, n: number, allowed: (r: number) => boolean): boolean {
  for (let r = 0; r < n; r++) if (individual[r] === ind && allowed(r)) return true;
  return false;
}

/** Area under the ROC curve (ties count half). */
function auc(ps: Prediction[]): number {
  const s = [...ps].sort((a, b) => a.p - b.p);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j < s.length && s[j].p === s[i].p) j++;
    const mid = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (s[k].y) {
      rankSum += mid;
      pos++;
    }
    i = j;
  }
  const neg = s.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}

const brier = (ps: Prediction[], c?: number) => ps.reduce((t, x) => t + ((c ?? x.p) - x.y) ** 2, 0) / ps.length;
const rate = (ps: Prediction[]) => ps.reduce((t, x) => t + x.y, 0) / ps.length;

/** 95% bootstrap interval over individuals of a statistic of the predictions. */
function bootstrap<T extends { individual: number }>(ps: T[], stat: (x: T[]) => number, seed = 99, B = 1000): [number, number] {
  const by = new Map<number, T[]>();
  for (const x of ps) by.set(x.individual, [...(by.get(x.individual) ?? []), x]);
  const groups = [...by.values()];
  const rng = new Rng(seed);
  const v: number[] = [];
  for (let b = 0; b < B; b++) {
    const s: T[] = [];
    for (let i = 0; i < groups.length; i++) s.push(...groups[rng.int(groups.length)]);
    const x = stat(s);
    if (Number.isFinite(x)) v.push(x);
  }
  v.sort((a, c) => a - c);
  return [v[Math.floor(v.length * 0.025)], v[Math.floor(v.length * 0.975)]];
}

const f3 = (x: number) => x.toFixed(3);

function report(name: string, ps: Prediction[], cand: Prediction[], calibratedFolds: number, totalFolds: number): void {
  if (!ps.length) return;
  const r = rate(ps);
  const a = auc(ps);
  const [alo, ahi] = bootstrap(ps, auc);
  const b = brier(ps);
  // The constant is the pooled rate, re-estimated in each resample: the best constant in hindsight.
  const [dlo, dhi] = bootstrap(ps, (s) => brier(s) - brier(s, rate(s)));
  const newOnes = ps.filter((x) => x.y);
  const known = ps.filter((x) => !x.y);
  const mean = (s: Prediction[]) => s.reduce((t, x) => t + x.p, 0) / Math.max(1, s.length);
  console.log(`  ${name}: ${ps.length} queries (${newOnes.length} new, ${known.length} re-sightings) of ${new Set(ps.map((x) => x.individual)).size} individuals; calibrated in ${calibratedFolds}/${totalFolds} folds`);
  console.log(`    AUC ${f3(a)} [${f3(alo)}, ${f3(ahi)}]   mean p(new): new ${f3(mean(newOnes))} / known ${f3(mean(known))}`);
  console.log(`    Brier ${f3(b)} vs best constant (p = ${f3(r)}) ${f3(brier(ps, r))}: difference ${f3(b - brier(ps, r))} [${f3(dlo)}, ${f3(dhi)}]${b < brier(ps, r) ? '  (below the constant)' : '  (NOT below the constant)'}`);
  console.log('    reliability   predicted  observed  queries');
  for (let k = 0; k < 10; k++) {
    const bin = ps.filter((x) => Math.min(9, Math.floor(x.p * 10)) === k);
    if (bin.length) console.log(`      ${(k / 10).toFixed(1)}-${((k + 1) / 10).toFixed(1)}      ${f3(mean(bin))}     ${f3(rate(bin))}   ${String(bin.length).padStart(5)}`);
  }
  const re = ps.filter((x) => x.rank !== undefined);
  if (re.length) console.log(`    re-sightings (${re.length}): own individual ranked 1st ${f3(re.filter((x) => x.rank === 1).length / re.length)}, top 5 ${f3(re.filter((x) => x.rank! >= 1 && x.rank! <= 5).length / re.length)}, top ${FEATURE_TOP} ${f3(re.filter((x) => x.rank! >= 1).length / re.length)}`);
  if (ps.some((x) => x.x)) console.log(`    per-feature AUC (new vs known) [95%]: ${featureAucs(ps)}`);
  if (cand.length) console.log(`    candidates' own probabilities: Brier ${f3(brier(cand))} vs best constant ${f3(brier(cand, rate(cand)))} (${cand.length} candidate-query pairs, ${f3(rate(cand))} correct)`);
}

interface Result {
  ps: Prediction[];
  cand: Prediction[];
  calibrated: number;
  folds: number;
}

/** The pretrained embedding `name` (see EMBEDDINGS) for one fold. */
function pretrainedFor(name: string, set: FeatureSet, fold: Fold, shipped: { emb: Float32Array; dim: number }, stored: { emb: Float32Array; dim: number } | null): { emb: Float32Array; dim: number } {
  if (name === 'shipped') return shipped;
  if (!stored) throw new Error(`the bench catalog lacks the stored embedding of some photo: '${name}' needs \`caudal embed\` to have run on it`);
  if (name === 'views') return stored;
  if (name !== 'whitened') throw new Error(`OPEN_SET_EMBEDDINGS: unknown embedding '${name}' (shipped, views, whitened)`);
  const n = set.ids.length;
  const w = applyWhitening(fitWhitening(stored.emb, stored.dim, fold.catalog), stored.emb, n, WHITEN_COMPONENTS, WHITEN_SHRINK);
  return { emb: w.vectors, dim: w.dim };
}

const LABELS: Record<string, string> = {
  shipped: 'pretrained, plain view mirror-averaged (measured first)',
  views: 'pretrained, stored search vector (plain + 5 test views)',
  whitened: `pretrained, stored search vector whitened per fold on the catalog rows (m ${WHITEN_COMPONENTS}, s ${WHITEN_SHRINK}): what ships next`,
};

async function main() {
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores; ${SEEDS} seed(s) x ${FOLDS} folds over individuals`);
  const gemm = PRETRAINED_ONLY ? null : await ortGemm(1);
  for (const dataset of (process.env.OPEN_SET_DATASETS ?? 'nyala-dev,seals-dev').split(',') as Array<'nyala-dev' | 'seals-dev'>) {
    const file = await datasetCatalog(dataset, 'flank');
    const { set, backbone, shipped, stored } = loadShipped(file);
    console.log(`\n${dataset}: ${set.ids.length} photos, ${new Set(set.label).size} individuals`);
    const keys = [...EMBEDDINGS, ...(PRETRAINED_ONLY ? [] : ['trainedIn', 'trained'])];
    const res: Record<string, Result> = Object.fromEntries(keys.map((k) => [k, { ps: [], cand: [], calibrated: 0, folds: 0 }]));
    let trainSeconds = 0;
    let trainings = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      for (const [f, fold] of folds(set, seed).entries()) {
        if (ONLY_FOLDS && !ONLY_FOLDS.includes(f)) continue;
        for (const name of EMBEDDINGS) {
          const t0 = performance.now();
          const e = pretrainedFor(name, set, fold, shipped, stored);
          const r = res[name];
          r.folds++;
          if (predictFold(set, e.emb, e.dim, fold, await calibrateOn(set, e.emb, e.dim, fold), r.ps, r.cand)) r.calibrated++;
          console.error(`${dataset} seed ${seed} fold ${f}: ${name} ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        }
        if (PRETRAINED_ONLY || !gemm) continue;
        // The product's trainer on the given rows only (never the fold's queries or its new individuals).
        const o = resolveOptions({ seed });
        const warm = pretrainedStart(set, backbone, o);
        const train = async (rows: number[]) => {
          const t0 = performance.now();
          const t = new DncTrainer(warm.set, rows, { ...o, dim: warm.set.dimIn }, undefined, gemm);
          while (!t.done) await t.runEpoch();
          trainSeconds += (performance.now() - t0) / 1000;
          trainings++;
          return embedAll(warm.set, t.head, true, gemm);
        };
        const e = await train(fold.catalog);
        res.trainedIn.folds++;
        res.trained.folds++;
        if (predictFold(set, e.emb, e.dim, fold, await calibrateOn(set, e.emb, e.dim, fold), res.trainedIn.ps, res.trainedIn.cand)) res.trainedIn.calibrated++;
        if (predictFold(set, e.emb, e.dim, fold, await calibrateHeldOut(set, fold, train), res.trained.ps, res.trained.cand)) res.trained.calibrated++;
        console.error(`${dataset} seed ${seed}: fold done, ${trainings} trainings, ${(trainSeconds / trainings).toFixed(0)} s each`);
      }
    }
    if (DUMP) fs.writeFileSync(`${DUMP}-${dataset}.json`, JSON.stringify({ res, trainings, trainSeconds }));
    for (const more of MERGE) {
      const m = JSON.parse(fs.readFileSync(`${more}-${dataset}.json`, 'utf8')) as { res: Record<string, Result>; trainings: number; trainSeconds: number };
      for (const [k, r] of Object.entries(m.res)) {
        if (!res[k]) continue;
        res[k].ps.push(...r.ps);
        res[k].cand.push(...r.cand);
        res[k].calibrated += r.calibrated;
        res[k].folds += r.folds;
      }
      trainings += m.trainings;
      trainSeconds += m.trainSeconds;
    }
    for (const name of EMBEDDINGS) report(LABELS[name], res[name].ps, res[name].cand, res[name].calibrated, res[name].folds);
    if (process.env.OPEN_SET_EVAL !== '0') {
      // `caudal eval --open-set` on the same photos (crops as catalogued, not eval's whole frames).
      // Whitening here is fitted on every photo, without labels, as the product fits it on every catalog row.
      const items = Array.from(set.label, (l, i) => ({ individual: String(l), side: String(set.side[i]), sighting: String(set.group[i]) }));
      const all = Array.from(set.ids, (_, i) => i);
      for (const name of EMBEDDINGS) {
        const e = name === 'whitened' && stored ? applyWhitening(fitWhitening(stored.emb, stored.dim, all), stored.emb, all.length, WHITEN_COMPONENTS, WHITEN_SHRINK) : null;
        const emb = e ? { emb: e.vectors, dim: e.dim } : pretrainedFor(name, set, { catalog: all, known: [], unseen: [] }, shipped, stored);
        const qs: Array<Omit<OpenSetQuery, 'individual'> & { individual: number; old: number }> = [];
        const os3 = await evaluateOpenSet(items, cosineMatrix(emb.emb, set.ids.length, emb.dim), 0.3, [1, 2, 3], (q) =>
          // Before: with no query model, "new" was placed after every candidate.
          qs.push({ ...q, individual: Number(q.individual), old: q.isNew ? 0 : q.answerRank >= 1 && q.answerRank <= 5 ? 1 / q.answerRank : 0 }),
        );
        const mean = (x: typeof qs, f: (q: (typeof qs)[number]) => number) => x.reduce((t, q) => t + f(q), 0) / x.length;
        const [lo, hi] = bootstrap(qs, (x) => mean(x, (q) => q.ap - q.old));
        console.log(`    eval --open-set, ${name} (0.3 new, seeds 1-3): MAP@5 ${os3.runs.map((r) => `${f3(r.map5)} (known ${f3(r.map5Known)}, new ${f3(r.map5New)}, ${r.newQueries}/${r.queries} new, "new" first for ${f3(qs.filter((q) => q.seed === r.seed && q.newRank === 1).length / r.queries)})`).join('; ')}`);
        console.log(`      pooled ${f3(mean(qs, (q) => q.ap))} vs "new" placed last when uncalibrated ${f3(mean(qs, (q) => q.old))}: difference ${f3(mean(qs, (q) => q.ap - q.old))} [${f3(lo)}, ${f3(hi)}] (bootstrap over individuals)`);
      }
    }
    if (PRETRAINED_ONLY) continue;
    const k = `K = ${resolveOptions().learners}, ${resolveOptions().epochs} epochs, pretrained start; ${(trainSeconds / Math.max(1, trainings)).toFixed(0)} s per training`;
    report(`trained per fold, estimate calibrated on its own training photos (${k})`, res.trainedIn.ps, res.trainedIn.cand, res.trainedIn.calibrated, res.trainedIn.folds);
    report('trained per fold, estimate fitted on a held-out fold (a model trained without it)', res.trained.ps, res.trained.cand, res.trained.calibrated, res.trained.folds);
  }
  await gemm?.dispose?.();
}

void main();
