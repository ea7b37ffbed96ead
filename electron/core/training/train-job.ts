import fs from 'node:fs';
import path from 'node:path';
import type { EventName, Events, TrainJobParams, TrainJobResult } from '../../contract';
import type { JobHandler } from '../jobs/context';
import { CancelledError, type JobRunner } from '../jobs/runner';
import { startWorker } from '../util/worker';
import { UserError } from '../util/errors';
import { loadFeatureSet } from './catalog-data';
import { backboneOf } from '../vision/models-table';
import { HEAD_KIND } from '../vision/sliced-linear-head';
import type { FeatureSet } from './dataset';
import type { ModelRow } from '../vision/heads';
import type { ModelEstimate, TrainingEstimate } from '../../contract';
import { crossValidatedEstimate, pretrainedOutcomes, type ReferenceSource } from './estimate';
import { foldCount } from './folds';
import type { ProtocolOutcomes } from './interval';
import { activateModel, getModelRow, saveModel } from './model-store';
import { resolveOptions } from './options';
import type { TrainOptions } from '../../contract';
import type { QueryOutcome } from './retrieval';
import { DEFAULT_FOLDS, restrictSet, type EpochReport, type Recipe, type RunProgress, type RunResult } from './run-training';
import { peekCheckpoint } from './checkpoint';
import type { Catalog } from '../store/catalog';
import type { TrainWorkerInput } from './train-worker';
import { embedModelRow, type HeldOutMetrics } from './validate';
import { OpenSetModel } from '../match/open-set/model';


/** What the Training screen draws: one point per epoch. */
export interface TrainCheckpoint {
  file: string;
  epochs: EpochReport[];
}

/** One number to compare models by: the mean of unseen and re-sighting rank-1. */
export const score = (m: HeldOutMetrics): number => (m.unseen.rank1 + m.resight.rank1) / 2;

/**
 * The 'train' job: loads confirmed identities' stored features, cross-validates and trains in a
 * worker thread (epochs stream back, a checkpoint file is written after each), stores the model,
 * and activates it only when the cross-validated estimate says it helps (unless told otherwise).
 */
