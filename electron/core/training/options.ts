import { DEFAULT_LEARNERS, DEFAULT_PRETRAINED_EPOCHS, type TrainOptions } from '../../contract';
import { defaultMargin } from './margin-loss';

/** Hyper-parameters of a training run: declared in the contract (the train job's params and result carry them). */

export const defaultTrainOptions: TrainOptions = {
  learners: DEFAULT_LEARNERS,
  dim: 128,
  epochs: 200,
  reclusterEvery: 2,
  finalShare: 0.1,
  batchIndividuals: 20,
  perIndividual: 4,
  stepsPerEpoch: 0,
  lr: 1e-3,
  weightDecay: 1e-4,
  betaInit: 1.2,
  betaLr: 1e-3,
  margin: defaultMargin,
  seed: 1,
  flipAverage: true,
  augmentViews: true,
  unseenShare: 0.2,
  evalEvery: 0,
  start: 'pretrained',
  standardize: 'dimension',
};

/** A head started from the pretrained model takes small steps: measured best at lr 1e-4, 100 epochs. */
export const pretrainedStartDefaults: Partial<TrainOptions> = { lr: 1e-4, epochs: DEFAULT_PRETRAINED_EPOCHS, standardize: 'global' };

export function resolveOptions(o: Partial<TrainOptions> = {}): TrainOptions {
  // Asking for an embedding size asks for a random start: a pretrained start keeps the pretrained width.
  const start = o.start ?? (o.dim !== undefined ? 'random' : defaultTrainOptions.start);
  const startDefaults = start === 'pretrained' ? pretrainedStartDefaults : {};
  const r = { ...defaultTrainOptions, ...startDefaults, ...o, start, margin: { ...defaultMargin, ...(o.margin ?? {}) } };
  if (r.start !== 'random' && r.start !== 'pretrained') throw new RangeError(`start must be 'random' or 'pretrained', got ${String(r.start)}`);
  const int = (k: keyof TrainOptions, min: number) => {
    const v = r[k] as number;
    if (!Number.isInteger(v) || v < min) throw new RangeError(`${k} must be an integer >= ${min}, got ${v}`);
  };
  int('learners', 1);
  int('dim', 1);
  int('epochs', 1);
  int('reclusterEvery', 1);
  int('batchIndividuals', 2);
  int('perIndividual', 2);
  int('seed', 0);
  if (r.dim % r.learners !== 0) throw new RangeError(`dim ${r.dim} must be divisible by learners ${r.learners}`);
  if (!(r.finalShare >= 0 && r.finalShare <= 1)) throw new RangeError(`finalShare must be in [0, 1], got ${r.finalShare}`);
  return r;
}
