import { EventEmitter } from 'node:events';
import type { EventName, Events, MediaKind, Params, RequestName, Result } from '../../contract';
import { isRequestName } from '../../contract';
import { Catalog } from '../store/catalog';
import { JobRunner } from '../jobs/runner';
import { busyError, UserError } from '../util/errors';
import { buildHandlers, type Handlers } from './handlers';
import { jobKinds } from '../jobs/registry';
import { resolveMedia, type MediaFile } from '../media/media';

/**
 * The backend behind both transports: one open catalog, its job runner, the request handlers
 * and the event stream. Electron's main process and `caudal serve` each wrap one of these.
 */
export class Backend {
  readonly catalog: Catalog;
  readonly jobs: JobRunner;
  readonly handlers: Handlers;
  private events = new EventEmitter();

  constructor(catalogFile: string) {
    this.catalog = Catalog.open(catalogFile);
    this.events.setMaxListeners(0);
    this.jobs = new JobRunner(this.catalog, (info) => this.emit('job.updated', info));
    for (const [kind, make] of jobKinds) this.jobs.register(kind, make(this));
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

  onEvent(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  async close(): Promise<void> {
    await this.jobs.shutdown();
    this.catalog.close();
  }
}
