import type { FeatureSet } from './dataset';
import { tsGemm, type Gemm } from './gemm';
import type { TrainOptions } from './options';
import { validationSplit } from './split';
import { DncTrainer, type EpochStats, type TrainerState } from './trainer';
import type { ModelRow } from '../vision/heads';
import { evaluateModelRow, heldOutMetrics, type HeldOutMetrics } from './validate';

export type RunPhase = 'validate' | 'final';

export interface EpochReport extends EpochStats {
  phase2: RunPhase;
  /** Held-out metrics after this epoch (validation phase, every evalEvery epochs). */
  metrics?: HeldOutMetrics;
}

/** What a checkpoint carries besides the trainer state. */
export interface RunProgress {
  phase: RunPhase;
  before: HeldOutMetrics;
  after?: HeldOutMetrics;
}

export interface RunResult {
  before: HeldOutMetrics;
  after: HeldOutMetrics;
  /** The shipped head (trained on everything), centring folded in. */
  W: Float32Array;
  b: Float32Array;
  trainSamples: number;
  seconds: number;
}

export interface RunHooks {
  onEpoch?(r: EpochReport): void;
  /** Called after every epoch with what a resumed run needs; may throw to stop (cancel). */
  onCheckpoint?(state: TrainerState, progress: RunProgress): void;
  resume?: { state: TrainerState; progress: RunProgress };
  gemm?: Gemm;
  /**
   * The model 'before' measures: the pretrained backbone's row, so that its own head (e.g. only
   * the final layer's block) is what training is compared with, exactly as search uses it.
   * Without one, 'before' is the whole stored feature.
   */
  baseline?: ModelRow;
}

/**
 * A whole training run: validate (train without the held-out individuals and later sightings,
 * measure before and after), then train the head that ships on every confirmed sample.
 */
export async function runTraining(set: FeatureSet, o: TrainOptions, hooks: RunHooks = {}): Promise<RunResult> {
  const t0 = performance.now();
  const gemm = hooks.gemm ?? tsGemm;
  const split = validationSplit(set, o.seed, o.unseenShare);
  const before = hooks.resume?.progress.before ?? (hooks.baseline ? evaluateModelRow(set, split, hooks.baseline) : await heldOutMetrics(set, split, null, o.flipAverage));
  const evalEvery = o.evalEvery > 0 ? o.evalEvery : Math.max(1, Math.round(o.epochs / 20));
  let after = hooks.resume?.progress.after;

  if (!after) {
    const resume = hooks.resume?.progress.phase === 'validate' ? hooks.resume.state : undefined;
    const t = new DncTrainer(set, split.train, o, resume, gemm);
    while (!t.done) {
      const stats = await t.runEpoch();
      const report: EpochReport = { ...stats, phase2: 'validate' };
      if (stats.epoch % evalEvery === 0 || t.done) report.metrics = await heldOutMetrics(set, split, t.head, o.flipAverage, gemm);
      hooks.onEpoch?.(report);
      if (t.done) after = report.metrics!;
      hooks.onCheckpoint?.(t.state(), { phase: 'validate', before, after });
    }
  }

  const all = Array.from({ length: set.ids.length }, (_, i) => i);
  const resume = hooks.resume?.progress.phase === 'final' ? hooks.resume.state : undefined;
  const t = new DncTrainer(set, all, o, resume, gemm);
  while (!t.done) {
    const stats = await t.runEpoch();
    hooks.onEpoch?.({ ...stats, phase2: 'final' });
    hooks.onCheckpoint?.(t.state(), { phase: 'final', before, after: after! });
  }
  const { W, b } = t.head.folded();
  return { before, after: after!, W, b, trainSamples: all.length, seconds: (performance.now() - t0) / 1000 };
}
