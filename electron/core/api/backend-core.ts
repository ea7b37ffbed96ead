import type { CatalogTopic, EventName, Events, Params, RequestName, Result } from '../../contract';
import type { Catalog } from '../store/catalog';
import type { JobRunner } from '../jobs/runner';

/**
 * What the request handlers use of the backend: its catalog, job runner, events and requests.
 * `Backend` implements it; the handlers depend on this interface, not on the class that builds
 * them, so api/backend and the handler modules do not import each other.
 */
export interface BackendCore {
  readonly catalog: Catalog;
  readonly jobs: JobRunner;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** Screens showing these topics refetch. */
  changed(...topics: CatalogTopic[]): void;
  request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>>;
}

export type Handler<N extends RequestName> = (params: Params<N>) => Promise<Result<N>> | Result<N>;
export type Handlers = { [N in RequestName]: Handler<N> };
export type HandlerGroup<N extends RequestName> = { [K in N]: Handler<K> };
