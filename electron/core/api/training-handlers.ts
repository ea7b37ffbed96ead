import type { JobInfo, TrainingEpoch, TrainingRequests } from '../../contract';
import { listModels, activateModel, rollbackModel } from '../training/model-store';
import { trainingStatus } from '../training/status';
import type { TrainCheckpoint } from '../training/train-job';
import { UserError } from '../util/errors';
import { assertNoneActive } from '../jobs/exclusive';
import type { BackendCore } from './backend-core';
import type { HandlerGroup } from './backend-core';

const curveOf = (b: BackendCore, job: JobInfo): TrainingEpoch[] => {
  const saved = b.catalog.store.jobs.checkpointOf(job.id) as TrainCheckpoint | null;
  return saved ? saved.epochs ?? [] : [];
};

export function trainingHandlers(b: BackendCore): HandlerGroup<keyof TrainingRequests> {
  const changed = () => b.emit('catalog.changed', { topics: ['models', 'training', 'match', 'catalog'] });
  return {
    'training.status': () => {
      const s = trainingStatus(b.catalog);
      const job = b.jobs.list(200).find((j) => j.kind === 'train') ?? null;
      return { ...s, job, epochs: job ? curveOf(b, job) : [] };
    },
    'training.start': (p) => {
      assertNoneActive(b.jobs, 'train', 'training');
      return b.jobs.start('train', p);
    },
    'training.cancel': ({ jobId }) => {
      const job = b.jobs.get(jobId);
      if (job.kind !== 'train') throw new UserError(`job ${jobId} is not a training job`, 'bad-request');
      b.jobs.cancel(jobId);
      return b.jobs.getOf(jobId, 'train');
    },
    'training.history': ({ limit }) =>
      b.jobs
        .list(500)
        .filter((j) => j.kind === 'train')
        .slice(0, limit ?? 20)
        .map((job) => ({ job, epochs: curveOf(b, job) })),
    'models.list': () => listModels(b.catalog),
    'models.activate': ({ id }) => {
      const r = activateModel(b.catalog, id);
      changed();
      return r;
    },
    'models.rollback': () => {
      const r = rollbackModel(b.catalog);
      changed();
      return r;
    },
  };
}
