import fs from 'node:fs';
import path from 'node:path';
import type { Backend } from '../api/backend';
import type { JobContext } from '../jobs/runner';
import { CancelledError } from '../jobs/runner';
import { startWorker } from '../util/worker';
import { UserError } from '../util/errors';
import { backboneOf, loadFeatureSet } from './catalog-data';
import { HEAD_KIND } from './head-kind';
import { selectRanges } from '../vision/heads';
import type { FeatureSet } from './dataset';
import type { ModelRow } from '../vision/heads';
import { activateModel, activeModelRow, getModelRow, saveModel } from './model-store';
import { resolveOptions, type TrainOptions } from './options';
import type { EpochReport, RunProgress, RunResult } from './run-training';
import { peekCheckpoint } from './checkpoint';
import type { Catalog } from '../catalog/catalog';
import { validationSplit } from './split';
import type { TrainWorkerInput } from './train-worker';
import { evaluateModelRow, type HeldOutMetrics } from './validate';

export interface TrainJobParams extends Partial<Omit<TrainOptions, 'margin'>> {
  name?: string;
  /** auto: activate when at least as good as the active model on the held-out data. */
  activate?: 'auto' | 'never' | 'always';
  gemm?: 'onnxruntime' | 'typescript';
}

export interface TrainJobResult {
  model: string;
  before: HeldOutMetrics;
  after: HeldOutMetrics;
  /** The model active when training started, on the same held-out data. */
  active: { id: string; metrics: HeldOutMetrics } | null;
  activated: boolean;
  seconds: number;
  options: TrainOptions;
  samples: number;
  individuals: number;
}

/** What the Training screen draws: one point per epoch. */
export interface TrainCheckpoint {
  file: string;
  epochs: EpochReport[];
}

/** One number to compare models by: the mean of unseen and re-sighting rank-1. */
export const score = (m: HeldOutMetrics): number => (m.unseen.rank1 + m.resight.rank1) / 2;

/**
 * The 'train' job: loads confirmed identities' stored features, trains in a worker thread (epochs
 * stream back, a checkpoint file is written after each), stores the model, and activates it only
 * when it is at least as good as the active model on the held-out data (unless told otherwise).
 */
