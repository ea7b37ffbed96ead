import type { EventName, Events, JobKind, JobParams, JobResult } from '../../contract';
import type { BackendCore } from '../api/backend-core';
import type { Store } from '../store';
import type { JobContext } from './runner';

/**
 * What a job's work may use besides its own run (progress, checkpoint, cancel): the catalog's
 * store, the event stream, and the backend's requests (the demo reviews through 'review.decide'
 * as a person would). Given by the backend, so no job module imports the backend: the import
 * cycle api/backend -> jobs/registry -> job -> api/backend is gone.
 */
export interface JobServices extends Pick<BackendCore, 'catalog' | 'emit' | 'changed' | 'request'> {
  readonly store: Store;
  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
}

/** A job's whole context: its run (`params`, `signal`, progress, checkpoint) and the services. */
export type KindContext<K extends JobKind> = JobContext<JobParams<K>> & JobServices;

/** The work of one job kind, typed by the contract's registry (`JobKinds`). */
export type JobHandler<K extends JobKind> = (ctx: KindContext<K>) => Promise<JobResult<K>>;

export type JobHandlers = { [K in JobKind]: JobHandler<K> };
