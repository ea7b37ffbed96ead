import { Adam } from './adam';
import { viewRows, type FeatureSet } from './dataset';
import { addColumnSums, LinearHead } from './head';
import { tsGemm, type Gemm } from './gemm';
import { matchClusters } from './hungarian';
import { kmeans } from './kmeans';
import { marginLoss, sampleTriplets } from './margin-loss';
import type { TrainOptions } from '../../contract';
import { Rng } from './random';
import { balancedBatch, poolsOf } from './sampler';
import { l2NormalizeRows } from './vec';

export interface EpochStats {
  epoch: number;
  epochs: number;
  phase: 'divide' | 'full';
  loss: number;
  /** Mean loss per learner this epoch (null when it sat out); in the full phase, one entry. */
  learnerLoss: Array<number | null>;
  /** Training samples per learner's cluster. */
  clusterSizes: number[];
  betas: number[];
  seconds: number;
}

/** Everything a run needs to continue exactly where it stopped. */
export interface TrainerState {
  epoch: number;
  W: Float32Array;
  b: Float32Array;
  mu: Float32Array;
  scale: Float32Array;
  mW: Float32Array;
  vW: Float32Array;
  mb: Float32Array;
  vb: Float32Array;
  betas: Float32Array;
  mBeta: Float32Array;
  vBeta: Float32Array;
  /** Adam steps taken per slice (bias correction), then per beta. */
  steps: Int32Array;
  rng: Uint32Array;
  /** Learner per training sample (index into `train`). */
  learnerOf: Int32Array;
}

/**
 * Divide-and-conquer metric learning (Sanakoyeu et al. 2019) on stored features: every M epochs
 * the training samples are clustered in the current embedding into K clusters, matched to the
 * learners they had (Hungarian), and learner k trains its slice on cluster k only; the last part
 * of the run trains the full embedding on everything. K = 1 is plain margin-loss training.
 */
export class DncTrainer {
  readonly head: LinearHead;
  private readonly adamW: Adam;
  private readonly adamB: Adam;
  private readonly adamBeta: Adam;
  private readonly rng: Rng;
  private readonly gb: Float32Array;
  private readonly stepsPerEpoch: number;
  private readonly finalFrom: number;
  epoch: number;
  private betas: Float32Array;
  private steps: Int32Array;
  private learnerOf: Int32Array;

  constructor(
    private readonly set: FeatureSet,
    private readonly train: number[],
    private readonly o: TrainOptions,
    state?: TrainerState,
    private readonly gemm: Gemm = tsGemm,
  ) {
    const K = o.learners;
    this.rng = new Rng(state ? state.rng : o.seed);
    if (state) {
      this.head = new LinearHead(set.dimIn, o.dim, K, state.W, state.b, state.mu, state.scale);
    } else {
      this.head = LinearHead.init(set.dimIn, o.dim, K, this.rng);
      this.head.fitInput(viewRows(set, train, 0), train.length, o.standardize === 'dimension');
      if (o.start === 'pretrained') this.head.startAtInput();
    }
    const size = o.dim * set.dimIn;
    this.adamW = new Adam(size, o.lr, o.weightDecay);
    this.adamB = new Adam(o.dim, o.lr, o.weightDecay);
    this.adamBeta = new Adam(K + 1, o.betaLr, 0);
    this.betas = state ? state.betas : new Float32Array(K + 1).fill(o.betaInit);
    this.steps = state ? state.steps : new Int32Array(2 * K + 1);
    this.learnerOf = state ? state.learnerOf : new Int32Array(train.length);
    if (state) {
      this.adamW.m.set(state.mW);
      this.adamW.v.set(state.vW);
      this.adamB.m.set(state.mb);
      this.adamB.v.set(state.vb);
      this.adamBeta.m.set(state.mBeta);
      this.adamBeta.v.set(state.vBeta);
    }
    this.epoch = state?.epoch ?? 0;
    this.gb = new Float32Array(o.dim);
    const batch = o.batchIndividuals * o.perIndividual;
    this.stepsPerEpoch = o.stepsPerEpoch > 0 ? o.stepsPerEpoch : Math.max(4, Math.ceil(train.length / batch));
    this.finalFrom = K === 1 ? 0 : o.epochs - Math.round(o.epochs * o.finalShare);
  }

  get done(): boolean {
    return this.epoch >= this.o.epochs;
  }

  state(): TrainerState {
    return {
      epoch: this.epoch,
      W: this.head.W,
      b: this.head.b,
      mu: this.head.mu,
      scale: this.head.scale,
      mW: this.adamW.m,
      vW: this.adamW.v,
      mb: this.adamB.m,
      vb: this.adamB.v,
      betas: this.betas,
      mBeta: this.adamBeta.m,
      vBeta: this.adamBeta.v,
      steps: this.steps,
      rng: this.rng.state(),
      learnerOf: this.learnerOf,
    };
  }