export function trainJob(backend: Backend) {
  return async (ctx: JobContext<TrainJobParams>): Promise<TrainJobResult> => {
    const catalog = backend.catalog;
    const { name, activate = 'auto', gemm = 'onnxruntime', ...rest } = ctx.params;
    let options: TrainOptions;
    try {
      options = resolveOptions(rest);
    } catch (e) {
      throw new UserError((e as Error).message, 'bad-request');
    }
    const active = activeModelRow(catalog);
    const backbone = backboneOf(catalog, active);
    const set = loadFeatureSet(catalog, backbone);
    const individuals = new Set(set.label).size;
    if (individuals < 4) throw new UserError(`training needs confirmed photos of at least 4 individuals; the catalog has ${individuals}`, 'no-data');
    const backboneRow = getModelRow(catalog, backbone);
    // A head started from the pretrained model reads the blocks that model matches on, and is as wide.
    const start = options.start === 'pretrained' ? pretrainedStart(set, backboneRow, options) : { set, baseline: backboneRow, inputRanges: undefined };
    if (start.inputRanges) options = { ...options, dim: start.set.dimIn };

    const prev = ctx.previousCheckpoint as TrainCheckpoint | undefined;
    const file = prev?.file ?? path.join(catalog.dir('training'), `job-${ctx.jobId}.ckpt`);
    const epochs: EpochReport[] = prev?.epochs ?? [];
    const total = 2 * options.epochs;
    const saved = peekCheckpoint(file);
    if (saved) {
      const phase = (saved.extra as RunProgress | null)?.phase === 'final' ? 'final' : 'validate';
      ctx.progress((phase === 'final' ? options.epochs : 0) + saved.epoch, total, `resuming at epoch ${saved.epoch} of the ${phase === 'final' ? 'final' : 'validation'} run`);
    }
    const cancel = new SharedArrayBuffer(4);
    const input: TrainWorkerInput = { set: start.set, options, checkpointFile: file, cancel, gemm, baseline: start.baseline };
    const worker = startWorker(__dirname, 'train-worker', { workerData: input });
    const onAbort = () => Atomics.store(new Int32Array(cancel), 0, 1);
    ctx.signal.addEventListener('abort', onAbort);
    let result: RunResult;
    try {
      result = await new Promise<RunResult>((resolve, reject) => {
        worker.on('message', (m: { type: string; report?: EpochReport; result?: RunResult; message?: string }) => {
          if (m.type === 'epoch') {
            const r = m.report!;
            // A resumed phase repeats nothing: drop points past the resumed epoch.
            while (epochs.length && (epochs[epochs.length - 1].phase2 === r.phase2 ? epochs[epochs.length - 1].epoch >= r.epoch : r.phase2 === 'validate')) epochs.pop();
            epochs.push(r);
            ctx.checkpoint({ file, epochs } satisfies TrainCheckpoint);
            backend.emit('training.epoch', { jobId: ctx.jobId, report: r });
            const done = (r.phase2 === 'final' ? options.epochs : 0) + r.epoch;
            ctx.progress(done, total, `${r.phase2 === 'validate' ? 'validation run' : 'final run'}: epoch ${r.epoch}/${options.epochs}, loss ${r.loss.toFixed(3)}`);
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

    const split = validationSplit(set, options.seed, options.unseenShare);
    const activeMetrics = active && active.kind !== 'pretrained' ? evaluateModelRow(set, split, active) : active ? result.before : null;
    const id = saveModel(catalog, {
      name,
      parentId: backbone,
      head: { kind: HEAD_KIND, dimIn: start.set.dimIn, dim: options.dim, slices: options.learners, flipAverage: options.flipAverage && set.mirror.some((m) => m === 1), ...(start.inputRanges ? { inputRanges: start.inputRanges } : {}) },
      W: result.W,
      b: result.b,
      backbone,
      train: { ...options, samples: set.ids.length, individuals, trainSeconds: result.seconds, jobId: ctx.jobId },
      metrics: { before: result.before, after: result.after, active: active ? { id: active.id, metrics: activeMetrics } : null },
    });
    const better = !activeMetrics || score(result.after) >= score(activeMetrics);
    const activated = activate === 'always' || (activate === 'auto' && better);
    if (activated) activateModel(catalog, id);
    removeStaleCheckpoints(catalog, file);
    backend.emit('catalog.changed', { topics: ['models', 'training', 'match'] });
    return {
      model: id,
      before: result.before,
      after: result.after,
      active: active && activeMetrics ? { id: active.id, metrics: activeMetrics } : null,
      activated,
      seconds: result.seconds,
      options,
      samples: set.ids.length,
      individuals,
    };
  };
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
    (catalog.db.prepare("SELECT checkpoint FROM jobs WHERE kind = 'train' AND state IN ('interrupted', 'failed', 'queued', 'running') AND checkpoint IS NOT NULL").pluck().all() as string[])
      .map((c) => (JSON.parse(c) as Partial<TrainCheckpoint>).file)
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
export function pretrainedStart(set: FeatureSet, backbone: ModelRow, options: TrainOptions): { set: FeatureSet; baseline: ModelRow; inputRanges?: Array<[number, number]> } {
  const { head, ...params } = (backbone.params ? JSON.parse(backbone.params) : {}) as { head?: { kind?: string; ranges?: Array<[number, number]> } };
  const ranges = head?.kind === 'blocks' && head.ranges?.length ? head.ranges : [[0, set.dimIn] as [number, number]];
  const width = ranges.reduce((s, [, len]) => s + len, 0);
  if (width % options.learners !== 0) throw new UserError(`a pretrained start trains ${width}-d embeddings, which ${options.learners} learners cannot split evenly`, 'bad-request');
  const sliced: FeatureSet = { ...set, dimIn: width, features: selectRanges(set.features, set.features.length / set.dimIn, set.dimIn, ranges) };
  return { set: sliced, baseline: { ...backbone, params: JSON.stringify(params) }, inputRanges: ranges };
}

/**
 * For the demo and scripts: trains on the backend's catalog as the 'train' job (worker thread,
 * checkpoints, validation, model row, activation when not worse) and resolves with the result.
 */
export async function trainModel(backend: Backend, params: TrainJobParams = {}, onEpoch?: (e: EpochReport) => void): Promise<TrainJobResult> {
  const off = onEpoch ? backend.onEvent((e, p) => e === 'training.epoch' && onEpoch((p as { report: EpochReport }).report)) : () => {};
  try {
    return await backend.jobs.run<TrainJobResult>('train', params);
  } finally {
    off();
  }
}
