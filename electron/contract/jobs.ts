export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/**
 * A job of kind `K` whose finished result is `R`. The union of every kind is `JobInfo`
 * (job-kinds.ts); a request that starts one kind returns that kind's own `JobInfoOf`.
 */
export interface JobInfoOf<K extends string, R> {
  id: number;
  kind: K;
  state: JobState;
  progress: number;
  total: number | null;
  message: string | null;
  error: string | null;
  /** Set once the job is done (null before, and for a failed or cancelled job). */
  result: R | null;
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
