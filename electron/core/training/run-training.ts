import type { FeatureSet } from './dataset';
import { heldOutSamples, type HeldOutSamples } from '../match/open-set/held-out';
import { foldCount, foldsOf, foldSplit } from './folds';
import { tsGemm, type Gemm } from './gemm';
import type { ProtocolOutcomes } from './interval';
import type { TrainOptions } from '../../contract';
import { DncTrainer, embedSamples, type EpochStats, type TrainerState } from './trainer';
import { selectRanges } from '../vision/heads';
import { heldOutMetrics, outcomes, type HeldOutMetrics } from './validate';

export type RunPhase = 'validate' | 'final';

/** How a model is trained: its options, and the stored-feature blocks its head reads. */
export interface Recipe {
  role: 'candidate' | 'reference';
  options: TrainOptions;
  /** [offset, length] blocks of the stored feature the head reads (a pretrained start); absent: all of it. */
  inputRanges?: Array<[number, number]>;
}

export interface EpochReport extends EpochStats {
  phase2: RunPhase;
  /** Index of the run in the job: validation runs first, then the final run. */
  task: number;
  fold?: number;
  recipe?: Recipe['role'];
  /** Held-out metrics after this epoch (the first validation run, every evalEvery epochs). */
  metrics?: HeldOutMetrics;
}

/** One finished validation run: its recipe's outcomes on its fold's queries. */
export interface TaskOutcome extends ProtocolOutcomes {
  fold: number;
  recipe: number;
  seconds: number;
  /** The candidate's runs: open-set samples of photos the run never trained on (heldOutSamples). */
  openSet?: HeldOutSamples;
}

/** What a checkpoint carries besides the trainer state. */
export interface RunProgress {
  phase: RunPhase;
  /** The validation run in progress (phase 'validate'). */
  task: number;
  done: TaskOutcome[];
}

export interface RunResult {
  /** Folds validated (the time budget may stop before foldsPlanned), and the folds' outcomes. */
  folds: number;
  foldsPlanned: number;
  outcomes: TaskOutcome[];
  /** The candidate's head trained on everything, centring folded in. */
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
  /** Folds wanted (default 5; fewer when the catalog has few individuals). */
  folds?: number;
  /**
   * Seconds the whole job may take (default 20 minutes): a fold is not started when it and the final
   * run would not fit; at least two folds always run.
   */
  budgetSeconds?: number;
}

export const DEFAULT_FOLDS = 5;
export const DEFAULT_BUDGET_SECONDS = 20 * 60;

/** The samples' features restricted to the blocks a recipe's head reads. */
export function restrictSet(set: FeatureSet, ranges?: Array<[number, number]>): FeatureSet {
  if (!ranges) return set;
  const width = ranges.reduce((s, [, len]) => s + len, 0);
  return { ...set, dimIn: width, features: selectRanges(set.features, set.features.length / set.dimIn, set.dimIn, ranges) };
}

/**
 * A whole training run: k-fold cross-validation over individuals (each recipe trained without the
 * fold's held-out data, its outcomes kept), then the candidate's head that ships, trained on every
 * confirmed sample. recipes[0] is the candidate; recipes[1], when given, the active model's recipe,
 * retrained on the same folds so the two compare like with like.
 */
export async function runTraining(full: FeatureSet, recipes: Recipe[], hooks: RunHooks = {}): Promise<RunResult> {
  const t0 = performance.now();
  const gemm = hooks.gemm ?? tsGemm;
  const sets = recipes.map((r) => restrictSet(full, r.inputRanges));
  const foldsPlanned = foldCount(full, hooks.folds ?? DEFAULT_FOLDS);
  const folds = foldsOf(full, foldsPlanned);
  const budget = hooks.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
  const tasks = folds.flatMap((_, fold) => recipes.map((_, recipe) => ({ fold, recipe })));
  const resume = hooks.resume;
  const done: TaskOutcome[] = resume?.progress.done.slice() ?? [];
  const all = Array.from({ length: full.ids.length }, (_, i) => i);

  for (let task = resume?.progress.task ?? 0; resume?.progress.phase !== 'final' && task < tasks.length; task++) {
    const { fold, recipe } = tasks[task];
    if (recipe === 0 && fold >= 2 && !fits(done, fold, full.ids.length, budget)) break;
    const set = sets[recipe];
    const o = recipes[recipe].options;
    const split = foldSplit(full, folds, fold);
    const evalEvery = o.evalEvery > 0 ? o.evalEvery : Math.max(1, Math.round(o.epochs / 20));
    const tt = performance.now();
    const t = new DncTrainer(set, split.train, o, resume?.progress.phase === 'validate' && resume.progress.task === task ? resume.state : undefined, gemm);
    while (!t.done) {
      const stats = await t.runEpoch();
      const report: EpochReport = { ...stats, phase2: 'validate', task, fold, recipe: recipes[recipe].role };
      // The curve of the first run only: one run's held-out trajectory is what the chart can show.
      if (task === 0 && (stats.epoch % evalEvery === 0 || t.done)) report.metrics = await heldOutMetrics(set, split, t.head, o.flipAverage, gemm);
      hooks.onEpoch?.(report);
      hooks.onCheckpoint?.(t.state(), { phase: 'validate', task, done });
    }
    const emb = await embedSamples(t.head, set, all, o.flipAverage, gemm);
    const openSet = recipe === 0 ? heldOutSamples({ size: full.ids.length, individual: full.label, encounter: full.group, group: full.side, order: full.order }, emb, t.head.dim, split.train, split.unseen.queries, split.resight.queries, folds.length - 1) : undefined;
    done.push({ fold, recipe, seconds: (performance.now() - tt) / 1000, unseen: outcomes(set, emb, t.head.dim, split.unseen), resight: outcomes(set, emb, t.head.dim, split.resight), openSet });
  }

  const finalTask = tasks.length;
  const o = recipes[0].options;
  const t = new DncTrainer(sets[0], all, o, resume?.progress.phase === 'final' ? resume.state : undefined, gemm);
  while (!t.done) {
    const stats = await t.runEpoch();
    hooks.onEpoch?.({ ...stats, phase2: 'final', task: finalTask });
    hooks.onCheckpoint?.(t.state(), { phase: 'final', task: finalTask, done });
  }
  const { W, b } = t.head.folded();
  const foldsDone = new Set(done.map((d) => d.fold)).size;
  return { folds: foldsDone, foldsPlanned, outcomes: done, W, b, trainSamples: all.length, seconds: (performance.now() - t0) / 1000 };
}

/** Whether fold `fold` (every recipe) and the final run still fit in the budget, from the folds' measured times. */
function fits(done: TaskOutcome[], fold: number, samples: number, budget: number): boolean {
  const spent = done.reduce((s, d) => s + d.seconds, 0);
  const perFold = spent / fold;
  const candidate = done.filter((d) => d.recipe === 0);
  // The final run trains on every sample, about k/(k-1) of a fold's training set.
  const final = (candidate.reduce((s, d) => s + d.seconds, 0) / candidate.length) * 1.3;
  return spent + perFold + final <= budget || samples === 0;
}
