import type { Backend } from '../api/backend';
import type { JobHandler } from './runner';
import { importJob } from '../import/job';
import { embedJob } from '../vision/embed-job';

/**
 * Every job kind the backend can run. A feature adds `[kind, (backend) => handler]` here; the
 * handler does the work in the job's context (progress, cancel, checkpoint).
 */
export const jobKinds: Array<[string, (backend: Backend) => JobHandler]> = [
  ['import', importJob],
  ['embed', embedJob],
];
