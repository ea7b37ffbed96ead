import type { NameSet, RequestSpec } from './define';
import type { DemoParams, DemoResult } from './demo';
import type { EmbedJobParams, EmbedResult } from './embedding';
import type { ExportJobParams, ExportResult, IdentitiesImportParams, MergeResult } from './exchange';
import type { JobInfoOf } from './jobs';
import type { ImportParams, ImportReport } from './photos';
import type { TeamSyncResult } from './team';
import type { TrainingEpoch, TrainJobParams, TrainJobResult } from './training';

/** What every job reports while it runs (throttled): `done` of `total`, and what it is doing. */
export interface JobProgress {
  progress: number;
  total: number | null;
  message: string | null;
}

/**
 * Every job kind: its params, what it reports while running, and its result. The backend's
 * handlers (electron/core/jobs/registry.ts) are typed by this map, and the UI reads a finished
 * job's result through `jobResult`, so a kind's result type is declared once, here.
 */
export interface JobKinds {
  import: { params: ImportParams; progress: JobProgress; result: ImportReport };
  embed: { params: EmbedJobParams; progress: JobProgress; result: EmbedResult };
  demo: { params: DemoParams; progress: JobProgress; result: DemoResult };
  export: { params: ExportJobParams; progress: JobProgress; result: ExportResult };
  merge: { params: { bundle: string }; progress: JobProgress; result: MergeResult };
  'identities-import': { params: IdentitiesImportParams; progress: JobProgress; result: MergeResult };
  /** Its epochs also stream as 'training.epoch' events and are kept in the job's checkpoint. */
  train: { params: TrainJobParams; progress: JobProgress & { epochs?: TrainingEpoch[] }; result: TrainJobResult };
  /** The password never travels in params (they are saved in the catalog). */
  'team-sync': { params: { timeoutMs?: number }; progress: JobProgress; result: TeamSyncResult };
}

export type JobKind = keyof JobKinds;
export type JobParams<K extends JobKind> = JobKinds[K]['params'];
export type JobResult<K extends JobKind> = JobKinds[K]['result'];

export const jobKindNames = {
  import: true,
  embed: true,
  demo: true,
  export: true,
  merge: true,
  'identities-import': true,
  train: true,
  'team-sync': true,
} as const satisfies NameSet<JobKinds>;

/** The request-name prefix of a group of requests ('photos' for 'photos.list'). */
type GroupOf<N> = N extends `${infer G}.${string}` ? G : never;

/**
 * What a 'catalog.changed' event names: a request (`review.queue`), a group of requests
 * (`individuals`: every `individuals.*` query), or `*` (everything). Derived from the request
 * names, so a misspelt topic is a compile error instead of a screen that never refreshes.
 */
export type TopicOf<RequestName> = '*' | RequestName | GroupOf<RequestName>;

/** Any job: narrow it by `kind` (or `isJob`) to read its typed result. */
export type JobInfo = { [K in JobKind]: JobInfoOf<K, JobResult<K>> }[JobKind];

/** A job of one kind, with that kind's result. */
export type JobInfoFor<K extends JobKind> = Extract<JobInfo, { kind: K }>;

/** The job, when it is of this kind: `isJob(job, 'import') && job.result` is an ImportReport. */
export const isJob = <K extends JobKind>(job: JobInfo | null | undefined, kind: K): job is JobInfoFor<K> => job?.kind === kind;

/** A finished job's result when the job is of this kind and done; null otherwise. */
export const doneResult = <K extends JobKind>(job: JobInfo | null | undefined, kind: K): JobResult<K> | null =>
  isJob(job, kind) && job.state === 'done' ? job.result : null;

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
