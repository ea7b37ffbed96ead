import type { JobHandlers } from './context';
import { trainJob } from '../training/train-job';
import { importJob } from '../import/job';
import { embedJob } from '../vision/embed-job';
import { demoJob } from '../demo/demo-job';
import { exportJob, identitiesImportJob, mergeJob } from './exchange-jobs';
import { teamSyncJob } from '../team/sync-job';

/**
 * Every job kind the backend can run, one handler per kind of the contract's `JobKinds` (a kind
 * without a handler, or a handler whose params or result differ from the contract's, does not
 * compile). The handler does the work in the job's context (progress, cancel, checkpoint, store).
 */
export const jobHandlers: JobHandlers = {
  import: importJob,
  embed: embedJob,
  demo: demoJob,
  export: exportJob,
  merge: mergeJob,
  'identities-import': identitiesImportJob,
  train: trainJob,
  'team-sync': teamSyncJob,
};
