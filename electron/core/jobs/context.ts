import type { CatalogTopic, EventName, Events, JobKind, JobParams, JobResult, Params, RequestName, Result } from '../../contract';
import type { Catalog } from '../store/catalog';
import type { Store } from '../store';
import type { JobContext } from './runner';

/**
 * What a job's work may use besides its own run (progress, checkpoint, cancel): the catalog's
 * store, the event stream, and the backend's requests (the demo reviews through 'review.decide'
 * as a person would). Given by the backend, so no job module imports the backend: the import
 * cycle api/backend -> jobs/registry -> job -> api/backend is gone.
 */
export interface JobServices {
  readonly store: Store;
  /** The open catalog, for its file and folders (jobs/, sample-data/); its data goes through `store`. */
  readonly catalog: Catalog;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** Shorthand for `emit('catalog.changed', { topics })`. */
  changed(...topics: CatalogTopic[]): void;
  request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>>;
  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
}

/** A job's whole context: its run (`params`, `signal`, progress, checkpoint) and the services. */
export type KindContext<K extends JobKind> = JobContext<JobParams<K>> & JobServices;

/** The work of one job kind, typed by the contract's registry (`JobKinds`). */
export type JobHandler<K extends JobKind> = (ctx: KindContext<K>) => Promise<JobResult<K>>;

export type JobHandlers = { [K in JobKind]: JobHandler<K> };