export const trainJob: JobHandler<'train'> = async (ctx) => {
    const backend = ctx;
    const catalog = ctx.catalog;
    const { name, activate = 'auto', gemm = 'onnxruntime', folds, budgetSeconds, ...rest } = ctx.params;
    let options: TrainOptions;
    try {
      options = resolveOptions(rest);
    } catch (e) {
      throw new UserError((e as Error).message, 'bad-request');
    }
    const active = catalog.store.models.active();
    const backbone = backboneOf(catalog, active);
    const set = loadFeatureSet(catalog, backbone);
    const individuals = new Set(set.label).size;
    if (individuals < 4) throw new UserError(`training needs confirmed photos of at least 4 individuals; the catalog has ${individuals}`, 'no-data');
    const backboneRow = getModelRow(catalog, backbone);
    // A head started from the pretrained model reads the blocks that model matches on, and is as wide.
    const inputRanges = options.start === 'pretrained' ? pretrainedRanges(set, backboneRow, options) : undefined;
    if (inputRanges) options = { ...options, dim: inputRanges.reduce((s, [, len]) => s + len, 0) };
    const candidate: Recipe = { role: 'candidate', options, inputRanges };
    const reference = referenceOf(active, candidate);
    const recipes = reference.recipe ? [candidate, reference.recipe] : [candidate];

    const prev = ctx.previousCheckpoint as TrainCheckpoint | undefined;
    const file = prev?.file ?? path.join(catalog.dir('training'), `job-${ctx.jobId}.ckpt`);
    const epochs: EpochReport[] = prev?.epochs ?? [];
    const k = foldCount(set, folds ?? DEFAULT_FOLDS);
    const perTask = recipes.map((r) => r.options.epochs);
    const total = k * perTask.reduce((a, b) => a + b, 0) + options.epochs;
    const before = (task: number) => Math.floor(task / recipes.length) * perTask.reduce((a, b) => a + b, 0) + perTask.slice(0, task % recipes.length).reduce((a, b) => a + b, 0);
    const saved = peekCheckpoint(file);
    if (saved) {
      const p = saved.extra as RunProgress | null;
      const final = p?.phase === 'final';
      const task = p?.task ?? 0;
      const where = final ? 'final run' : `validation run (fold ${Math.floor(task / recipes.length) + 1}/${k})`;
      ctx.progress(final ? total - options.epochs + saved.epoch : before(task) + saved.epoch, total, `resuming at epoch ${saved.epoch} of the ${where}`);
    }
    const cancel = new SharedArrayBuffer(4);
    const input: TrainWorkerInput = { set, recipes, checkpointFile: file, cancel, gemm, folds: k, budgetSeconds };
    const worker = startWorker(__dirname, 'train-worker', { workerData: input });
    const onAbort = () => Atomics.store(new Int32Array(cancel), 0, 1);
    ctx.signal.addEventListener('abort', onAbort);
    let result: RunResult;
    try {
      result = await new Promise<RunResult>((resolve, reject) => {
        worker.on('message', (m: { type: string; report?: EpochReport; result?: RunResult; message?: string }) => {
          if (m.type === 'epoch') {
            const r = m.report!;
            // A resumed run repeats nothing: drop points past the resumed epoch.
            while (epochs.length && (epochs[epochs.length - 1].task > r.task || (epochs[epochs.length - 1].task === r.task && epochs[epochs.length - 1].epoch >= r.epoch))) epochs.pop();
            epochs.push(r);
            ctx.checkpoint({ file, epochs } satisfies TrainCheckpoint);
            backend.emit('training.epoch', { jobId: ctx.jobId, report: r });
            const done = r.phase2 === 'final' ? total - options.epochs + r.epoch : before(r.task) + r.epoch;
            const what = r.phase2 === 'final' ? 'final run on every photo' : `fold ${r.fold! + 1}/${k}${r.recipe === 'reference' ? " (the active model's recipe)" : ''}`;
            ctx.progress(done, total, `${what}: epoch ${r.epoch}/${r.epochs}, loss ${r.loss.toFixed(3)}`);
          } else if (m.type === 'done') resolve(m.result!);
          else if (m.type === 'cancelled') reject(new CancelledError());
          else reject(new Error(m.message));
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`training worker exited (${code})`)));
      });
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      await worker.terminate();
    }

    const pretrained = pretrainedOutcomes(set, result, embedModelRow(set, backboneRow));
    const estimate = crossValidatedEstimate(result, pretrained, { id: active?.id ?? backbone, source: reference.source, stored: reference.stored });
    const metricsOf = (e: ModelEstimate | null, queries: ProtocolOutcomes): HeldOutMetrics | null =>
      e && { unseen: { rank1: e.unseen.rank1.value, map5: e.unseen.map5.value, top5: top5(queries.unseen), queries: e.unseen.queries }, resight: { rank1: e.resight.rank1.value, map5: e.resight.map5.value, top5: top5(queries.resight), queries: e.resight.queries } };
    const pooledOf = (recipe: number): ProtocolOutcomes => ({ unseen: result.outcomes.filter((t) => t.recipe === recipe).flatMap((t) => t.unseen), resight: result.outcomes.filter((t) => t.recipe === recipe).flatMap((t) => t.resight) });
    const beforeMetrics = metricsOf(estimate.pretrained, pretrained)!;
    const afterMetrics = metricsOf(estimate.candidate, pooledOf(0))!;
    const activeMetrics = !active ? null : reference.source === 'pretrained' ? beforeMetrics : reference.source === 'same-recipe' ? afterMetrics : reference.source === 'retrained' ? metricsOf(estimate.reference.estimate, pooledOf(1)) : reference.storedMetrics ?? null;
    const id = saveModel(catalog, {
      name,
      parentId: backbone,
      head: { kind: HEAD_KIND, dimIn: inputRanges ? options.dim : set.dimIn, dim: options.dim, slices: options.learners, flipAverage: options.flipAverage && set.mirror.some((m) => m === 1), ...(inputRanges ? { inputRanges } : {}) },
      W: result.W,
      b: result.b,
      backbone,
      train: { ...options, samples: set.ids.length, individuals, trainSeconds: result.seconds, jobId: ctx.jobId },
      metrics: { before: beforeMetrics, after: afterMetrics, active: active ? { id: active.id, metrics: activeMetrics } : null, estimate, openSet: openSetOfRun(result, individuals / set.ids.length, individuals).toJSON() },
    });
    const activated = activate === 'always' || (activate === 'auto' && estimate.recommend);
    if (activated) activateModel(catalog, id);
    removeStaleCheckpoints(catalog, file);
    ctx.changed('models', 'training', 'match');
    return {
      model: id,
      before: beforeMetrics,
      after: afterMetrics,
      active: active && activeMetrics ? { id: active.id, metrics: activeMetrics } : null,
      estimate,
      activated,
      seconds: result.seconds,
      options,
      samples: set.ids.length,
      individuals,
    };
};

const top5 = (o: QueryOutcome[]) => (o.length ? o.filter((q) => q.rank <= 5).length / o.length : 0);

/** The options a stored model was trained with, when it has them (models imported as ONNX files do not). */
function recipeOf(model: ModelRow): Recipe | null {
  const params = (model.params ? JSON.parse(model.params) : {}) as { head?: { inputRanges?: Array<[number, number]> }; train?: Partial<TrainOptions> & Record<string, unknown> };
  if (!params.train) return null;
  const { samples: _s, individuals: _i, trainSeconds: _t, jobId: _j, ...stored } = params.train;
  try {
    return { role: 'reference', options: resolveOptions(stored as Partial<TrainOptions>), inputRanges: params.head?.inputRanges };
  } catch {
    return null;
  }
}

