import type { Backend } from '../api/backend';
import type { JobHandler } from './runner';
import { trainJob } from '../training/train-job';
import { importJob } from '../import/job';
import { embedJob } from '../vision/embed-job';
import { demoJob } from '../demo/demo-job';
import { exportJob, identitiesImportJob, mergeJob } from './exchange-jobs';
import { teamSyncJob } from '../team/sync-job';

/**
 * Every job kind the backend can run. A feature adds `[kind, (backend) => handler]` here; the
 * handler does the work in the job's context (progress, cancel, checkpoint).
 */
export const jobKinds: Array<[string, (backend: Backend) => JobHandler]> = [
  ['import', importJob],
  ['embed', embedJob],
  ['demo', demoJob],
  ['export', exportJob],
  ['merge', mergeJob],
  ['identities-import', identitiesImportJob],
  ['train', trainJob],
  ['team-sync', teamSyncJob],
];
