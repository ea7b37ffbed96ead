import type { JobContext } from '../jobs/runner';

/** The part of a job context an export or merge reports to; tests pass a plain object. */
export type Progress = Pick<JobContext, 'progress' | 'throwIfCancelled'>;

export const noProgress: Progress = { progress: () => {}, throwIfCancelled: () => {} };

/** Lets the event loop breathe (progress events, cancel) during long synchronous loops. */
export const breathe = (): Promise<void> => new Promise((r) => setImmediate(r));