/**
 * What the new model is compared with, like with like. The active model's final run trained on every
 * photo, so scoring it on any held-out split would score it on its own training data (the leak
 * that made every later model lose): its recipe is retrained on the same folds instead.
 */
function referenceOf(active: ModelRow | null, candidate: Recipe): { source: ReferenceSource; recipe?: Recipe; stored?: ModelEstimate | null; storedMetrics?: HeldOutMetrics } {
  if (!active || active.kind === 'pretrained') return { source: 'pretrained' };
  const recipe = recipeOf(active);
  if (recipe) {
    const same = JSON.stringify({ ...recipe.options, evalEvery: 0 }) === JSON.stringify({ ...candidate.options, evalEvery: 0 }) && JSON.stringify(recipe.inputRanges ?? null) === JSON.stringify(candidate.inputRanges ?? null);
    return same ? { source: 'same-recipe' } : { source: 'retrained', recipe };
  }
  const metrics = (active.metrics ? JSON.parse(active.metrics) : {}) as { after?: HeldOutMetrics; estimate?: TrainingEstimate };
  return { source: 'stored', stored: metrics.estimate?.candidate ?? null, storedMetrics: metrics.after };
}

/**
 * After a run succeeds: its own checkpoint, and any checkpoint no job can resume any more (done,
 * cancelled, or no job at all), go. Those of interrupted or failed jobs stay: they resume.
 */
function removeStaleCheckpoints(catalog: Catalog, own: string): void {
  fs.rmSync(own, { force: true });
  fs.rmSync(`${own}.tmp`, { force: true });
  const dir = path.dirname(own);
  const resumable = new Set(
    (catalog.store.jobs.resumableCheckpoints('train') as Array<Partial<TrainCheckpoint>>)
      .map((c) => c.file)
      .filter((f): f is string => typeof f === 'string')
      .map((f) => path.resolve(f)),
  );
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const f = path.resolve(dir, name);
    if (/\.ckpt(\.tmp)?$/.test(name) && !resumable.has(f.replace(/\.tmp$/, ''))) fs.rmSync(f, { force: true });
  }
}

/**
 * The feature set a pretrained start trains on: the blocks the backbone's own head matches on (the
 * whole feature when it has none), and the pretrained model restated on those blocks (an identity
 * head) as the baseline 'before' measures, which is exactly the backbone's own ranking.
 */
export function pretrainedStart(set: FeatureSet, backbone: ModelRow, options: TrainOptions): { set: FeatureSet; baseline: ModelRow; inputRanges: Array<[number, number]> } {
  const { head: _head, ...params } = (backbone.params ? JSON.parse(backbone.params) : {}) as { head?: unknown };
  const ranges = pretrainedRanges(set, backbone, options);
  return { set: restrictSet(set, ranges), baseline: { ...backbone, params: JSON.stringify(params) }, inputRanges: ranges };
}

/** The blocks of the stored feature the backbone's own head matches on (all of it when it has none). */
export function pretrainedRanges(set: FeatureSet, backbone: ModelRow, options: TrainOptions): Array<[number, number]> {
  const { head } = (backbone.params ? JSON.parse(backbone.params) : {}) as { head?: { kind?: string; ranges?: Array<[number, number]> } };
  const ranges = head?.kind === 'blocks' && head.ranges?.length ? head.ranges : [[0, set.dimIn] as [number, number]];
  const width = ranges.reduce((s, [, len]) => s + len, 0);
  if (width % options.learners !== 0) throw new UserError(`a pretrained start trains ${width}-d embeddings, which ${options.learners} learners cannot split evenly`, 'bad-request');
  return ranges;
}

/**
 * For the demo and scripts: trains on the backend's catalog as the 'train' job (worker thread,
 * checkpoints, validation, model row, activation when not worse) and resolves with the result.
 */
export async function trainModel(
  backend: { jobs: JobRunner; onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void },
  params: TrainJobParams = {},
  onEpoch?: (e: EpochReport) => void,
): Promise<TrainJobResult> {
  const off = onEpoch ? backend.onEvent((e, p) => e === 'training.epoch' && onEpoch((p as Events['training.epoch']).report)) : () => {};
  try {
    return await backend.jobs.run('train', params);
  } finally {
    off();
  }
}

/**
 * The new model's open-set estimate, fitted on its validation runs' held-out photos (heldOutSamples):
 * what the matcher uses while this model is active, since a fit on the photos it trained on would be
 * over-confident.
 */
function openSetOfRun(result: RunResult, prior: number, individuals: number): OpenSetModel {
  const runs = result.outcomes.filter((t) => t.recipe === 0 && t.openSet);
  return OpenSetModel.fit({ queries: runs.flatMap((t) => t.openSet!.queries), candidates: runs.flatMap((t) => t.openSet!.candidates), prior, individuals });
}
