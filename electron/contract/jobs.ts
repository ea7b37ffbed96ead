import type { NameSet, RequestSpec } from './define';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobInfo {
  id: number;
  kind: string;
  state: JobState;
  progress: number;
  total: number | null;
  message: string | null;
  error: string | null;
  result: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * A list in a job's result longer than a result keeps (`RESULT_LIST_LIMIT`): the result holds its
 * first `shown` entries, and `file` (JSON, in the catalog's files folder) holds all `total`.
 */
export interface TruncatedList {
  total: number;
  shown: number;
  file: string;
}

/** Job results carry this many entries of any list; the rest goes to a file (TruncatedList). */
export const RESULT_LIST_LIMIT = 100;

export interface JobsRequests {
  'jobs.list': RequestSpec<{ limit?: number }, JobInfo[]>;
  'jobs.get': RequestSpec<{ id: number }, JobInfo>;
  'jobs.cancel': RequestSpec<{ id: number }, JobInfo>;
  /** Runs an interrupted (crashed, killed) job again; jobs skip what they already finished. */
  'jobs.resume': RequestSpec<{ id: number }, JobInfo>;
}

export const jobsRequestNames = {
  'jobs.list': true,
  'jobs.get': true,
  'jobs.cancel': true,
  'jobs.resume': true,
} as const satisfies NameSet<JobsRequests>;

export interface JobsEvents {
  /** Throttled: at most a few per second per job, and always one on every state change. */
  'job.updated': JobInfo;
}
