import { EventEmitter } from 'node:events';
import type { CatalogTopic, EventName, Events, JobKind, MediaKind, Params, RequestName, Result } from '../../contract';
import { isRequestName } from '../../contract';
import { Catalog } from '../store/catalog';
import { JobRunner } from '../jobs/runner';
import { busyError, UserError } from '../util/errors';
import { buildHandlers, type Handlers } from './handlers';
import { jobHandlers } from '../jobs/registry';
import type { JobHandler, JobServices } from '../jobs/context';
import type { BackendCore } from './backend-core';
import { resolveMedia, type MediaFile } from '../media/media';
import { validateJobParams } from './validate-request';

/**
 * The backend behind both transports: one open catalog, its job runner, the request handlers
 * and the event stream. Electron's main process and `caudal serve` each wrap one of these.
 */
export class Backend implements BackendCore {
  readonly catalog: Catalog;
  readonly jobs: JobRunner;
  readonly handlers: Handlers;
  private events = new EventEmitter();

  constructor(catalogFile: string) {
    this.catalog = Catalog.open(catalogFile);
    this.events.setMaxListeners(0);
    this.jobs = new JobRunner(this.catalog, (info) => this.emit('job.updated', info));
    const services: JobServices = {
      store: this.catalog.store,
      catalog: this.catalog,
      emit: (event, payload) => this.emit(event, payload),
      changed: (...topics) => this.changed(...topics),
      request: (name, params) => this.request(name, params),
      onEvent: (listener) => this.onEvent(listener),
    };
    // Every job's params are checked against the contract when it is queued, however it was asked for.
    const register = <K extends JobKind>(kind: K, handler: JobHandler<K>) =>
      this.jobs.register(kind, (run) => handler({ ...run, ...services }), (params) => validateJobParams(kind, params));
    for (const kind of Object.keys(jobHandlers) as JobKind[]) register(kind, jobHandlers[kind] as JobHandler<typeof kind>);
    this.handlers = buildHandlers(this);
  }

  async request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>> {
    if (!isRequestName(name)) throw new UserError(`unknown request '${String(name)}'`, 'bad-request');
    const handler = this.handlers[name] as (p: Params<N>) => Promise<Result<N>> | Result<N>;
    try {
      return await handler((params ?? {}) as Params<N>);
    } catch (e) {
      throw busyError(e) ?? e;
    }
  }

  /** The file behind an id-only media address (renditions are made here, on the backend's thread). */
  media(kind: MediaKind, photoId: number): Promise<MediaFile> {
    return resolveMedia(this.catalog, kind, photoId);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    this.events.emit('event', event, payload);
  }

  /** Screens showing these topics refetch (see CatalogTopic). */
  changed(...topics: CatalogTopic[]): void {
    this.emit('catalog.changed', { topics });
  }

  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  async close(): Promise<void> {
    await this.jobs.shutdown();
    this.catalog.close();
  }
}
