import type { Worker } from 'node:worker_threads';
import type { EventName, Events, MediaKind, Params, RequestName, Result } from '../../contract';
import type { MediaFile } from '../media/media';
import { UserError } from '../util/errors';
import { startWorker } from '../util/worker';
import type { BackendLink } from './backend-link';
import type { BackendWorkerData, FromWorker, ToWorker } from './backend-messages';

type Listener = <E extends EventName>(event: E, payload: Events[E]) => void;

/**
 * The backend on a worker thread, seen from the thread that started it (Electron's main). Requests
 * and media lookups are relayed as messages; errors come back as `UserError`s carrying the
 * backend's code; events are re-emitted here. If the thread dies, every pending and later call
 * fails with code `backend-stopped` instead of hanging.
 */
export class BackendThread implements BackendLink {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private listeners = new Set<Listener>();
  private stopped: UserError | null = null;
  private closing: Promise<void> | null = null;
  private stopListeners = new Set<(reason: string) => void>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: FromWorker) => this.receive(msg));
    worker.on('error', (e) => this.stop(`the backend thread failed: ${e.message}`));
    worker.on('exit', (code) => this.stop(`the backend thread exited (code ${code})`));
  }

  /** Starts the thread and resolves once the catalog is open (rejects with the opening error). */
  static start(catalogFile: string): Promise<BackendThread> {
    const data: BackendWorkerData = { catalogFile };
    const worker = startWorker(__dirname, 'backend-worker', { workerData: data });
    return new Promise((resolve, reject) => {
      const onMessage = (msg: FromWorker) => {
        if (msg.t === 'ready') {
          cleanup();
          resolve(new BackendThread(worker));
        } else if (msg.t === 'fatal') {
          cleanup();
          // The failure is reported by this rejection; whatever the dying thread still emits is not news.
          worker.on('error', () => {});
          void worker.terminate();
          reject(new UserError(msg.error.message, msg.error.code));
        }
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new UserError(`the backend thread exited during start-up (code ${code})`, 'backend-stopped'));
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  }

  request<N extends RequestName>(name: N, params: Params<N>): Promise<Result<N>> {
    return this.call({ t: 'request', id: 0, name, params }) as Promise<Result<N>>;
  }

  media(kind: MediaKind, photoId: number): Promise<MediaFile> {
    return this.call({ t: 'media', id: 0, kind, photoId }) as Promise<MediaFile>;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once if the thread ends without being asked to (a crash, an out-of-memory kill). */
  onUnexpectedStop(listener: (reason: string) => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  /** Asks the thread to stop its job at the next checkpoint and close the catalog, then waits for it to end. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      if (this.stopped) return;
      const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
      await this.call({ t: 'close', id: 0 });
      await exited;
    })();
    return this.closing;
  }

  private call(msg: ToWorker): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ ...msg, id });
      } catch (e) {
        // e.g. params that cannot be cloned (functions, class instances with private state)
        this.pending.delete(id);
        reject(new UserError(`cannot send ${'name' in msg ? msg.name : msg.t}: ${(e as Error).message}`, 'bad-request'));
      }
    });
  }

  private receive(msg: FromWorker): void {
    if (msg.t === 'event') {
      for (const l of this.listeners) l(msg.event, msg.payload as never);
      return;
    }
    if (msg.t !== 'reply' && msg.t !== 'media') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.t === 'media' ? msg.media : msg.result);
    else p.reject(new UserError(msg.error.message, msg.error.code, msg.error.field));
  }

  private stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = new UserError(reason, 'backend-stopped');
    for (const p of this.pending.values()) p.reject(this.stopped);
    this.pending.clear();
    if (!this.closing) for (const l of this.stopListeners) l(reason);
  }
}