  /** One epoch; returns its statistics. */
  async runEpoch(): Promise<EpochStats> {
    const t0 = performance.now();
    const { o, set } = this;
    const K = o.learners;
    const full = this.epoch >= this.finalFrom;
    if (!full && this.epoch % o.reclusterEvery === 0) await this.recluster();

    const members: number[][] = Array.from({ length: K }, () => []);
    for (let i = 0; i < this.train.length; i++) members[this.learnerOf[i]].push(this.train[i]);
    const pools = full ? [poolsOf(this.train, set.label)] : members.map((m) => poolsOf(m, set.label));
    const active = pools.map((p, k) => (p.length >= 2 ? k : -1)).filter((k) => k >= 0);
    const sums = new Array<number>(pools.length).fill(0);
    const counts = new Array<number>(pools.length).fill(0);
    let total = 0;
    let n = 0;
    for (let s = 0; s < this.stepsPerEpoch && active.length; s++) {
      const k = active[s % active.length];
      const loss = await this.step(pools[k], full ? -1 : k);
      sums[k] += loss;
      counts[k]++;
      total += loss;
      n++;
    }
    this.epoch++;
    return {
      epoch: this.epoch,
      epochs: o.epochs,
      phase: full ? 'full' : 'divide',
      loss: n ? total / n : 0,
      learnerLoss: sums.map((s, k) => (counts[k] ? s / counts[k] : null)),
      clusterSizes: full ? [this.train.length] : members.map((m) => m.length),
      betas: Array.from(this.betas),
      seconds: (performance.now() - t0) / 1000,
    };
  }

  /** One Adam step for learner k (its slice only), or for the full embedding when k = -1. */
  private async step(pools: number[][], k: number): Promise<number> {
    const { o, set, head } = this;
    const K = o.learners;
    const batch = balancedBatch(pools, this.rng, o.batchIndividuals, o.perIndividual);
    const n = batch.length;
    const raw = new Float32Array(n * set.dimIn);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = batch[i];
      const v = o.augmentViews ? pickView(set, s, this.rng) : 0;
      const row = set.viewStart[s] + v;
      raw.set(set.features.subarray(row * set.dimIn, (row + 1) * set.dimIn), i * set.dimIn);
      labels[i] = set.label[s];
    }
    const r0 = k < 0 ? 0 : k * head.sliceDim;
    const rows = k < 0 ? o.dim : head.sliceDim;
    const bi = k < 0 && K > 1 ? K : Math.max(k, 0);
    const x = head.normalizeInput(raw, n);
    const pass = head.finish(x, n, r0, rows, await this.gemm.xwT(x, n, set.dimIn, head.W, r0, rows));
    const triplets = sampleTriplets(pass.e, labels, n, rows, this.rng, o.margin);
    const res = marginLoss(pass.e, n, rows, triplets, this.betas[bi], o.margin);
    const gZ = head.gradZ(pass, res.grad);
    const gW = await this.gemm.gTx(gZ, n, rows, x, set.dimIn);
    this.gb.fill(0, r0, r0 + rows);
    addColumnSums(gZ, n, rows, this.gb, r0);
    const slices = k < 0 ? Array.from({ length: K }, (_, j) => j) : [k];
    for (const j of slices) {
      const t = ++this.steps[j];
      const a = j * head.sliceDim;
      this.adamW.step(head.W, gW, a * set.dimIn, (a + head.sliceDim) * set.dimIn, t, true, r0 * set.dimIn);
      this.adamB.step(head.b, this.gb, a, a + head.sliceDim, t, false);
    }
    const gBeta = new Float32Array(K + 1);
    gBeta[bi] = res.gradBeta;
    this.adamBeta.step(this.betas, gBeta, bi, bi + 1, ++this.steps[K + bi], false);
    return res.loss;
  }

  /** Clusters the training samples in the current embedding; learners keep their nearest previous cluster. */
  private async recluster(): Promise<void> {
    const K = this.o.learners;
    if (K === 1) return;
    const emb = await this.head.embedWith(viewRows(this.set, this.train, 0), this.train.length, this.gemm);
    const next = kmeans(emb, this.train.length, this.o.dim, K, this.rng);
    this.learnerOf = this.epoch === 0 ? next : matchClusters(this.learnerOf, next, K);
  }
}

/** A random stored view of sample s, skipping view 1 when it is not a usable mirror. */
export function pickView(set: FeatureSet, s: number, rng: Rng): number {
  const n = set.viewCount[s];
  if (set.mirror[s] || n < 2) return rng.int(n);
  const v = rng.int(n - 1);
  return v === 0 ? 0 : v + 1;
}

/** Test-time embeddings of samples: the full embedding, averaged with the mirror view's where allowed. */
export async function embedSamples(head: LinearHead, set: FeatureSet, samples: ArrayLike<number>, flipAverage: boolean, gemm: Gemm = tsGemm): Promise<Float32Array> {
  const e = await head.embedWith(viewRows(set, samples, 0), samples.length, gemm);
  if (!flipAverage) return e;
  const flipped = Array.from(samples).filter((s) => set.mirror[s] && set.viewCount[s] > 1);
  if (!flipped.length) return e;
  const m = await head.embedWith(viewRows(set, flipped, 1), flipped.length, gemm);
  let k = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (!(set.mirror[s] && set.viewCount[s] > 1)) continue;
    for (let j = 0; j < head.dim; j++) e[i * head.dim + j] += m[k * head.dim + j];
    k++;
  }
  return l2NormalizeRows(e, samples.length, head.dim);
}
